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
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "bulk_api_version" text;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "deleted_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "last_note" text;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "last_nul_stripped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "salesforce_quarantine" ADD CONSTRAINT "salesforce_quarantine_connection_id_salesforce_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."salesforce_connections"("id") ON DELETE no action ON UPDATE no action;