// Lints source texts as if they were files of the project, with the project's ESLint config, in a
// process of its own (jest's module sandbox cannot load an ES module config). Reads
// [{ file, code }] on stdin; prints, for each, the messages of the boundaries rule.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const probes = JSON.parse(
  await new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (c) => (text += c)).on('end', () => resolve(text));
  }),
);
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { file, code } of probes) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  out.push(result.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
