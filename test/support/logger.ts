import { createLogger } from '../../src/platform/logger';

/** Quiet unless TEST_LOG_LEVEL asks for more. */
export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
