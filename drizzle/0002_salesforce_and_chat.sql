CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"teams" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
CREATE TABLE "opportunity_touches" (
	"workspace_id" uuid NOT NULL,
	"opportunity_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"team_id" text NOT NULL,
	"agent_id" text,
	"touched_at" timestamp with time zone NOT NULL,
	"touch_day" date NOT NULL,
	"contact_id" text NOT NULL,
	"contact_role_id" text NOT NULL,
	"version_ids" text[] NOT NULL,
	CONSTRAINT "opportunity_touches_workspace_id_opportunity_id_conversation_id_pk" PRIMARY KEY("workspace_id","opportunity_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"workspace_id" uuid NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"workspace_id" uuid NOT NULL,
	"delivery_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_workspace_id_delivery_id_pk" PRIMARY KEY("workspace_id","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "webhook_secrets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"secret_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "currency_rates" (
	"workspace_id" uuid NOT NULL,
	"source_id" text NOT NULL,
	"iso_code" text NOT NULL,
	"rate" numeric(30, 12) NOT NULL,
	"start_date" date,
	"next_start_date" date,
	"is_corporate" boolean DEFAULT false NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "currency_rates_workspace_id_source_id_pk" PRIMARY KEY("workspace_id","source_id")
);
--> statement-breakpoint
CREATE TABLE "salesforce_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"status" text NOT NULL,
	"login_url" text NOT NULL,
	"instance_url" text NOT NULL,
	"org_id" text NOT NULL,
	"user_id" text NOT NULL,
	"username" text,
	"refresh_token_enc" text,
	"access_token_enc" text,
	"token_version" integer DEFAULT 0 NOT NULL,
	"sync_interval_minutes" integer DEFAULT 15 NOT NULL,
	"multi_currency" boolean DEFAULT false NOT NULL,
	"api_usage_used" integer,
	"api_usage_max" integer,
	"api_usage_seen_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_deleted_check_at" timestamp with time zone,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "salesforce_connections_workspace_id_unique" UNIQUE("workspace_id")
);
--> statement-breakpoint
CREATE TABLE "salesforce_oauth_flows" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"verifier_enc" text NOT NULL,
	"login_url" text NOT NULL,
	"return_to" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "salesforce_stages" (
	"workspace_id" uuid NOT NULL,
	"stage_name" text NOT NULL,
	"is_closed" boolean NOT NULL,
	"is_won" boolean NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "salesforce_stages_workspace_id_stage_name_pk" PRIMARY KEY("workspace_id","stage_name")
);
--> statement-breakpoint
CREATE TABLE "salesforce_sync_objects" (
	"connection_id" uuid NOT NULL,
	"object" text NOT NULL,
	"checkpoint" timestamp with time zone,
	"bulk_job_id" text,
	"bulk_locator" text,
	"bulk_max_modstamp" timestamp with time zone,
	"progress_rows" bigint DEFAULT 0 NOT NULL,
	"progress_total" bigint,
	"last_run_started_at" timestamp with time zone,
	"last_run_finished_at" timestamp with time zone,
	"last_outcome" text,
	"last_rows" bigint,
	"last_error" text,
	CONSTRAINT "salesforce_sync_objects_connection_id_object_pk" PRIMARY KEY("connection_id","object")
);
--> statement-breakpoint
CREATE TABLE "salesforce_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"rows" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "visitor_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "rating" smallint;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "qualified" boolean;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "meeting_booked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "target_account" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "captured_email" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "captured_name" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "captured_phone" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "captured_website" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "captured_company" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_touches" ADD CONSTRAINT "opportunity_touches_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_secrets" ADD CONSTRAINT "webhook_secrets_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "currency_rates" ADD CONSTRAINT "currency_rates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_connections" ADD CONSTRAINT "salesforce_connections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_oauth_flows" ADD CONSTRAINT "salesforce_oauth_flows_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_stages" ADD CONSTRAINT "salesforce_stages_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD CONSTRAINT "salesforce_sync_objects_connection_id_salesforce_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."salesforce_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "salesforce_sync_runs" ADD CONSTRAINT "salesforce_sync_runs_connection_id_salesforce_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."salesforce_connections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_workspace" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "opportunity_touches_conversation" ON "opportunity_touches" USING btree ("workspace_id","conversation_id");--> statement-breakpoint
CREATE INDEX "opportunity_touches_agent" ON "opportunity_touches" USING btree ("workspace_id","agent_id");--> statement-breakpoint
CREATE INDEX "currency_rates_code" ON "currency_rates" USING btree ("workspace_id","iso_code");--> statement-breakpoint
CREATE INDEX "salesforce_sync_runs_connection" ON "salesforce_sync_runs" USING btree ("connection_id","started_at");--> statement-breakpoint
CREATE INDEX "conversations_meetings" ON "conversations" USING btree ("workspace_id","meeting_booked_at");