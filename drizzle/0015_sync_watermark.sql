-- The incremental's watermark: Salesforce's time when the last finished pass of an object started
-- (the Date header of its first query response, or a Bulk job's createdDate). Null until a pass
-- finishes with it: that object's next pass starts from its checkpoint as before.
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "watermark" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "salesforce_sync_objects" ADD COLUMN "bulk_started_at" timestamp with time zone;