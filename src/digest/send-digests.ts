// Sends each saved view's weekly digest to its recipients once it is due (Monday 08:00 in the
// workspace's zone), once per view and week. The week is claimed by a digest_sends row inserted
// in the transaction that sends the email: a second worker (or a retried job) waits on that row
// and then finds it, and a send that fails rolls the claim back for the next try. A worker that
// dies after the server accepted the message but before the commit sends it again: at least once.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/db/client';
import { digestSends, savedViews, workspaces } from '../platform/db/schema';
import { AppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { withTransaction } from '../platform/tx';
import { buildDigest } from './digest-report';
import { digestWeeks } from './digest-week';
import type { Mailer } from './mailer';
import { renderDigest } from './render-digest';

export interface DigestSender {
  db: Db;
  mailer: Mailer;
  /** DIGEST_FROM. */
  from: string;
  /** PUBLIC_URL: where the email's links lead. */
  baseUrl: string;
  logger: Logger;
}

export interface DigestRun {
  sent: number;
  /** Due but sent already (by this worker before, or another one). */
  alreadySent: number;
  failed: number;
  /** Views whose digest cannot be built as they stand (a team of theirs was removed): logged, not retried. */
  unsendable: number;
}

export async function sendDueDigests(deps: DigestSender, now = new Date()): Promise<DigestRun> {
  const candidates = await deps.db
    .select({ view: savedViews, timeZone: workspaces.timeZone })
    .from(savedViews)
    .innerJoin(workspaces, eq(workspaces.id, savedViews.workspaceId))
    .where(sql`cardinality(${savedViews.digestRecipients}) > 0`);
  const run: DigestRun = { sent: 0, alreadySent: 0, failed: 0, unsendable: 0 };
  for (const { view, timeZone } of candidates) {
    const { week, dueAt } = digestWeeks(timeZone, now);
    // Not yet Monday 08:00; or the view was saved after this week's digest fell due: its first goes next week.
    if (now < dueAt || view.createdAt >= dueAt) continue;
    const log = deps.logger.child({ workspaceId: view.workspaceId, viewId: view.id, week: week.from });
    try {
      const sent = await sendOne(deps, view.workspaceId, view.id, week.from, now);
      if (sent) {
        run.sent += 1;
        log.info({ recipients: sent.recipients, messageId: sent.messageId }, 'weekly digest sent');
      } else run.alreadySent += 1;
    } catch (err) {
      if (err instanceof AppError && !err.retryable) {
        run.unsendable += 1;
        log.warn(
          { err: { message: err.message } },
          'a weekly digest cannot be built: change the view (PATCH /api/v1/views)',
        );
        continue;
      }
      run.failed += 1;
      // The message only: an SMTP error's other fields may echo the conversation with the server.
      log.warn({ err: { message: (err as Error).message } }, 'could not send a weekly digest; the next try sends it');
    }
  }
  if (run.failed > 0)
    throw new AppError('unavailable', `${run.failed} weekly digest(s) could not be sent; they are retried`, {
      details: { ...run },
    });
  return run;
}

/** Claims the view's week and sends its digest in one transaction; null when it was sent already. */
async function sendOne(deps: DigestSender, workspaceId: string, viewId: string, weekStart: string, now: Date) {
  return withTransaction(
    deps.db,
    async (tx) => {
      // Read again under the claim: the view may have changed or gone since the list was read.
      const [view] = await tx
        .select()
        .from(savedViews)
        .where(and(eq(savedViews.workspaceId, workspaceId), eq(savedViews.id, viewId)))
        .for('key share');
      if (!view || view.digestRecipients.length === 0) return null;
      const [claimed] = await tx
        .insert(digestSends)
        .values({ workspaceId, viewId, weekStart, recipients: view.digestRecipients })
        .onConflictDoNothing()
        .returning();
      if (!claimed) return null;
      const digest = renderDigest(await buildDigest(tx, view, now), { baseUrl: deps.baseUrl });
      const { messageId } = await deps.mailer.send({
        from: deps.from,
        to: view.digestRecipients,
        subject: digest.subject,
        html: digest.html,
        text: digest.text,
      });
      await tx
        .update(digestSends)
        .set({ messageId })
        .where(
          and(
            eq(digestSends.workspaceId, workspaceId),
            eq(digestSends.viewId, viewId),
            eq(digestSends.weekStart, weekStart),
          ),
        );
      return { recipients: view.digestRecipients.length, messageId };
    },
    { logger: deps.logger, name: 'digest.send' },
  );
}
