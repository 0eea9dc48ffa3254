// The web app built from the current sources. Vite builds running at once in two jest workers break
// each other (its config is bundled to a temporary file beside it), so `npm test` builds once, in the
// global setup, and each browser test file serves its own copy of that build.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
/** Debian's chromium package: the browser tests run only where it is installed. */
export const CHROMIUM = '/usr/bin/chromium';

/** Runs `vite build` into a new temporary directory and returns it. */
export function viteBuild(): string {
  const out = mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'web/vite.config.mts',
      '--outDir',
      out,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  return out;
}

/** A directory of its own holding the web app: a copy of the global setup's build, or a new build. */
export function buildWebApp(): string {
  const built = process.env.TEST_WEB_BUILD;
  if (!built) return viteBuild();
  const out = mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
  cpSync(built, out, { recursive: true });
  return out;
}
