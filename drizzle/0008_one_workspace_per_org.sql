ALTER TABLE "salesforce_connections" ADD COLUMN "user_display_name" text;--> statement-breakpoint
ALTER TABLE "salesforce_oauth_flows" ADD COLUMN "started_by_user_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "salesforce_connections_live_org" ON "salesforce_connections" USING btree ("org_id") WHERE "salesforce_connections"."status" <> 'disconnected';