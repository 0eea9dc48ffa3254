// The analytics pages in Chromium on the demo workspace: the funnel, chat operations and the
// dashboard's additions. Every figure a page shows is compared with the API response it came from
// (its raw value is in data-value), and each page holds at 1280 and 390 px with axe clean.
import type { ChatOperationsView } from '../../src/reporting/chat-operations';
import type { ConversionView } from '../../src/reporting/conversion';
import type { DashboardView } from '../../src/reporting/dashboard';
import type { FunnelView } from '../../src/reporting/funnel';
import type { LeaderboardView } from '../../src/reporting/leaderboard';
import type { OutcomesView } from '../../src/reporting/outcomes';
import { useTestDatabase } from '../support/database';
import { describeWithChromium } from './browser';
import { atBothWidths, openDemoSession, waitFor, type DemoSession } from './demo-session';

const database = useTestDatabase();

describeWithChromium('the analytics pages', () => {
  let s: DemoSession;
  beforeAll(async () => {
    s = await openDemoSession(database);
  }, 240_000);
  afterAll(() => s?.close());

  /** data-value of every element matching the selector, keyed by the attribute named. */
  const values = (selector: string, key: string) =>
    s.page.$$eval(
      selector,
      (els, k) => Object.fromEntries(els.map((e) => [e.getAttribute(k), e.getAttribute('data-value')])),
      key,
    );

  describe('the funnel', () => {
    it('shows each step, rate and median of GET /api/v1/funnel, /conversion and /outcomes', async () => {
      await s.page.getByRole('link', { name: 'Funnel', exact: true }).click();
      await s.page.getByRole('heading', { name: 'Funnel', exact: true }).waitFor();
      await s.page.locator('[data-step]').first().waitFor();
      const funnel = await s.api<FunnelView>('/api/v1/funnel');
      const conversion = await s.api<ConversionView>('/api/v1/conversion');
      const outcomes = await s.api<OutcomesView>('/api/v1/outcomes');
      const c = funnel.chatSourced;
      expect(await values('[data-step]', 'data-step')).toEqual({
        visitors: String(conversion.visitors),
        leads: String(c.leads),
        mql: String(c.mql),
        sql: String(c.sql),
        opportunity: String(conversion.influencedVisitors),
        won: String(conversion.wonVisitors),
      });
      expect(await values('[data-figure]', 'data-figure')).toEqual({
        acceptanceRate: String(c.acceptanceRate ?? ''),
        medianHoursToAccept: String(c.medianHoursToAccept ?? ''),
        medianDaysFirstChatToClose: String(outcomes.influenced.medianDaysFirstChatToClose ?? ''),
        conversionRate: String(conversion.conversionRate ?? ''),
      });
      const weeks = await s.page.$$eval('tr[data-week]', (trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-week'),
          Object.fromEntries(
            [...tr.querySelectorAll('[data-field]')].map((td) => [
              td.getAttribute('data-field'),
              td.getAttribute('data-value'),
            ]),
          ),
        ]),
      );
      expect(weeks).toEqual(
        c.weekly.map((w, i) => [
          w.from,
          {
            leads: String(w.leads),
            mql: String(w.mql),
            sql: String(w.sql),
            rejected: String(w.rejected),
            converted: String(w.converted),
            acceptanceRate: String(w.acceptanceRate),
            allLeads: String(funnel.all.weekly[i]!.leads),
          },
        ]),
      );
      // The demo's chat-sourced leads reach SQL: the funnel is not empty.
      expect(c.sql).toBeGreaterThan(0);
    }, 30_000);

    it('holds at 1280 and 390 px with no serious axe finding', async () => {
      await atBothWidths(s.page, 'funnel', () => s.page.locator('[data-step]').first().waitFor());
    }, 120_000);
  });

  describe('chat operations', () => {
    it('shows every figure, tag, channel, period and heatmap cell of GET /api/v1/chat-operations', async () => {
      await s.page.getByRole('link', { name: 'Chat operations', exact: true }).click();
      await s.page.getByRole('heading', { name: 'Chat operations', exact: true }).waitFor();
      await s.page.locator('[data-figure]').first().waitFor();
      const ops = await s.api<ChatOperationsView>('/api/v1/chat-operations?granularity=week');
      const t = ops.totals;
      const str = (v: number | null) => (v === null ? '' : String(v));
      expect(await values('[data-figure]', 'data-figure')).toEqual({
        chats: str(t.chats),
        missed: str(t.missed),
        waitMedian: str(t.waitSeconds.median),
        firstResponseMedian: str(t.firstResponseSeconds.median),
        responseMedian: str(t.responseSeconds.median),
        durationMedian: str(t.durationSeconds.median),
        messagesMean: str(t.messagesPerChat.mean),
        csatAverage: str(t.csat.average),
        npsScore: str(t.nps.score),
        resolutionRate: str(t.resolution.rate),
      });
      expect(await values('[data-kind="tag"]', 'data-name')).toEqual({
        ...Object.fromEntries(t.tags.map((r) => [r.tag, String(r.chats)])),
        untagged: String(t.untagged),
      });
      expect(await values('[data-kind="channel"]', 'data-name')).toEqual(
        Object.fromEntries(t.channels.map((r) => [r.channel, String(r.chats)])),
      );
      expect(await values('[data-kind="csat"]', 'data-name')).toEqual(
        Object.fromEntries(t.csatDistribution.map((n, i) => [String(i + 1), String(n)])),
      );
      const heatmap = await s.page.$$eval('tr[data-weekday]', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.getAttribute('data-value')))),
      );
      expect(heatmap).toEqual(t.heatmap);
      const periods = await s.page.$$eval('tr[data-period]', (trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-period'),
          Object.fromEntries(
            [...tr.querySelectorAll('[data-field]')].map((td) => [
              td.getAttribute('data-field'),
              td.getAttribute('data-value'),
            ]),
          ),
        ]),
      );
      expect(periods).toEqual(
        ops.series.map((p) => [
          p.from,
          {
            chats: String(p.chats),
            missed: String(p.missed),
            waitMedian: String(p.waitSeconds.median),
            durationMedian: String(p.durationSeconds.median),
            csatAverage: String(p.csat.average),
            npsScore: String(p.nps.score),
          },
        ]),
      );
      expect(t.chats).toBeGreaterThan(0);
      expect(t.missed).toBeGreaterThan(0);
    }, 30_000);

    it('holds at 1280 and 390 px with no serious axe finding', async () => {
      await atBothWidths(s.page, 'chat-operations', () => s.page.locator('[data-figure]').first().waitFor());
    }, 240_000);
  });

  describe('the dashboard additions', () => {
    const today = new Date().toISOString().slice(0, 10);
    const addDays = (day: string, n: number) =>
      new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const yesterday = addDays(today, -1);

    /** Every figure of the outcome section against the APIs, for a range. */
    async function expectOutcomes(from: string, to: string) {
      const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
      const q = `from=${from}&to=${to}`;
      const open = await s.api<OutcomesView>(`/api/v1/outcomes?from=${today}&to=${today}`);
      const outcomes = await s.api<OutcomesView>(`/api/v1/outcomes?${q}`);
      const lift = (await s.api<ConversionView>(`/api/v1/conversion?${q}`)).lift;
      const now = await s.api<DashboardView>(`/api/v1/dashboard?${q}`);
      const before = await s.api<DashboardView>(
        `/api/v1/dashboard?from=${addDays(from, -days)}&to=${addDays(from, -1)}`,
      );
      const str = (v: number | string | null) => (v === null ? '' : String(v));
      const expected = {
        openPipelineNow: open.influenced.openPipeline.amount,
        winRateInfluenced: str(lift.winRate.influenced.rate),
        winRateBaseline: str(lift.winRate.baseline.rate),
        dealSizeInfluenced: str(lift.dealSize.influenced.mean),
        dealSizeBaseline: str(lift.dealSize.baseline.mean),
        daysToCloseInfluenced: str(outcomes.influenced.medianDaysToClose),
        daysToCloseBaseline: str(outcomes.baseline.medianDaysToClose),
      };
      await waitFor(
        async () =>
          JSON.stringify(await values('[data-testid="dashboard-outcomes"] [data-figure]', 'data-figure')) ===
          JSON.stringify(expected),
        `the outcomes of ${from} to ${to}`,
      );
      const compared = await s.page.$$eval('tr[data-compare]', (trs) =>
        trs.map((tr) => [tr.getAttribute('data-compare'), tr.getAttribute('data-now'), tr.getAttribute('data-before')]),
      );
      expect(compared).toEqual(
        (
          [
            'pipelineInfluenced',
            'closedWonInfluenced',
            'totalChats',
            'qualifiedChats',
            'leadVolume',
            'meetingsBooked',
          ] as const
        ).map((k) => [k, String(now.totals[k]), String(before.totals[k])]),
      );
      return open;
    }

    it('shows the open influenced pipeline now, the lift with its intervals and the previous period, as the APIs do', async () => {
      await s.page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await s.page.locator('[data-figure="openPipelineNow"]').waitFor();
      const open = await expectOutcomes(addDays(yesterday, -29), yesterday);
      expect(BigInt(open.influenced.openPipeline.amount.replace('.', ''))).toBeGreaterThan(0n);
      await s.page
        .getByText(/95% interval/)
        .first()
        .waitFor();
    }, 60_000);

    it('offers quarter presets: quarter to date is the quarter up to yesterday', async () => {
      await s.page.locator('#range-preset').first().selectOption('qtd');
      await s.page.waitForURL(/range=qtd/);
      const month = Number(yesterday.slice(5, 7));
      const qStart = `${yesterday.slice(0, 4)}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
      await expectOutcomes(qStart, yesterday);
    }, 60_000);

    it('holds at 1280 and 390 px with no serious axe finding in the outcomes', async () => {
      await atBothWidths(
        s.page,
        'dashboard-outcomes',
        () => s.page.locator('[data-figure="openPipelineNow"]').waitFor(),
        '[data-testid="dashboard-outcomes"]',
      );
    }, 120_000);

    it('splits credit on the leaderboard under the model picked, adding up to the dashboard', async () => {
      await s.page.getByRole('link', { name: 'Leaderboard', exact: true }).click();
      await s.page.locator('tr[data-credit-row="totals"]').waitFor();
      await s.page.getByLabel('Credit model').selectOption('u_shaped');
      await s.page.waitForURL(/model=u_shaped/);
      const board = await s.api<LeaderboardView>('/api/v1/leaderboard?model=u_shaped&rankBy=credit');
      const expected = [
        ...board.byAgent.map((a) => [a.agentId, a.credit.pipeline, a.credit.closedWon]),
        ['withoutAgent', board.credit.withoutAgent.pipeline, board.credit.withoutAgent.closedWon],
        ['totals', board.credit.totals.pipeline, board.credit.totals.closedWon],
      ];
      const shown = () =>
        s.page.$$eval('tr[data-credit-row]', (trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-credit-row'),
            tr.getAttribute('data-pipeline'),
            tr.getAttribute('data-closed-won'),
          ]),
        );
      await waitFor(async () => JSON.stringify(await shown()) === JSON.stringify(expected), 'the u-shaped credit');
      const dashboard = await s.api<DashboardView>('/api/v1/dashboard');
      expect(board.credit.totals).toEqual({
        pipeline: dashboard.totals.pipelineInfluenced,
        closedWon: dashboard.totals.closedWonInfluenced,
      });
      await atBothWidths(
        s.page,
        'leaderboard-credit',
        () => s.page.locator('tr[data-credit-row="totals"]').waitFor(),
        'section:has(tr[data-credit-row])',
      );
    }, 120_000);
  });
});
