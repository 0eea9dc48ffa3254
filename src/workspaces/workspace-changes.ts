// Changes to a workspace's settings or teams made through this process, counted: the workspace
// cache (workspace-cache.ts) drops what it holds when the count moves.
let changes = 0;

export const workspaceChangesSoFar = () => changes;

/**
 * Call once a change to a workspace's settings or teams is committed (for a change inside a
 * transaction, also before it: a report read between the two then remembers nothing).
 */
export function noteWorkspaceChanged(): void {
  changes += 1;
}
