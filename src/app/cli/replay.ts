// npm run --silent replay -- FILE... [--teams a,b] [--model first|last|linear|u_shaped|time_decay]
// One JSON line per file, in order; an invalid file is reported on stderr and the exit code is 2.
// With --model, each line also holds every touching conversation's credit over the file.
import { parseArgs } from 'node:util';
import { CREDIT_MODELS, isCreditModel } from '../../attribution/credit';
import { isAppError } from '../../platform/errors';
import { readScenario } from '../../scenarios/read';
import { parseTeamList, replayCredit, replayScenario } from '../../scenarios/replay';

const USAGE = `usage: npm run --silent replay -- FILE... [--teams a,b] [--model ${CREDIT_MODELS.join('|')}]`;

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { teams: { type: 'string' }, model: { type: 'string' } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.positionals.length === 0) {
    process.stderr.write(`no scenario file given\n${USAGE}\n`);
    return 2;
  }
  const model = args.values.model;
  if (model !== undefined && !isCreditModel(model)) {
    process.stderr.write(`--model: expected one of ${CREDIT_MODELS.join(', ')}, not "${model}"\n${USAGE}\n`);
    return 2;
  }
  const teams = args.values.teams !== undefined ? parseTeamList(args.values.teams) : null;
  let failed = false;
  for (const file of args.positionals) {
    try {
      const scenario = await readScenario(file);
      const daily = replayScenario(scenario, teams);
      const line = model ? { file, daily, credit: replayCredit(scenario, model, teams) } : { file, daily };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    } catch (err) {
      if (!isAppError(err, 'invalid_input')) throw err;
      process.stderr.write(`${err.message}\n`);
      failed = true;
    }
  }
  return failed ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`replay failed: ${(err as Error).stack}\n`);
    process.exitCode = 1;
  },
);
