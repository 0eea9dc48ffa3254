// Sessions ended and users changed through this process, counted: the session cache
// (session-cache.ts) drops what it holds when the count moves.
let changes = 0;

export const sessionChangesSoFar = () => changes;

/**
 * Call when a session ends or a user's row changes (password, removal), once committed; for a
 * change inside a transaction, also before it, so a request read between the two keeps nothing.
 */
export function noteSessionsChanged(): void {
  changes += 1;
}
