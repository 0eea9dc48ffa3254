// Unit tests run pure code; integration tests get a real Postgres (embedded unless
// TEST_DATABASE_URL is set) with a database of their own, and the real Redis at TEST_REDIS_URL.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/tools/fake-salesforce/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', {}] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/restore-nock.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
