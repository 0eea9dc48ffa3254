CREATE TABLE "agents" (
	"workspace_id" uuid NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"name_source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agents_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "account_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "account_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"account_id" text NOT NULL,
	"name" text,
	CONSTRAINT "account_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "user_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "user_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" text NOT NULL,
	"name" text,
	"is_active" boolean,
	CONSTRAINT "user_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "lead_status_stages" (
	"workspace_id" uuid NOT NULL,
	"status" text NOT NULL,
	"stage" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_status_stages_workspace_id_status_pk" PRIMARY KEY("workspace_id","status"),
	CONSTRAINT "lead_status_stages_stage" CHECK ("lead_status_stages"."stage" in ('mql', 'sql', 'rejected', 'none'))
);
--> statement-breakpoint
CREATE TABLE "salesforce_lead_statuses" (
	"workspace_id" uuid NOT NULL,
	"api_name" text NOT NULL,
	"master_label" text NOT NULL,
	"is_converted" boolean NOT NULL,
	"is_default" boolean NOT NULL,
	"sort_order" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "salesforce_lead_statuses_workspace_id_api_name_pk" PRIMARY KEY("workspace_id","api_name")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "initiated_by" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "messages_visitor" integer;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "messages_agent" integer;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "avg_response_seconds" double precision;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "csat" smallint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "nps" smallint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolved" boolean;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "page_url" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "agent_name" text;--> statement-breakpoint
ALTER TABLE "lead_versions" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "lead_versions" ADD COLUMN "created_date" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "opportunity_versions" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_versions" ADD CONSTRAINT "account_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_versions" ADD CONSTRAINT "user_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_status_stages" ADD CONSTRAINT "lead_status_stages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_lead_statuses" ADD CONSTRAINT "salesforce_lead_statuses_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_versions_record" ON "account_versions" USING btree ("workspace_id","account_id","occurred_at");--> statement-breakpoint
CREATE INDEX "user_versions_record" ON "user_versions" USING btree ("workspace_id","user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "conversations_agent" ON "conversations" USING btree ("workspace_id","agent_id","started_at");--> statement-breakpoint
CREATE INDEX "lead_versions_created" ON "lead_versions" USING btree ("workspace_id","created_date");