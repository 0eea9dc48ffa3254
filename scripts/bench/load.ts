// Loads one endpoint two ways at the same concurrency for the same time: through the real HTTP
// service with autocannon, and as the floor, the very statements the endpoint runs (captured from
// postgres.js) replayed straight on a pool of the service's size, with no HTTP, auth or JSON.
// The two alternate in short rounds, so a busy neighbour on a shared machine slows both alike.
import autocannon from 'autocannon';
import type postgres from 'postgres';

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One timed run: how many requests finished, their latencies (ms), and how long it took (s). */
export interface Sample {
  latencies: number[];
  seconds: number;
  errors: number;
}

export function figuresOf(samples: Sample[]): LoadFigures {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((t, s) => t + s.seconds, 0);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    rps: round(latencies.length / Math.max(seconds, 1e-3)),
    p50: at(0.5),
    p99: at(0.99),
    errors: samples.reduce((t, s) => t + s.errors, 0),
  };
}

/** GET paths through the service for `seconds`, round-robin, `connections` at a time. */
export function loadHttp(
  baseUrl: string,
  targets: { path: string; key: string }[],
  connections: number,
  seconds: number,
): Promise<Sample> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const t = targets[next++ % targets.length]!;
              return { ...req, path: t.path, headers: { authorization: `Bearer ${t.key}` } };
            },
          },
        ],
      },
      (err, result) => {
        if (err) reject(err);
        else resolve({ latencies, seconds: result.duration, errors: result.errors + result.non2xx });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

export interface Statement {
  query: string;
  parameters: unknown[];
}

/** One request's statements, in the order the endpoint ran them. */
export type Script = Statement[];

/** The floor: each of `concurrency` loops runs one script's statements in order, again and again. */
export async function loadSql(
  sql: postgres.Sql,
  scripts: Script[],
  concurrency: number,
  seconds: number,
): Promise<Sample> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const loop = async () => {
    while (performance.now() < end) {
      const script = scripts[next++ % scripts.length]!;
      const t0 = performance.now();
      // Parameters go back exactly as postgres.js serialized them for the endpoint.
      for (const s of script) await sql.unsafe(s.query, s.parameters as postgres.ParameterOrJSON<never>[]);
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, seconds: (performance.now() - t0) / 1000, errors: 0 };
}

const round = (x: number) => Math.round(x * 10) / 10;
