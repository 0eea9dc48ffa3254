import type { JobHandlers } from '../../src/jobs/contract';
import { AppError } from '../../src/platform/errors';
import type { Jobs } from '../../src/jobs/create';
import { bullmqJobs, eventually, inProcessJobs } from '../support/queues';
import { describeWithRedis } from '../support/redis';

const WS = '00000000-0000-4000-8000-000000000001';

/** Handlers that record calls; `plan` says how each call ends. */
function recordingHandlers(plan: (call: number) => 'ok' | 'retry' | 'permanent') {
  const calls: { name: string; payload: unknown; attempt: number }[] = [];
  const run = (name: string) => async (payload: unknown, ctx: { attempt: number }) => {
    calls.push({ name, payload, attempt: ctx.attempt });
    const outcome = plan(calls.length);
    if (outcome === 'retry') throw new Error('transient failure');
    if (outcome === 'permanent') throw new AppError('misconfigured', 'cannot succeed');
  };
  const handlers = {
    'attribution.recompute': run('attribution.recompute'),
    'attribution.sweep': run('attribution.sweep'),
    'salesforce.sync': run('salesforce.sync'),
  } as unknown as JobHandlers;
  return { handlers, calls };
}

function transportContract(make: () => Jobs & { cleanup?: () => Promise<void> }) {
  let jobs: Jobs & { cleanup?: () => Promise<void> };
  beforeEach(() => {
    jobs = make();
  });
  afterEach(async () => {
    await jobs.worker.close(5000);
    await jobs.queue.close();
    await jobs.cleanup?.();
  });

  it('runs an enqueued job with its validated payload', async () => {
    const { handlers, calls } = recordingHandlers(() => 'ok');
    jobs.worker.start(handlers);
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: WS });
    await eventually(
      async () => calls.length,
      (n) => n === 1,
    );
    expect(calls[0]).toEqual({ name: 'attribution.recompute', payload: { workspaceId: WS }, attempt: 1 });
  });

  it('refuses a payload that breaks the contract before it is queued', async () => {
    await expect(jobs.queue.enqueue('attribution.recompute', { workspaceId: 'not-a-uuid' })).rejects.toThrow(/uuid/i);
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    const { handlers, calls } = recordingHandlers((n) => (n < 3 ? 'retry' : 'ok'));
    jobs.worker.start(handlers);
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: WS });
    await eventually(
      async () => calls.length,
      (n) => n === 3,
      20_000,
    );
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
  }, 30_000);

  it('does not retry a permanent failure', async () => {
    const { handlers, calls } = recordingHandlers(() => 'permanent');
    jobs.worker.start(handlers);
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: WS });
    await eventually(
      async () => calls.length,
      (n) => n === 1,
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(calls).toHaveLength(1);
  });

  it('absorbs a second job with the same id while the first is pending', async () => {
    const { handlers, calls } = recordingHandlers(() => 'ok');
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: WS }, { jobId: 'same' });
    await jobs.queue.enqueue('attribution.recompute', { workspaceId: WS }, { jobId: 'same' });
    jobs.worker.start(handlers);
    await eventually(
      async () => calls.length,
      (n) => n >= 1,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(calls).toHaveLength(1);
  });

  it('runs a scheduled job repeatedly until it is unscheduled', async () => {
    const { handlers, calls } = recordingHandlers(() => 'ok');
    jobs.worker.start(handlers);
    await jobs.queue.schedule('test-every', 'attribution.sweep', {}, 300);
    await eventually(
      async () => calls.length,
      (n) => n >= 2,
      10_000,
    );
    await jobs.queue.unschedule('test-every');
    await new Promise((r) => setTimeout(r, 400));
    const after = calls.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(calls.length).toBe(after);
  });
}

describe('the in-process job transport', () => {
  transportContract(inProcessJobs);
});

describeWithRedis('the BullMQ job transport on the real Redis', () => {
  transportContract(bullmqJobs);
});
