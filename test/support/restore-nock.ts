// nock patches Node's http module, which every test file of a jest worker shares, while each file
// loads a nock of its own: unrestored, a file's interceptor outlives it and sits under the HTTP of
// the files after it (a browser test's compressed asset was reset mid-body, ECONNRESET). Loaded
// only here, at the end, so a file that never used nock is not intercepted while it runs.
afterAll(() => {
  jest.requireActual<typeof import('nock')>('nock').restore();
});
