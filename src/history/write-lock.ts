// Linking is two-sided: a chat links to a contact by email, and either can arrive first. Each
// writer marks dirty the opportunities it can see; a chat batch and a sync page running at the
// same time would each miss the other's uncommitted half. So history writers of one workspace
// take this lock: shared for conversations (batches stay concurrent), exclusive for Salesforce
// versions. A session already holding it exclusively may take it shared again.
import type { Tx } from '../platform/db/client';
import { lockForTransaction } from '../platform/locks';

export async function lockHistoryWrites(tx: Tx, workspaceId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  await lockForTransaction(tx, `history:${workspaceId}`, mode);
}
