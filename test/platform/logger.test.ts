import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger';

it('never logs the parameters of a failed query (visitors\u2019 emails, names)', () => {
  const lines: string[] = [];
  const log = createLogger(
    'info',
    {},
    new Writable({
      write(c, _e, done) {
        lines.push(String(c));
        done();
      },
    }),
  );
  const err = new Error('Failed query: insert into conversations ...\nparams: 8f1e,visitor@example.com,Jane Doe');
  log.error({ err }, 'ingestion failed');
  expect(lines.join('')).toContain('params: [not logged]');
  expect(lines.join('')).not.toContain('visitor@example.com');
});
