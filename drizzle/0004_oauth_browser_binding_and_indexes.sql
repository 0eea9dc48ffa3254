ALTER TABLE "salesforce_oauth_flows" ADD COLUMN "browser_nonce_hash" text;--> statement-breakpoint
CREATE INDEX "opportunity_touches_team" ON "opportunity_touches" USING btree ("workspace_id","team_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received" ON "webhook_deliveries" USING btree ("received_at");