-- An org belongs to one workspace (issue 9). Before the unique index of the next migration, any org
-- connected to several workspaces keeps only its earliest connection; the later ones are
-- disconnected (their tokens deleted, as a disconnect does) and say why. Synced history stays.
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY org_id ORDER BY connected_at, id) AS n
  FROM salesforce_connections
  WHERE status <> 'disconnected'
)
UPDATE salesforce_connections c
SET status = 'disconnected',
    refresh_token_enc = NULL,
    access_token_enc = NULL,
    token_version = c.token_version + 1,
    last_error = 'This Salesforce org is also connected to another workspace, which connected it first; an org belongs to one workspace, so this connection was closed. Its synced history and ledger stay.',
    last_error_at = now(),
    updated_at = now()
FROM ranked
WHERE ranked.id = c.id AND ranked.n > 1;
