// The dashboard's chart options, from the API's periods: influence as bars of the period's change
// with the running total (within the range) as a line; leads and chats over time.
import type { Dashboard, Granularity } from '../api/types';
import { count, money, monthOf, shortDay } from '../lib/format';
import { centsToNumber, runningTotals, toCents } from '../lib/money';
import { PALETTE, type ChartOption } from './echarts';

type Period = Dashboard['series'][number];

export function periodLabel(p: Period, g: Granularity): string {
  if (g === 'month') return monthOf(p.from);
  if (g === 'week') return `Wk of ${shortDay(p.from)}`;
  return shortDay(p.from);
}

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
        return `<strong>${labels[i]}</strong><br/>Change: ${money(deltas[i]!, d.currency, { signed: true })}<br/>Running total: ${money(centsToNumber(totals[i]!), d.currency)}`;
      },
    },
    yAxis: valueAxis((v) => money(v, d.currency, { compact: true })),
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
        name: 'Running total in range',
        type: 'line',
        data: totals.map(centsToNumber),
        smooth: false,
        symbol: 'circle',
        symbolSize: 5,
        showSymbol: d.series.length <= 31,
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
    yAxis: valueAxis((v) => count(v)),
    series: [
      {
        name: 'Leads',
        type: 'line',
        data: d.series.map((p) => p.leadVolume),
        symbol: 'none',
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
        showSymbol: d.series.length <= 31,
        lineStyle: { width: 2, color: PALETTE.blue },
        itemStyle: { color: PALETTE.blue },
      },
    ],
  };
}
