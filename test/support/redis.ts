// Tests that need the real Redis run only when global setup reached it; otherwise they show as
// skipped (and global setup printed why), never as passed.
export const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const describeWithRedis: jest.Describe = process.env.TEST_REDIS_AVAILABLE === '1' ? describe : describe.skip;
