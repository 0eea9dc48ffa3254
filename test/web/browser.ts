// A real headless Chromium (Debian's chromium package) driven by playwright-core, and the web app
// built from the current sources. Without chromium the browser tests are SKIPPED, loudly.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../support/web-build';

export { CHROMIUM };

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

export { buildWebApp } from '../support/web-build';

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
