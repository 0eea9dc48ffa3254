-- ATTRIBUTION.md rule 2, ASCII only (security finding 16): trim ASCII white space, lower-case A-Z,
-- nothing else, so a Unicode look-alike (the Kelvin sign U+212A) no longer links to "k". The SQL
-- twin of normalizeEmail (src/attribution/history.ts); the stored normal forms are recomputed with it.
create or replace function email_normalized(email text) returns text
  language sql immutable parallel safe
  as $$ select nullif(translate(btrim(email, E' \t\n\x0b\f\r'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), '') $$;
--> statement-breakpoint
update contact_versions set email_normalized = email_normalized(email)
  where email_normalized is distinct from email_normalized(email);
--> statement-breakpoint
update lead_versions set email_normalized = email_normalized(email)
  where email_normalized is distinct from email_normalized(email);
--> statement-breakpoint
update field_history
  set old_email_normalized = email_normalized(old_value), new_email_normalized = email_normalized(new_value)
  where field = 'Email'
    and (old_email_normalized is distinct from email_normalized(old_value)
      or new_email_normalized is distinct from email_normalized(new_value));
--> statement-breakpoint
delete from conversation_emails;
--> statement-breakpoint
insert into conversation_emails (workspace_id, conversation_id, email_normalized)
  select distinct c.workspace_id, c.id, email_normalized(e)
  from conversations c, unnest(c.emails) as e
  where email_normalized(e) is not null
  on conflict do nothing;
