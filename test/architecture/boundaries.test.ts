// The layer rule of ARCHITECTURE.md is enforced by `npm run lint` (eslint-plugin-boundaries, see
// eslint.config.mjs): these cases show it failing on the imports it exists to stop.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const probe = (file: string, ...imports: string[]) => ({
  file,
  code: `${imports.map((m, i) => `import * as m${i} from '${m}';`).join('\n')}\nexport const used = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`,
});

const PROBES = {
  lowerImportsHigher: probe('src/platform/probe.ts', '../ledger/append'),
  domainImportsApi: probe('src/ledger/probe.ts', '../api/app'),
  domainImportsApp: probe('src/reporting/probe.ts', '../app/root'),
  srcImportsTools: probe('src/app/probe.ts', '../../tools/fake-salesforce/src/index'),
  engineImportsPlatform: probe('src/attribution/probe.ts', '../platform/errors'),
  allowedDomain: probe('src/reporting/probe.ts', '../ledger/series', '../platform/errors'),
  allowedEdge: probe('src/app/probe.ts', '../api/app'),
};

/** The boundary errors of every probe, from one ESLint run with the project's own config. */
let errors: Record<keyof typeof PROBES, string[]>;

beforeAll(() => {
  const names = Object.keys(PROBES) as (keyof typeof PROBES)[];
  const out = execFileSync(process.execPath, [path.join(__dirname, 'lint-probes.mjs')], {
    cwd: root,
    input: JSON.stringify(names.map((n) => PROBES[n])),
    encoding: 'utf8',
  });
  const results = JSON.parse(out) as string[][];
  errors = Object.fromEntries(names.map((n, i) => [n, results[i]!])) as typeof errors;
}, 60_000);

describe('the layer boundaries (npm run lint)', () => {
  it('refuse a lower layer importing a higher one', () => {
    expect(errors.lowerImportsHigher).toEqual([expect.stringMatching(/"platform" to elements of type "ledger"/)]);
  });

  it('refuse a domain importing the HTTP edge or the composition root', () => {
    expect(errors.domainImportsApi).toEqual([expect.stringMatching(/"ledger" to elements of type "api"/)]);
    expect(errors.domainImportsApp).toEqual([expect.stringMatching(/"reporting" to elements of type "app"/)]);
  });

  it('refuse src/ importing the Salesforce double in tools/', () => {
    expect(errors.srcImportsTools).toEqual([expect.stringMatching(/"app" to elements of type "tools"/)]);
  });

  it('refuse the pure engine importing anything outside itself', () => {
    expect(errors.engineImportsPlatform).toEqual([
      expect.stringMatching(/"attribution" to elements of type "platform"/),
    ]);
  });

  it('accept the imports the layering allows', () => {
    expect(errors.allowedDomain).toEqual([]);
    expect(errors.allowedEdge).toEqual([]);
  });
});
