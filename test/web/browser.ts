// A real headless Chromium (Debian's chromium package) driven by playwright-core, and the web app
// built from the current sources. Without chromium the browser tests are SKIPPED, loudly.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.join(__dirname, '..', '..');
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts', 'web');

const available = existsSync(CHROMIUM);
if (!available) {
  process.stderr.write(
    `\n\n*** ${CHROMIUM} is missing: the web app's browser tests are SKIPPED. ***\n` +
      '*** Install it with: apt-get update && apt-get install -y chromium (.ci/run does) ***\n\n',
  );
}
export const describeWithChromium: jest.Describe = available ? describe : describe.skip;

export function launchBrowser(): Promise<Browser> {
  // playwright gives each launch a fresh temporary profile (user-data-dir); as root Chromium needs --no-sandbox.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Builds the web app from the current sources into a directory of its own (a second or so). */
export function buildWebApp(): string {
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

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
