CREATE TABLE "contact_accounts" (
	"workspace_id" uuid NOT NULL,
	"contact_id" text NOT NULL,
	"account_id" text NOT NULL,
	CONSTRAINT "contact_accounts_workspace_id_contact_id_pk" PRIMARY KEY("workspace_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "contact_emails" (
	"workspace_id" uuid NOT NULL,
	"email_normalized" text NOT NULL,
	"contact_id" text NOT NULL,
	CONSTRAINT "contact_emails_workspace_id_email_normalized_contact_id_pk" PRIMARY KEY("workspace_id","email_normalized","contact_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_accounts" (
	"workspace_id" uuid NOT NULL,
	"conversation_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"account_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"team_id" text NOT NULL,
	"agent_id" text,
	"target_account" boolean NOT NULL,
	CONSTRAINT "conversation_accounts_workspace_id_conversation_id_contact_id_pk" PRIMARY KEY("workspace_id","conversation_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "contact_accounts" ADD CONSTRAINT "contact_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_emails" ADD CONSTRAINT "contact_emails_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_accounts" ADD CONSTRAINT "conversation_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_accounts_account" ON "contact_accounts" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "contact_emails_contact" ON "contact_emails" USING btree ("workspace_id","contact_id");--> statement-breakpoint
CREATE INDEX "conversation_accounts_started" ON "conversation_accounts" USING btree ("workspace_id","started_at");--> statement-breakpoint
CREATE INDEX "conversation_accounts_account" ON "conversation_accounts" USING btree ("workspace_id","account_id");--> statement-breakpoint
CREATE INDEX "conversation_accounts_contact" ON "conversation_accounts" USING btree ("workspace_id","contact_id");--> statement-breakpoint
-- Backfill from the versions as they stand, by the definitions of src/history/contact-links.ts
-- (every email a contact has had, its own or a converted lead's, field history included).
INSERT INTO "contact_emails" ("workspace_id", "email_normalized", "contact_id")
SELECT workspace_id, email_normalized, contact_id FROM contact_versions WHERE email_normalized IS NOT NULL
UNION
SELECT l.workspace_id, l.email_normalized, c.converted_contact_id FROM lead_versions l
JOIN lead_versions c ON c.workspace_id = l.workspace_id AND c.lead_id = l.lead_id
WHERE l.email_normalized IS NOT NULL AND c.converted_contact_id IS NOT NULL
UNION
SELECT h.workspace_id, e.email, h.record_id FROM field_history h
CROSS JOIN LATERAL unnest(array[h.old_email_normalized, h.new_email_normalized]) AS e(email)
WHERE h.object = 'Contact' AND h.field = 'Email' AND e.email IS NOT NULL
UNION
SELECT h.workspace_id, e.email, c.converted_contact_id FROM field_history h
JOIN lead_versions c ON c.workspace_id = h.workspace_id AND c.lead_id = h.record_id
CROSS JOIN LATERAL unnest(array[h.old_email_normalized, h.new_email_normalized]) AS e(email)
WHERE h.object = 'Lead' AND h.field = 'Email' AND e.email IS NOT NULL AND c.converted_contact_id IS NOT NULL;--> statement-breakpoint
-- Each contact's account: its latest version naming one, unless a later version deleted it.
INSERT INTO "contact_accounts" ("workspace_id", "contact_id", "account_id")
SELECT workspace_id, contact_id, account_id FROM (
  SELECT DISTINCT ON (workspace_id, contact_id) workspace_id, contact_id, account_id, is_deleted FROM contact_versions
  WHERE account_id IS NOT NULL OR is_deleted
  ORDER BY workspace_id, contact_id, occurred_at DESC, seq DESC
) latest WHERE NOT is_deleted;--> statement-breakpoint
-- Each conversation linked to a contact of an account (src/history/contact-links.ts).
INSERT INTO "conversation_accounts" ("workspace_id", "conversation_id", "contact_id", "account_id", "started_at", "team_id", "agent_id", "target_account")
SELECT DISTINCT c.workspace_id, c.id, ce.contact_id, ca.account_id, c.started_at, c.team_id, c.agent_id, c.target_account
FROM conversations c
JOIN conversation_emails e ON e.workspace_id = c.workspace_id AND e.conversation_id = c.id
JOIN contact_emails ce ON ce.workspace_id = e.workspace_id AND ce.email_normalized = e.email_normalized
JOIN contact_accounts ca ON ca.workspace_id = ce.workspace_id AND ca.contact_id = ce.contact_id;--> statement-breakpoint
ANALYZE "contact_emails";--> statement-breakpoint
ANALYZE "contact_accounts";--> statement-breakpoint
ANALYZE "conversation_accounts";
