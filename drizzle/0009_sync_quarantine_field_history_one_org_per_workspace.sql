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
CREATE TABLE "salesforce_quarantine" (
	"connection_id" uuid NOT NULL,
	"object" text NOT NULL,
	"record_id" text NOT NULL,
	"record" jsonb NOT NULL,
	"reason" text NOT NULL,
	"error_code" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "salesforce_quarantine_connection_id_object_record_id_pk" PRIMARY KEY("connection_id","object","record_id")
);
--> statement-breakpoint
ALTER TABLE "salesforce_connections" ADD COLUMN "user_display_name" text;--> statement-breakpoint
ALTER TABLE "salesforce_oauth_flows" ADD COLUMN "started_by_user_id" uuid;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "bulk_api_version" text;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "deleted_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "last_note" text;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "last_nul_stripped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "field_history" ADD CONSTRAINT "field_history_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_quarantine" ADD CONSTRAINT "salesforce_quarantine_connection_id_salesforce_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."salesforce_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "field_history_record" ON "field_history" USING btree ("workspace_id","object","record_id","field");--> statement-breakpoint
CREATE INDEX "field_history_old_email" ON "field_history" USING btree ("workspace_id","old_email_normalized");--> statement-breakpoint
CREATE INDEX "field_history_new_email" ON "field_history" USING btree ("workspace_id","new_email_normalized");--> statement-breakpoint
CREATE UNIQUE INDEX "salesforce_connections_live_org" ON "salesforce_connections" USING btree ("org_id") WHERE "salesforce_connections"."status" <> 'disconnected';