CREATE TABLE "field_history" (
	"workspace_id" uuid NOT NULL,
	"history_id" text NOT NULL,
	"object" text NOT NULL,
	"record_id" text NOT NULL,
	"field" text NOT NULL,
	"old_value" text,
	"new_value" text,
	"old_email_normalized" text,
	"new_email_normalized" text,
	"changed_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "field_history_workspace_id_history_id_pk" PRIMARY KEY("workspace_id","history_id")
);
--> statement-breakpoint
ALTER TABLE "field_history" ADD CONSTRAINT "field_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "field_history_record" ON "field_history" USING btree ("workspace_id","object","record_id","field");--> statement-breakpoint
CREATE INDEX "field_history_old_email" ON "field_history" USING btree ("workspace_id","old_email_normalized");--> statement-breakpoint
CREATE INDEX "field_history_new_email" ON "field_history" USING btree ("workspace_id","new_email_normalized");