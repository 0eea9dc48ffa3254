// The dashboard's chart options, from the API's periods: influence as bars of the period's change
// with the running total (within the range) as a line on an axis of its own; leads and chats over
// time. Weeks and months cut by the range are labelled partial; each chart carries a sentence for
// screen readers that sums up the whole range.
import type { Dashboard, Granularity } from '../api/types';
import { count, mediumDay, money, monthOf } from '../lib/format';
import { centsToNumber, fromCents, runningTotals, toCents } from '../lib/money';
import { PALETTE, type ChartOption } from './echarts';
import { isPartial, periodLabel } from './periods';

type Period = Dashboard['series'][number];

export { isPartial, periodLabel };

const unitOf = (g: Granularity) => (g === 'day' ? 'day' : g === 'week' ? 'week' : 'month');
const rangeWords = (d: Dashboard) => `from ${mediumDay(d.from)} to ${mediumDay(d.to)}, by ${unitOf(d.granularity)}`;
/** A period in words for a sentence: "on Nov 14, 2026", "in the week of Nov 9", "in Nov 2026". */
const periodWords = (p: Period, g: Granularity) =>
  g === 'day'
    ? `on ${mediumDay(p.from)}`
    : g === 'week'
      ? `in the week of ${mediumDay(p.from)}`
      : `in ${monthOf(p.from)}`;

/** The largest value of a series and where, first one on ties; null when every value is 0. */
function peak<T>(d: Dashboard, value: (p: Period) => T, magnitude: (v: T) => number) {
  let best: { p: Period; v: T } | null = null;
  for (const p of d.series) {
    const v = value(p);
    if (magnitude(v) !== 0 && (best === null || magnitude(v) > magnitude(best.v))) best = { p, v };
  }
  return best;
}

/** What a person would say about an influence chart, over the whole range. */
export function influenceSentence(d: Dashboard, measure: 'pipelineInfluenced' | 'closedWonInfluenced'): string {
  const name = measure === 'pipelineInfluenced' ? 'Pipeline Influenced' : 'Closed-Won Influenced';
  const fmt = (v: string) => money(v, d.currency, { signed: true });
  const moved = d.series.filter((p) => toCents(p[measure]) !== 0n).length;
  const top = peak(
    d,
    (p) => p[measure],
    (v) => Math.abs(centsToNumber(toCents(v))),
  );
  const periods = `${d.series.length} ${unitOf(d.granularity)}${d.series.length === 1 ? '' : 's'}`;
  return (
    `${name} ${rangeWords(d)}: ${money(d.totals[measure], d.currency)} in total, changing in ${moved} of ${periods}` +
    (top ? `; the largest change was ${fmt(top.v)}, ${periodWords(top.p, d.granularity)}.` : '.')
  );
}

function countSentence(
  d: Dashboard,
  what: string,
  series: { label: string; total: number; value: (p: Period) => number }[],
): string {
  const [first] = series;
  const top = first ? peak(d, first.value, (v) => v) : null;
  return (
    `${what} ${rangeWords(d)}: ${series.map((s) => `${count(s.total)} ${s.label}`).join(' and ')}` +
    (top && first ? `; the most ${first.label}, ${count(top.v)}, ${periodWords(top.p, d.granularity)}.` : '.')
  );
}

export const leadsSentence = (d: Dashboard) =>
  countSentence(d, 'Leads', [
    { label: 'leads', total: d.totals.leadVolume, value: (p) => p.leadVolume },
    { label: 'meetings booked', total: d.totals.meetingsBooked, value: (p) => p.meetingsBooked },
  ]);

export const chatsSentence = (d: Dashboard) =>
  countSentence(d, 'Chats', [
    { label: 'chats', total: d.totals.totalChats, value: (p) => p.totalChats },
    { label: 'qualified chats', total: d.totals.qualifiedChats, value: (p) => p.qualifiedChats },
  ]);

/** ECharts' own ARIA text is a list of numbers: ours is the sentence. */
const aria = (description: string) => ({ aria: { enabled: true, label: { enabled: true, description } } });
/** A lone point (or a few) of a line is invisible without its marker. */
const markers = (d: Dashboard) => d.series.length <= 31;

const axisText = { color: '#667085', fontFamily: 'Inter Variable, system-ui, sans-serif', fontSize: 11 };
const base = (labels: string[]) => ({
  animationDuration: 300,
  grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
  legend: {
    top: 0,
    left: 0,
    icon: 'roundRect',
    itemWidth: 12,
    itemHeight: 8,
    textStyle: { ...axisText, fontSize: 12, color: '#344054' },
  },
  tooltip: {
    trigger: 'axis',
    axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(16,24,40,0.04)' } },
    backgroundColor: '#101828',
    borderWidth: 0,
    textStyle: { color: '#fff', fontSize: 12, fontFamily: axisText.fontFamily },
    confine: true,
  },
  xAxis: {
    type: 'category',
    data: labels,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: '#e4e7ec' } },
    axisLabel: { ...axisText, hideOverlap: true },
  },
});
const valueAxis = (format: (v: number) => string) => ({
  type: 'value',
  splitNumber: 4,
  axisLabel: { ...axisText, formatter: format },
  splitLine: { lineStyle: { color: '#f0f2f5' } },
});

export function influenceOption(
  d: Dashboard,
  measure: 'pipelineInfluenced' | 'closedWonInfluenced',
  color: string,
): ChartOption {
  const labels = d.series.map((p) => periodLabel(p, d.granularity));
  const deltas = d.series.map((p) => p[measure]);
  const totals = runningTotals(deltas);
  const name = measure === 'pipelineInfluenced' ? 'Pipeline' : 'Closed-won';
  const byLabel = new Map(labels.map((l, i) => [l, i]));
  return {
    ...base(labels),
    tooltip: {
      ...base(labels).tooltip,
      formatter: (items: { axisValue: string }[]) => {
        const i = byLabel.get(items[0]?.axisValue ?? '') ?? 0;
        return `<strong>${labels[i]}</strong><br/>Change: ${money(deltas[i]!, d.currency, { signed: true })}<br/>Running total: ${money(fromCents(totals[i]!), d.currency)}`;
      },
    },
    ...aria(influenceSentence(d, measure)),
    // The running total dwarfs a day's change: on a shared axis the bars would be a pixel high.
    yAxis: [
      valueAxis((v) => money(v, d.currency, { compact: true })),
      {
        ...valueAxis((v) => money(v, d.currency, { compact: true })),
        splitLine: { show: false },
        axisLabel: {
          ...axisText,
          color: PALETTE.orange,
          formatter: (v: number) => money(v, d.currency, { compact: true }),
        },
      },
    ],
    series: [
      {
        name: `${name} change`,
        type: 'bar',
        barMaxWidth: 22,
        data: deltas.map((v) => {
          const n = centsToNumber(toCents(v));
          // A negative change (an amount cut, a reopened deal) is drawn in a second, contrasting colour and hatched.
          return n < 0
            ? {
                value: n,
                itemStyle: {
                  color: PALETTE.vermillion,
                  decal: {
                    symbol: 'rect',
                    dashArrayX: [1, 0],
                    dashArrayY: [2, 3],
                    rotation: -Math.PI / 4,
                    color: 'rgba(255,255,255,0.5)',
                  },
                },
              }
            : n;
        }),
        itemStyle: { color, borderRadius: [3, 3, 0, 0] },
        cursor: 'pointer',
      },
      {
        name: 'Running total in range (right axis)',
        type: 'line',
        yAxisIndex: 1,
        data: totals.map(centsToNumber),
        smooth: false,
        symbol: 'circle',
        symbolSize: 5,
        showSymbol: markers(d),
        lineStyle: { width: 2, color: PALETTE.orange },
        itemStyle: { color: PALETTE.orange },
        z: 3,
      },
    ],
  };
}

export function leadsOption(d: Dashboard): ChartOption {
  const labels = d.series.map((p) => periodLabel(p, d.granularity));
  return {
    ...base(labels),
    ...aria(leadsSentence(d)),
    yAxis: valueAxis((v) => count(v)),
    series: [
      {
        name: 'Leads',
        type: 'line',
        data: d.series.map((p) => p.leadVolume),
        symbol: 'circle',
        symbolSize: 5,
        showSymbol: markers(d),
        lineStyle: { width: 2, color: PALETTE.purple },
        itemStyle: { color: PALETTE.purple },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: 'rgba(204,121,167,0.28)' },
              { offset: 1, color: 'rgba(204,121,167,0.02)' },
            ],
          },
        },
      },
      {
        name: 'Meetings booked',
        type: 'bar',
        data: d.series.map((p) => p.meetingsBooked),
        barMaxWidth: 10,
        itemStyle: { color: PALETTE.ink, borderRadius: [2, 2, 0, 0] },
      },
    ],
  };
}

export function chatsOption(d: Dashboard): ChartOption {
  const labels = d.series.map((p) => periodLabel(p, d.granularity));
  return {
    ...base(labels),
    ...aria(chatsSentence(d)),
    yAxis: valueAxis((v) => count(v)),
    series: [
      {
        name: 'Total chats',
        type: 'bar',
        data: d.series.map((p) => p.totalChats),
        barMaxWidth: 22,
        itemStyle: { color: PALETTE.sky, borderRadius: [3, 3, 0, 0] },
      },
      {
        name: 'Qualified chats',
        type: 'line',
        data: d.series.map((p) => p.qualifiedChats),
        symbol: 'circle',
        symbolSize: 4,
        showSymbol: markers(d),
        lineStyle: { width: 2, color: PALETTE.blue },
        itemStyle: { color: PALETTE.blue },
      },
    ],
  };
}
