// Conversation batches in: the whole batch in one transaction (a 2xx means it is committed), then
// one attribution recompute for the workspace when anything changed. The API and the webhook
// both come through here; the webhook also records its delivery id in the same transaction.
import { z } from 'zod';
import type { Db, Tx } from '../platform/db/client';
import { conversations, webhookDeliveries } from '../platform/db/schema';
import { textArray } from '../platform/db/sql';
import { sql } from 'drizzle-orm';
import { recordConversations, type ConversationWriteOutcome } from '../history/record';
import type { JobQueue } from '../jobs/contract';
import type { Logger } from '../platform/logger';
import { toConversationRow, type ConversationBatch } from './conversation-input';
import { AppError } from '../platform/errors';
import { registerTeams } from '../workspaces/teams';
import { recordAgentNamesFromChat } from '../workspaces/agents';
import { withTransaction } from '../platform/tx';

export interface IngestDeps {
  db: Db;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
}

export const ingestResult = z
  .object({
    received: z.number().int().meta({ description: 'Conversations in the batch.' }),
    inserted: z.number().int().meta({ description: 'New conversations.' }),
    updated: z.number().int().meta({ description: 'Known conversations whose fields changed.' }),
    unchanged: z.number().int().meta({ description: 'Known conversations sent again as they were: nothing written.' }),
    duplicate: z
      .boolean()
      .optional()
      .meta({ description: 'Webhook only: this delivery id was already processed; nothing written.' }),
  })
  .meta({ id: 'IngestResult', description: 'The batch is committed: every conversation is stored.' });

export type IngestOutcome = ConversationWriteOutcome & { received: number };

/**
 * @param allowedTeams the teams the caller's key may write (null: all); a conversation of another
 * team, or one that now belongs to another team, refuses the whole batch.
 */
export async function ingestConversations(
  deps: IngestDeps,
  workspaceId: string,
  batch: ConversationBatch,
  allowedTeams: readonly string[] | null = null,
): Promise<IngestOutcome> {
  const outcome = await withTransaction(
    deps.db,
    async (tx) => {
      if (allowedTeams) await assertTeamsWritable(tx, workspaceId, batch, allowedTeams);
      return writeBatch(tx, workspaceId, batch);
    },
    { logger: deps.logger, name: 'conversation batch' },
  );
  await requestRecompute(deps, workspaceId, outcome);
  return outcome;
}

/**
 * A webhook delivery: written once per delivery id. A replay of a delivery already committed
 * writes nothing and says so; two concurrent copies serialize on the delivery's primary key.
 */
export async function ingestWebhookDelivery(
  deps: IngestDeps,
  workspaceId: string,
  deliveryId: string,
  batch: ConversationBatch,
): Promise<IngestOutcome & { duplicate: boolean }> {
  const outcome = await withTransaction(
    deps.db,
    async (tx) => {
      const fresh = await tx
        .insert(webhookDeliveries)
        .values({ workspaceId, deliveryId })
        .onConflictDoNothing()
        .returning({ deliveryId: webhookDeliveries.deliveryId });
      if (fresh.length === 0) {
        return { duplicate: true, received: batch.conversations.length, inserted: 0, updated: 0, unchanged: 0 };
      }
      return { duplicate: false, ...(await writeBatch(tx, workspaceId, batch)) };
    },
    { logger: deps.logger, name: 'webhook delivery' },
  );
  await requestRecompute(deps, workspaceId, outcome);
  return outcome;
}

async function assertTeamsWritable(
  tx: Tx,
  workspaceId: string,
  batch: ConversationBatch,
  allowed: readonly string[],
): Promise<void> {
  const ok = new Set(allowed);
  const foreign = new Set(batch.conversations.map((c) => c.teamId).filter((t) => !ok.has(t)));
  const ids = batch.conversations.map((c) => c.id);
  const stored = await tx
    .select({ id: conversations.id, teamId: conversations.teamId })
    .from(conversations)
    .where(sql`${conversations.workspaceId} = ${workspaceId} and ${conversations.id} = any(${textArray(ids)})`);
  for (const row of stored) if (!ok.has(row.teamId)) foreign.add(row.teamId);
  if (foreign.size > 0) {
    throw new AppError(
      'forbidden',
      `this key may only write conversations of the teams ${allowed.join(', ')}; the batch touches ${[...foreign].sort().join(', ')}`,
    );
  }
}

async function writeBatch(tx: Tx, workspaceId: string, batch: ConversationBatch): Promise<IngestOutcome> {
  await registerTeams(
    tx,
    workspaceId,
    batch.conversations.map((c) => c.teamId),
  );
  const rows = batch.conversations.map(toConversationRow);
  const written = await recordConversations(tx, workspaceId, rows);
  // The latest conversation of each agent names it.
  const named = rows
    .filter((r) => r.agentId && r.agentName)
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
    .map((r) => ({ agentId: r.agentId!, name: r.agentName! }));
  await recordAgentNamesFromChat(tx, workspaceId, named);
  return { received: batch.conversations.length, ...written };
}

/**
 * The dirty marks committed with the batch are the durable request; the job only makes it prompt.
 * If the queue is down the batch still stands, and the per-minute sweep picks the marks up.
 */
async function requestRecompute(
  deps: IngestDeps,
  workspaceId: string,
  outcome: ConversationWriteOutcome,
): Promise<void> {
  if (outcome.inserted + outcome.updated === 0) return;
  try {
    await deps.queue.enqueue('attribution.recompute', { workspaceId });
  } catch (err) {
    deps.logger.warn(
      { workspaceId, err: { message: (err as Error).message } },
      'could not enqueue the recompute; the sweep will run it',
    );
  }
}

/** A delivery id only matters while its signature is within the 5-minute tolerance: a day is plenty. */
export async function pruneWebhookDeliveries(db: Db): Promise<void> {
  await db.execute(sql`delete from webhook_deliveries where received_at < now() - interval '1 day'`);
}
