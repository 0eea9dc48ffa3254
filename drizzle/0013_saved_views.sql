CREATE TABLE "digest_sends" (
	"workspace_id" uuid NOT NULL,
	"view_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"recipients" text[] NOT NULL,
	"message_id" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digest_sends_workspace_id_view_id_week_start_pk" PRIMARY KEY("workspace_id","view_id","week_start")
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"workspace_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"range_preset" text NOT NULL,
	"range_from" date,
	"range_to" date,
	"teams" text[],
	"credit_model" text NOT NULL,
	"digest_recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_workspace_id_id_pk" PRIMARY KEY("workspace_id","id"),
	CONSTRAINT "saved_views_custom_range" CHECK (("saved_views"."range_preset" = 'custom') = ("saved_views"."range_from" is not null and "saved_views"."range_to" is not null)
        and ("saved_views"."range_from" is null) = ("saved_views"."range_to" is null) and ("saved_views"."range_from" is null or "saved_views"."range_from" <= "saved_views"."range_to"))
);
--> statement-breakpoint
ALTER TABLE "digest_sends" ADD CONSTRAINT "digest_sends_workspace_id_view_id_saved_views_workspace_id_id_fk" FOREIGN KEY ("workspace_id","view_id") REFERENCES "public"."saved_views"("workspace_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "saved_views_workspace_name" ON "saved_views" USING btree ("workspace_id","name");