CREATE TABLE "opportunity_days" (
	"workspace_id" uuid NOT NULL,
	"opportunity_id" text NOT NULL,
	"day" date NOT NULL,
	"pipeline" numeric(20, 2) NOT NULL,
	"closed_won" numeric(20, 2) NOT NULL,
	"pipeline_to_date" numeric(20, 2) NOT NULL,
	"closed_won_to_date" numeric(20, 2) NOT NULL,
	CONSTRAINT "opportunity_days_workspace_id_opportunity_id_day_pk" PRIMARY KEY("workspace_id","opportunity_id","day")
);
--> statement-breakpoint
ALTER TABLE "opportunity_days" ADD CONSTRAINT "opportunity_days_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "opportunity_days_day" ON "opportunity_days" USING btree ("workspace_id","day");--> statement-breakpoint
-- Backfill from the ledger as it stands: each opportunity's days, then its running totals.
INSERT INTO "opportunity_days" ("workspace_id", "opportunity_id", "day", "pipeline", "closed_won", "pipeline_to_date", "closed_won_to_date")
SELECT "workspace_id", "opportunity_id", "day", "pipeline", "closed_won",
       sum("pipeline") OVER w, sum("closed_won") OVER w
FROM (
  SELECT "workspace_id", "opportunity_id", "effective_day" AS "day",
         coalesce(sum("amount") FILTER (WHERE "measure" = 'pipeline'), 0) AS "pipeline",
         coalesce(sum("amount") FILTER (WHERE "measure" = 'closed_won'), 0) AS "closed_won"
  FROM "ledger_entries"
  GROUP BY 1, 2, 3
) d
WINDOW w AS (PARTITION BY "workspace_id", "opportunity_id" ORDER BY "day");--> statement-breakpoint
ANALYZE "opportunity_days";
