// The weekly digest of a saved view: the page at /digest/{view} (its figures are the dashboard's,
// leaderboard's and opportunity list's for last week, every name escaped), and its email, sent
// once per view and week through a real SMTP server in this process (smtp-server, which speaks
// RFC 5321 as a mail server does; nodemailer only sends).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createUser } from '../../src/access/users';
import type { RunningService } from '../../src/app/service';
import { addDays } from '../../src/attribution/calendar';
import { digestWeeks } from '../../src/digest/digest-week';
import { smtpMailer, type Mailer } from '../../src/digest/mailer';
import { sendDueDigests } from '../../src/digest/send-digests';
import { loadConfig } from '../../src/platform/config';
import { digestSends, savedViews, type Workspace } from '../../src/platform/db/schema';
import { useTestDatabase } from '../support/database';
import { opportunityRow, writeSalesforceRows } from '../support/history-rows';
import { testLogger } from '../support/logger';
import { inProcessJobs } from '../support/queues';
import { startTestService, testConfig } from '../support/service';
import { DIGEST_SCHEDULE_ID } from '../../src/app/job-handlers';
import { eq } from 'drizzle-orm';
import { deleteTeam, saveTeam } from '../../src/workspaces/teams';
import { apiClient, chat, newKey, newWorkspace, type ApiClient } from './helpers';
import { sessionClient } from './session-client';

const ZONE = 'Europe/Paris';
const HOSTILE_DEAL = '<script>alert("deal")</script> & Co';
const HOSTILE_AGENT = '<img src=x onerror=alert(1)>';
const PASSWORD = 'correct horse battery staple';

const database = useTestDatabase();
let service: RunningService;
let ws: Workspace;
let api: ApiClient;
let viewId: string;
// The digest covers last week relative to the real clock (the page has no other): the data is put there.
const now = new Date();
const { week, previous, dueAt } = digestWeeks(ZONE, now);
const at = (day: string, time: string) => `${day}T${time}Z`;

beforeAll(async () => {
  const jobs = inProcessJobs();
  service = await startTestService({ database, jobs });
  ws = await newWorkspace(database.db, 'digest', { timeZone: ZONE });
  const tue = addDays(week.from, 1);
  await writeSalesforceRows(database.db, ws.id, {
    accounts: [['A1', 'Acme <b>bold</b>']],
    contacts: [
      ['K1', '2020-01-01T00:00:00Z', 'ana@acme.example'],
      ['K2', '2020-01-01T00:00:00Z', 'ben@acme.example'],
    ],
    opportunities: [
      opportunityRow('O1', at(tue, '12:00:00'), { amount: '50000.00', name: HOSTILE_DEAL, accountId: 'A1' }),
      opportunityRow('O2', at(addDays(previous.from, 2), '12:00:00'), { amount: '7000.00', name: 'Older deal' }),
    ],
    roles: [
      ['R1', at(tue, '12:00:00'), 'O1', 'K1'],
      ['R2', at(addDays(previous.from, 2), '12:00:00'), 'O2', 'K2'],
    ],
  });
  api = apiClient(service.url!, await newKey(database.db, ws.id));
  await api.post('/api/v1/conversations', {
    conversations: [
      chat('c1', at(tue, '09:00:00'), {
        agentId: 'agent-1',
        agentName: HOSTILE_AGENT,
        emails: ['ana@acme.example'],
        rating: 3,
      }),
      chat('c2', at(addDays(week.from, 3), '09:00:00'), { agentId: 'agent-2', teamId: 'support' }),
      chat('c3', at(addDays(previous.from, 1), '09:00:00'), { agentId: 'agent-1', emails: ['ben@acme.example'] }),
    ],
  });
  await jobs.jobs.drain();
  const view = await api.post('/api/v1/views', {
    name: 'Sales <weekly>',
    range: { preset: '7d' },
    teams: ['sales'],
    model: 'linear',
    digestRecipients: ['revops@example.com', 'cfo@example.com'],
  });
  expect(view.status).toBe(201);
  viewId = view.body.id;
  // Saved before this week's digest fell due, so this week's is due now.
  await database.db.update(savedViews).set({ createdAt: new Date(dueAt.getTime() - 86_400_000) });
  await createUser(database.db, ws.id, { email: 'lead@example.com', name: 'Lead', password: PASSWORD });
});
afterAll(() => service.close());

describe('GET /digest/{view}', () => {
  it('sends a visitor without a session to sign in, and back', async () => {
    const res = await sessionClient(service.url!).get(`/digest/${viewId}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/digest/${viewId}`)}`);
  });

  it('shows last week against the week before with the dashboard’s own figures, every name escaped', async () => {
    const user = sessionClient(service.url!);
    expect((await user.post('/auth/sign-in', { email: 'lead@example.com', password: PASSWORD })).status).toBe(200);
    const page = await user.get(`/digest/${viewId}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = page.body as string;

    const dashboard = async (w: { from: string; to: string }) =>
      (await api.get(`/api/v1/dashboard?from=${w.from}&to=${w.to}&teams=sales&granularity=week`)).body.totals;
    const [thisWeek, before] = [await dashboard(week), await dashboard(previous)];
    expect(thisWeek).toMatchObject({ totalChats: 1, qualifiedChats: 1, pipelineInfluenced: '50000.00' });
    expect(before).toMatchObject({ totalChats: 1, pipelineInfluenced: '7000.00' });
    const figure = (attr: string, key: string) =>
      new RegExp(`data-${attr}="${key}" data-value="[^"]*">([^<]*)<`).exec(html)?.[1];
    expect(figure('figure', 'totalChats')).toBe(String(thisWeek.totalChats));
    expect(figure('figure', 'qualifiedChats')).toBe(String(thisWeek.qualifiedChats));
    expect(figure('figure', 'leadVolume')).toBe(String(thisWeek.leadVolume));
    expect(figure('figure', 'meetingsBooked')).toBe(String(thisWeek.meetingsBooked));
    expect(figure('figure', 'pipelineInfluenced')).toBe('$50,000.00');
    expect(figure('previous', 'pipelineInfluenced')).toBe('$7,000.00');
    expect(figure('figure', 'closedWonInfluenced')).toBe('$0.00');

    // The support team's chat is not in a sales view; the top lists come from the same functions.
    const opportunities = (await api.get(`/api/v1/opportunities?from=${week.from}&to=${week.to}&teams=sales`)).body;
    expect(opportunities.items.map((o: { id: string }) => o.id)).toEqual(['O1']);
    expect(html).toContain('data-opportunity="O1"');
    expect(html).toContain('data-agent="agent-1"');
    expect(html).not.toContain('data-agent="agent-2"');

    expect(html).not.toMatch(/<script|<img|<b>/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;deal&quot;)&lt;/script&gt; &amp; Co');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Acme &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('Sales &lt;weekly&gt;');
  });

  it('answers a view of another workspace, or no view, with a page that says so', async () => {
    const other = await newWorkspace(database.db, 'digest-other');
    await createUser(database.db, other.id, { email: 'other@example.com', name: 'Other', password: PASSWORD });
    const stranger = sessionClient(service.url!);
    await stranger.post('/auth/sign-in', { email: 'other@example.com', password: PASSWORD, workspace: 'digest-other' });
    const res = await stranger.get(`/digest/${viewId}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatch(/No digest to show/);
    expect((await stranger.get('/digest/not-a-view')).status).toBe(400);
  });
});

describe('sending the weekly digest', () => {
  interface Received {
    from: string;
    to: string[];
    data: string;
  }
  let server: SMTPServer;
  let received: Received[];
  let refuse: boolean;
  let mailer: Mailer;

  beforeAll(async () => {
    received = [];
    refuse = false;
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Connections still open at close are ended after this long (default 30 s).
      closeTimeout: 200,
      onRcptTo(_address, _session, callback) {
        // 451: a transient refusal (RFC 5321 section 4.2.3), as a busy server answers.
        if (refuse) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    mailer = smtpMailer(`smtp://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sender = () => ({
    db: database.db,
    mailer,
    from: 'Revenue attribution <digest@example.com>',
    baseUrl: 'https://attribution.example.com',
    logger: testLogger,
  });
  const sendAt = new Date(Math.max(now.getTime(), dueAt.getTime() + 60_000));

  it('waits for Monday 08:00 in the workspace zone', async () => {
    expect(await sendDueDigests(sender(), new Date(dueAt.getTime() - 1))).toEqual({
      sent: 0,
      alreadySent: 0,
      failed: 0,
      unsendable: 0,
    });
    expect(received).toEqual([]);
  });

  it('rolls the claim back when the server refuses, so the retry sends it', async () => {
    refuse = true;
    await expect(sendDueDigests(sender(), sendAt)).rejects.toThrow(/1 weekly digest\(s\) could not be sent/);
    expect(await database.db.select().from(digestSends)).toEqual([]);
    refuse = false;
  });

  it('sends each view’s digest once a week, however many workers try at once', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => sendDueDigests(sender(), sendAt)));
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.alreadySent, 0)).toBe(2);
    expect(await sendDueDigests(sender(), new Date(sendAt.getTime() + 3_600_000))).toMatchObject({
      sent: 0,
      alreadySent: 1,
    });

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.from).toBe('digest@example.com');
    expect(mail.to.sort()).toEqual(['cfo@example.com', 'revops@example.com']);
    expect(mail.data).toMatch(/^Subject: Weekly digest: Sales <weekly>,/m);
    expect(mail.data).toMatch(/Content-Type: text\/html/);
    expect(mail.data).toMatch(/Content-Type: text\/plain/);
    const [row] = await database.db.select().from(digestSends);
    expect(row).toMatchObject({ viewId, weekStart: week.from, recipients: ['revops@example.com', 'cfo@example.com'] });
    expect(row!.messageId).toMatch(/^<.+@.+>$/);
  });

  it('skips, without retrying, a view whose team was removed since', async () => {
    await saveTeam(database.db, ws.id, { id: 'ghost', name: 'Ghost' });
    const ghost = await api.post('/api/v1/views', {
      name: 'Ghost team',
      range: { preset: '7d' },
      teams: ['ghost'],
      digestRecipients: ['revops@example.com'],
    });
    await database.db
      .update(savedViews)
      .set({ createdAt: new Date(dueAt.getTime() - 86_400_000) })
      .where(eq(savedViews.id, ghost.body.id));
    await deleteTeam(database.db, ws.id, 'ghost');
    expect(await sendDueDigests(sender(), sendAt)).toEqual({ sent: 0, alreadySent: 1, failed: 0, unsendable: 1 });
    expect(received).toHaveLength(1);
  });

  it('is configured by SMTP_URL with DIGEST_FROM, named when wrong', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://u:secret@mail.example.com:587' })).toThrow(
      /DIGEST_FROM: required with SMTP_URL/,
    );
    expect(() => loadConfig({ SMTP_URL: 'http://u:secret@mail.example.com' })).toThrow(
      /SMTP_URL: expected a URL such as .*\(got "http:\/\/u:\*\*\*@mail.example.com\/"\)/,
    );
    expect(loadConfig({ SMTP_URL: 'smtps://mail.example.com', DIGEST_FROM: 'digest@example.com' }).digest).toEqual({
      smtpUrl: 'smtps://mail.example.com',
      from: 'digest@example.com',
      checkEveryMs: 15 * 60_000,
    });
  });
});

describe('the digest schedule', () => {
  it('is kept only where SMTP is configured', async () => {
    const jobs = inProcessJobs();
    const config = testConfig({ SMTP_URL: 'smtp://127.0.0.1:1', DIGEST_FROM: 'digest@example.com' });
    const withSmtp = await startTestService({ database, jobs, role: 'worker', config });
    expect(await jobs.queue.missingSchedules([DIGEST_SCHEDULE_ID])).toEqual([]);
    await withSmtp.close();

    // The same transport, restarted without SMTP: the schedule goes.
    const again = inProcessJobs();
    await again.queue.schedule(DIGEST_SCHEDULE_ID, 'digest.send', {}, 60_000);
    const without = await startTestService({ database, jobs: again, role: 'worker' });
    expect(await again.queue.missingSchedules([DIGEST_SCHEDULE_ID])).toEqual([DIGEST_SCHEDULE_ID]);
    await without.close();
  });
});
