// One PostgreSQL connection whose socket we hold, so it can be destroyed outright.
//
// Why not `sql.end()`: postgres.js ends a connection by half-closing its socket (a FIN after the
// Terminate message) and no longer reads it. A backend still writing a COPY to it then blocks on a
// full socket buffer (wait event ClientWrite) for as long as the kernel keeps the socket, holding
// its snapshot and every DROP DATABASE of the cluster (ProcSignalBarrier). Destroying the socket
// closes it both ways: the backend's next write fails (the kernel answers with a reset) and it
// exits at once. `client_connection_check_interval` (PostgreSQL 14+) makes a backend that is still
// computing, and not writing, notice the closed socket too.
import net from 'node:net';
import postgres from 'postgres';

export interface DisposableConnection {
  readonly sql: postgres.Sql;
  /** Closes the socket both ways now: the backend sees the client gone and ends its statement. */
  destroy(): void;
}

export interface DisposableOptions {
  applicationName: string;
  /** How often a busy backend checks that this client is still there (ms). */
  checkIntervalMs?: number;
}

export function openDisposableConnection(url: string, options: DisposableOptions): DisposableConnection {
  let socket: net.Socket | null = null;
  let destroyed = false;
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    max_lifetime: null,
    connection: {
      application_name: options.applicationName,
      client_connection_check_interval: String(options.checkIntervalMs ?? 1000),
    },
    // postgres.js starts its protocol on the socket this returns (already connected).
    socket: ({ host, port, path }: { host: string[]; port: number[]; path: string | false }) =>
      new Promise<net.Socket>((resolve, reject) => {
        if (destroyed) return reject(new Error('this download connection was already closed'));
        const s = path ? net.connect(path) : net.connect(port[0]!, host[0]!);
        socket = s;
        s.once('connect', () => {
          s.removeListener('error', reject);
          resolve(s);
        });
        s.once('error', reject);
      }),
  } as postgres.Options<Record<string, never>>);
  return {
    sql,
    destroy() {
      destroyed = true;
      socket?.destroy();
      // Settles postgres.js's own state (the pending query is rejected); the socket is already gone.
      sql.end({ timeout: 0 }).catch(() => {});
    },
  };
}
