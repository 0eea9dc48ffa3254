// The weekly digest as an email: a pure function of its figures. Email clients drop <style>
// blocks and scripts (Gmail keeps <style> only in some clients, Outlook renders with Word), so
// every style is an inline attribute, layout is tables (role="presentation"), widths are fixed
// attributes and nothing needs JavaScript; see https://www.caniemail.com/features/html-style/,
// https://www.caniemail.com/features/css-display-flex/ and .../html-script/. Every string is
// escaped: names come from Salesforce and chat products, and may hold markup.
import { parseCents } from '../attribution/money';
import type { DigestData } from './digest-report';

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

export interface RenderOptions {
  /** The web app's origin, for links back (PUBLIC_URL). */
  baseUrl: string;
}

const INK = '#1f2933';
const MUTED = '#52606d';
const LINE = '#d9e2ec';
const UP = '#1e6b34';
const DOWN = '#b42318';
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text made safe for HTML text and quoted attribute values. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

type Totals = DigestData['totals']['week'];
const FIGURES: { key: keyof Totals; label: string; money: boolean }[] = [
  { key: 'totalChats', label: 'Chats', money: false },
  { key: 'qualifiedChats', label: 'Qualified chats', money: false },
  { key: 'leadVolume', label: 'Leads', money: false },
  { key: 'meetingsBooked', label: 'Meetings booked', money: false },
  { key: 'pipelineInfluenced', label: 'Pipeline Influenced', money: true },
  { key: 'closedWonInfluenced', label: 'Closed-Won Influenced', money: true },
];

export function renderDigest(d: DigestData, options: RenderOptions): RenderedDigest {
  const fmt = formatters(d.workspace.currency);
  const weekText = `${fmt.day(d.week.from)} – ${fmt.day(d.week.to)}`;
  const teamsText = d.view.teams ? d.view.teams.map((t) => t.name).join(', ') : 'All teams';
  // ASCII around the names: a subject line is a header, encoded whole once it holds anything else (RFC 2047).
  const subject = `Weekly digest: ${d.view.name}, ${fmt.day(d.week.from)} to ${fmt.day(d.week.to)}`;
  const base = options.baseUrl.replace(/\/+$/, '');
  const dashboard = `${base}/?${new URLSearchParams({
    range: 'custom',
    from: d.week.from,
    to: d.week.to,
    ...(d.view.teams ? { teams: d.view.teams.map((t) => t.id).join(',') } : {}),
  })}`;

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f8;color:${INK};${FONT}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f6f8"><tr><td align="center" style="padding:16px 4px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:#ffffff;border:1px solid ${LINE};border-radius:8px">
<tr><td style="padding:20px 12px 8px 12px">
<main>
<p style="margin:0 0 4px 0;font-size:13px;color:${MUTED}">${escapeHtml(d.workspace.name)} · weekly digest</p>
<h1 style="margin:0 0 8px 0;font-size:22px;line-height:1.3;color:${INK}" data-testid="digest-title">${escapeHtml(d.view.name)}</h1>
<p style="margin:0 0 16px 0;font-size:14px;line-height:1.5;color:${MUTED}" data-testid="digest-week">${escapeHtml(weekText)} · ${escapeHtml(teamsText)} · credit model ${escapeHtml(d.view.model)} · amounts in ${escapeHtml(d.workspace.currency)} · days in ${escapeHtml(d.workspace.timeZone)}</p>
${section('Last week against the week before')}
${figuresTable(d, fmt)}
${section('Top influenced opportunities')}
${opportunitiesTable(d, fmt, base)}
${section('Top agents')}
${agentsTable(d, fmt)}
<p style="margin:24px 0 8px 0;font-size:14px"><a href="${escapeHtml(dashboard)}" style="color:#1a4fa0;font-weight:bold">Open last week in the dashboard</a></p>
<p style="margin:0 0 16px 0;font-size:12px;line-height:1.5;color:${MUTED}">Pipeline and closed-won are the changes booked in each week; an opportunity counts once, whatever the teams. Agents’ rows do not add up: an opportunity touched by two agents counts in both.</p>
</main>
</td></tr></table>
</td></tr></table>
</body></html>
`;
  return { subject, html, text: renderText(d, fmt, weekText, teamsText, dashboard) };
}

function section(title: string): string {
  return `<h2 style="margin:24px 0 8px 0;font-size:16px;color:${INK}">${escapeHtml(title)}</h2>`;
}

const cell = (align: 'left' | 'right', color = INK) =>
  `style="padding:6px 4px;border-bottom:1px solid ${LINE};font-size:14px;color:${color};text-align:${align};vertical-align:top;overflow-wrap:anywhere"`;
const head = (label: string, align: 'left' | 'right') =>
  `<th scope="col" style="padding:6px 4px;border-bottom:2px solid ${LINE};font-size:12px;color:${MUTED};text-align:${align}">${escapeHtml(label)}</th>`;
const table = (label: string, rows: string) =>
  `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%" aria-label="${escapeHtml(label)}">${rows}</table>`;

function figuresTable(d: DigestData, fmt: Formatters): string {
  const rows = FIGURES.map(({ key, label, money }) => {
    const now = d.totals.week[key];
    const before = d.totals.previous[key];
    const change = money ? parseCents(String(now)) - parseCents(String(before)) : BigInt(Number(now) - Number(before));
    const shown = (v: string | number) => (money ? fmt.money(String(v)) : fmt.count(Number(v)));
    const changeText =
      change === 0n
        ? 'no change'
        : `${change > 0n ? '+' : '−'}${money ? fmt.cents(abs(change)) : fmt.count(Number(abs(change)))}`;
    const color = change === 0n ? MUTED : change > 0n ? UP : DOWN;
    return `<tr><th scope="row" ${cell('left')}>${escapeHtml(label)}</th><td ${cell('right')} data-figure="${key}" data-value="${escapeHtml(String(now))}">${escapeHtml(shown(now))}</td><td ${cell('right')} data-previous="${key}" data-value="${escapeHtml(String(before))}">${escapeHtml(shown(before))}</td><td ${cell('right', color)}>${escapeHtml(changeText)}</td></tr>`;
  }).join('');
  return table(
    'Figures of last week and the week before',
    `<thead><tr>${head('Figure', 'left')}${head(`${fmt.shortDay(d.week.from)} – ${fmt.shortDay(d.week.to)}`, 'right')}${head('Week before', 'right')}${head('Change', 'right')}</tr></thead><tbody>${rows}</tbody>`,
  );
}

function opportunitiesTable(d: DigestData, fmt: Formatters, base: string): string {
  if (d.topOpportunities.length === 0) return empty('No opportunity was influenced last week.');
  const rows = d.topOpportunities
    .map((o) => {
      const name = o.name ?? o.id;
      const link = `${base}/ledger/opportunities/${encodeURIComponent(o.id)}`;
      return `<tr data-opportunity="${escapeHtml(o.id)}"><td ${cell('left')}><a href="${escapeHtml(link)}" style="color:#1a4fa0">${escapeHtml(name)}</a><br><span style="font-size:12px;color:${MUTED}">${escapeHtml([o.account?.name ?? o.account?.id, o.stage].filter(Boolean).join(' · '))}</span></td><td ${cell('right')}>${escapeHtml(fmt.money(o.pipelineInfluenced))}</td><td ${cell('right')}>${escapeHtml(fmt.money(o.closedWonInfluenced))}</td></tr>`;
    })
    .join('');
  return table(
    'Top influenced opportunities of last week',
    `<thead><tr>${head('Opportunity', 'left')}${head('Pipeline', 'right')}${head('Closed-won', 'right')}</tr></thead><tbody>${rows}</tbody>`,
  );
}

function agentsTable(d: DigestData, fmt: Formatters): string {
  if (d.topAgents.length === 0) return empty('No agent chatted last week.');
  const rows = d.topAgents
    .map(
      (a) =>
        `<tr data-agent="${escapeHtml(a.agentId)}"><td ${cell('left')}>${escapeHtml(a.name ?? a.agentId)}</td><td ${cell('right')}>${escapeHtml(fmt.count(a.conversations))}</td><td ${cell('right')}>${escapeHtml(fmt.money(a.pipelineInfluenced))}</td><td ${cell('right')}>${escapeHtml(fmt.money(a.credit.pipeline))}</td></tr>`,
    )
    .join('');
  return table(
    'Top agents of last week',
    `<thead><tr>${head('Agent', 'left')}${head('Chats', 'right')}${head('Pipeline', 'right')}${head(`Credit (${d.view.model})`, 'right')}</tr></thead><tbody>${rows}</tbody>`,
  );
}

const empty = (text: string) => `<p style="margin:0;font-size:14px;color:${MUTED}">${escapeHtml(text)}</p>`;

function renderText(d: DigestData, fmt: Formatters, weekText: string, teamsText: string, dashboard: string): string {
  const lines = [
    `${d.workspace.name} · weekly digest: ${d.view.name}`,
    `${weekText} · ${teamsText} · credit model ${d.view.model} · amounts in ${d.workspace.currency}`,
    '',
    ...FIGURES.map(({ key, label, money }) => {
      const show = (v: string | number) => (money ? fmt.money(String(v)) : fmt.count(Number(v)));
      return `${label}: ${show(d.totals.week[key])} (week before: ${show(d.totals.previous[key])})`;
    }),
    '',
    'Top influenced opportunities:',
    ...(d.topOpportunities.length === 0
      ? ['  none']
      : d.topOpportunities.map((o) => `  ${o.name ?? o.id}: ${fmt.money(o.pipelineInfluenced)} pipeline`)),
    '',
    'Top agents:',
    ...(d.topAgents.length === 0
      ? ['  none']
      : d.topAgents.map(
          (a) => `  ${a.name ?? a.agentId}: ${a.conversations} chats, ${fmt.money(a.pipelineInfluenced)}`,
        )),
    '',
    `Open last week in the dashboard: ${dashboard}`,
  ];
  return `${lines.join('\n')}\n`;
}

const abs = (c: bigint) => (c < 0n ? -c : c);

type Formatters = ReturnType<typeof formatters>;

function formatters(currency: string) {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const counts = new Intl.NumberFormat('en-US');
  // Days are calendar days already in the workspace's zone: format them as UTC dates, never shifted.
  const long = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const short = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const utc = (day: string) => new Date(`${day}T00:00:00Z`);
  return {
    // Decimal strings format exactly (Intl.NumberFormat v3 takes strings): no float on the way.
    money: (amount: string) => money.format(amount as `${number}`),
    cents: (c: bigint) => money.format(`${c / 100n}.${(c % 100n).toString().padStart(2, '0')}` as `${number}`),
    count: (n: number) => counts.format(n),
    day: (day: string) => long.format(utc(day)),
    shortDay: (day: string) => short.format(utc(day)),
  };
}
