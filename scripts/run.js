#!/usr/bin/env node
// Runs a TypeScript entry point: from source through tsx in a checkout with dev dependencies,
// from the compiled dist/ in the production image (where tsx is not installed).
// usage: node scripts/run.js src/app/cli/replay.ts [args...]
'use strict';
const path = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.js <entry.ts> [args...]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(entry), ...args];

let tsx = null;
try {
  tsx = require('tsx/cjs/api');
} catch {
  // production image: no dev dependencies
}
if (tsx) {
  tsx.register();
  require(path.resolve(entry));
} else {
  require(path.resolve(__dirname, '..', 'dist', entry.replace(/\.ts$/, '.js')));
}
