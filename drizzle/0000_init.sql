CREATE TABLE "attribution_dirty" (
	"workspace_id" uuid NOT NULL,
	"opportunity_id" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attribution_dirty_workspace_id_opportunity_id_pk" PRIMARY KEY("workspace_id","opportunity_id")
);
--> statement-breakpoint
CREATE TABLE "daily_totals" (
	"workspace_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"day" date NOT NULL,
	"pipeline" numeric(20, 2) NOT NULL,
	"closed_won" numeric(20, 2) NOT NULL,
	CONSTRAINT "daily_totals_workspace_id_scope_day_pk" PRIMARY KEY("workspace_id","scope","day")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"workspace_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"opportunity_id" text NOT NULL,
	"measure" text NOT NULL,
	"effective_day" date NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"correction" boolean NOT NULL,
	"causes" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"engine_version" text NOT NULL,
	"revision" integer NOT NULL,
	"batch_id" uuid NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "ledger_entries_workspace_id_seq_pk" PRIMARY KEY("workspace_id","seq"),
	CONSTRAINT "ledger_entries_revision" UNIQUE("workspace_id","opportunity_id","measure","effective_day","revision"),
	CONSTRAINT "ledger_entries_measure" CHECK ("ledger_entries"."measure" in ('pipeline', 'closed_won'))
);
--> statement-breakpoint
CREATE TABLE "ledger_heads" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_influence" (
	"workspace_id" uuid NOT NULL,
	"opportunity_id" text NOT NULL,
	"team_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"start_day" date NOT NULL,
	"conversation_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"contact_role_id" text NOT NULL,
	"version_ids" text[] NOT NULL,
	CONSTRAINT "opportunity_influence_workspace_id_opportunity_id_team_id_pk" PRIMARY KEY("workspace_id","opportunity_id","team_id")
);
--> statement-breakpoint
CREATE TABLE "contact_role_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "contact_role_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"contact_role_id" text NOT NULL,
	"opportunity_id" text,
	"contact_id" text,
	"role" text,
	"is_primary" boolean,
	"created_date" timestamp with time zone,
	CONSTRAINT "contact_role_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "contact_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "contact_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"contact_id" text NOT NULL,
	"name" text,
	"account_id" text,
	"email" text,
	"email_normalized" text,
	CONSTRAINT "contact_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_emails" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" text NOT NULL,
	"email_normalized" text NOT NULL,
	CONSTRAINT "conversation_emails_workspace_id_conversation_id_email_normalized_pk" PRIMARY KEY("workspace_id","conversation_id","email_normalized")
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"workspace_id" uuid NOT NULL,
	"id" text NOT NULL,
	"team_id" text NOT NULL,
	"agent_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"emails" text[] DEFAULT '{}'::text[] NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_workspace_id_id_pk" PRIMARY KEY("workspace_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "lead_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lead_id" text NOT NULL,
	"email" text,
	"email_normalized" text,
	"is_converted" boolean DEFAULT false NOT NULL,
	"converted_contact_id" text,
	"converted_opportunity_id" text,
	CONSTRAINT "lead_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "opportunity_versions" (
	"workspace_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"is_deleted" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "opportunity_versions_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"opportunity_id" text NOT NULL,
	"name" text,
	"account_id" text,
	"amount" numeric(18, 2),
	"currency_iso_code" text,
	"stage_name" text,
	"is_closed" boolean NOT NULL,
	"is_won" boolean NOT NULL,
	"close_date" date,
	"created_date" timestamp with time zone,
	CONSTRAINT "opportunity_versions_workspace_id_version_id_pk" PRIMARY KEY("workspace_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"reporting_currency" text DEFAULT 'USD' NOT NULL,
	"attribution_window_days" integer DEFAULT 90 NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "attribution_dirty" ADD CONSTRAINT "attribution_dirty_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_totals" ADD CONSTRAINT "daily_totals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_heads" ADD CONSTRAINT "ledger_heads_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_influence" ADD CONSTRAINT "opportunity_influence_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_role_versions" ADD CONSTRAINT "contact_role_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_versions" ADD CONSTRAINT "contact_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_emails" ADD CONSTRAINT "conversation_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_versions" ADD CONSTRAINT "lead_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_versions" ADD CONSTRAINT "opportunity_versions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_day" ON "ledger_entries" USING btree ("workspace_id","effective_day");--> statement-breakpoint
CREATE INDEX "ledger_entries_recorded" ON "ledger_entries" USING btree ("workspace_id","recorded_at");--> statement-breakpoint
CREATE INDEX "opportunity_influence_team" ON "opportunity_influence" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE INDEX "contact_role_versions_record" ON "contact_role_versions" USING btree ("workspace_id","contact_role_id");--> statement-breakpoint
CREATE INDEX "contact_role_versions_opportunity" ON "contact_role_versions" USING btree ("workspace_id","opportunity_id");--> statement-breakpoint
CREATE INDEX "contact_role_versions_contact" ON "contact_role_versions" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "contact_versions_record" ON "contact_versions" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "contact_versions_email" ON "contact_versions" USING btree ("workspace_id","email_normalized");--> statement-breakpoint
CREATE INDEX "conversation_emails_email" ON "conversation_emails" USING btree ("workspace_id","email_normalized");--> statement-breakpoint
CREATE INDEX "conversations_started" ON "conversations" USING btree ("workspace_id","started_at");--> statement-breakpoint
CREATE INDEX "lead_versions_record" ON "lead_versions" USING btree ("workspace_id","lead_id");--> statement-breakpoint
CREATE INDEX "lead_versions_email" ON "lead_versions" USING btree ("workspace_id","email_normalized");--> statement-breakpoint
CREATE INDEX "lead_versions_converted_contact" ON "lead_versions" USING btree ("workspace_id","converted_contact_id");--> statement-breakpoint
CREATE INDEX "opportunity_versions_record" ON "opportunity_versions" USING btree ("workspace_id","opportunity_id","occurred_at");