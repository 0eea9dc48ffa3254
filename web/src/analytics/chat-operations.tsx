// Chat operations (GET /api/v1/chat-operations): is the chat team working? Missed chats, wait and
// response times, duration, messages, CSAT and NPS, resolution, tags and channels, when chats come
// in (an hour × weekday table), and the same figures per period.
import { api } from '../api/client';
import type { ChatFigures, ChatOperations } from '../api/analytics-types';
import type { Granularity } from '../api/types';
import { useResource } from '../api/use-resource';
import { ErrorState, Loading } from '../components/states';
import { Card } from '../components/ui';
import { count, mediumDay } from '../lib/format';
import { reportQuery, teamsParam } from '../pages/report-filters';
import { useAnalyticsFilters } from './analytics-filters';
import { ChatBreakdowns, Heatmap } from './chat-breakdowns';
import { decimal, Figure, rate } from './figure';
import { ReportHeader, ReportToolbar, SelectField } from './report-frame';
import './analytics.css';

/** Seconds as a person reads them: "45 s", "1 min 5 s", "1 h 2 min". */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.round((s % 3600) / 60) ? ` ${Math.round((s % 3600) / 60)} min` : ''}`;
}

function Figures({ t }: { t: ChatFigures }) {
  return (
    <section class="figure-grid" aria-label="Chat operations in the range">
      <Figure id="chats" label="Chats" value={count(t.chats)} raw={t.chats} note={`${count(t.answered)} answered`} />
      <Figure
        id="missed"
        label="Missed chats"
        value={count(t.missed)}
        raw={t.missed}
        note={`${rate(t.missedRate)} of chats`}
      />
      <Figure
        id="waitMedian"
        label="Median wait"
        value={duration(t.waitSeconds.median)}
        raw={t.waitSeconds.median}
        note={`p90 ${duration(t.waitSeconds.p90)} · ${count(t.waitSeconds.n)} chats`}
      />
      <Figure
        id="firstResponseMedian"
        label="Median first response"
        value={duration(t.firstResponseSeconds.median)}
        raw={t.firstResponseSeconds.median}
        note={`p90 ${duration(t.firstResponseSeconds.p90)} · ${count(t.firstResponseSeconds.n)} chats`}
      />
      <Figure
        id="responseMedian"
        label="Median response time"
        value={duration(t.responseSeconds.median)}
        raw={t.responseSeconds.median}
        note={`p90 ${duration(t.responseSeconds.p90)} · ${count(t.responseSeconds.n)} chats`}
      />
      <Figure
        id="durationMedian"
        label="Median duration"
        value={duration(t.durationSeconds.median)}
        raw={t.durationSeconds.median}
        note={`p90 ${duration(t.durationSeconds.p90)} · ${count(t.durationSeconds.n)} chats`}
      />
      <Figure
        id="messagesMean"
        label="Messages per chat"
        value={decimal(t.messagesPerChat.mean)}
        raw={t.messagesPerChat.mean}
        note={`visitor ${decimal(t.messagesPerChat.visitorMean)} · agent ${decimal(t.messagesPerChat.agentMean)}`}
      />
      <Figure
        id="csatAverage"
        label="CSAT (1–5)"
        value={decimal(t.csat.average)}
        raw={t.csat.average}
        note={`${rate(t.csat.satisfiedRate)} scored 4 or 5 · ${count(t.csat.n)} rated`}
      />
      <Figure
        id="npsScore"
        label="NPS"
        value={decimal(t.nps.score)}
        raw={t.nps.score}
        note={`${count(t.nps.promoters)} promoters · ${count(t.nps.detractors)} detractors of ${count(t.nps.n)}`}
      />
      <Figure
        id="resolutionRate"
        label="Resolved"
        value={rate(t.resolution.rate)}
        raw={t.resolution.rate}
        note={`${count(t.resolution.resolved)} of ${count(t.resolution.n)} chats that say`}
      />
    </section>
  );
}

/** A week or month the range clips at its edges. */
function isPartial(p: { from: string; to: string }, by: Granularity): boolean {
  if (by === 'day') return false;
  const days = (Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (by === 'week') return days < 7;
  const next = new Date(`${p.to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return !p.from.endsWith('-01') || next.getUTCDate() !== 1;
}

function Periods({ ops }: { ops: ChatOperations }) {
  return (
    <div class="table-wrap scroll-y" tabIndex={0} role="region" aria-label="Chat operations by period">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col" class="num">
              Chats
            </th>
            <th scope="col" class="num">
              Missed
            </th>
            <th scope="col" class="num">
              Median wait
            </th>
            <th scope="col" class="num">
              Median duration
            </th>
            <th scope="col" class="num">
              CSAT
            </th>
            <th scope="col" class="num">
              NPS
            </th>
          </tr>
        </thead>
        <tbody>
          {ops.series.map((p) => (
            <tr key={p.from} data-period={p.from}>
              <th scope="row">
                {p.from === p.to ? mediumDay(p.from) : `${mediumDay(p.from)} – ${mediumDay(p.to)}`}
                {isPartial(p, ops.granularity) && <span class="muted small"> (partial)</span>}
              </th>
              <td class="num" data-field="chats" data-value={String(p.chats)}>
                {count(p.chats)}
              </td>
              <td class="num" data-field="missed" data-value={String(p.missed)}>
                {count(p.missed)}
              </td>
              <td class="num" data-field="waitMedian" data-value={String(p.waitSeconds.median)}>
                {duration(p.waitSeconds.median)}
              </td>
              <td class="num" data-field="durationMedian" data-value={String(p.durationSeconds.median)}>
                {duration(p.durationSeconds.median)}
              </td>
              <td class="num" data-field="csatAverage" data-value={String(p.csat.average)}>
                {decimal(p.csat.average)}
              </td>
              <td class="num" data-field="npsScore" data-value={String(p.nps.score)}>
                {decimal(p.nps.score)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChatOperationsPage() {
  const { report, param, set } = useAnalyticsFilters();
  const g = param('granularity');
  const granularity: Granularity = g === 'day' || g === 'month' ? g : 'week';
  const ops = useResource(
    (signal) => api.get<ChatOperations>(`/api/v1/chat-operations${reportQuery(report, { granularity })}`, signal),
    [report.range.from, report.range.to, teamsParam(report.teams), granularity],
  );
  const d = ops.data;
  return (
    <>
      <ReportHeader
        title="Chat operations"
        filters={{ report, set }}
        range={d}
        covers={`, times in ${d?.timeZone ?? ''}: how the chat team answered.`}
        until="Missed chats, wait and response times, satisfaction, and when chats come in."
      />
      <ReportToolbar filters={{ report, set }}>
        <SelectField
          id="ops-granularity"
          label="Periods"
          value={granularity}
          onChange={(v) => set({}, { granularity: v })}
        >
          <option value="day">Days</option>
          <option value="week">Weeks</option>
          <option value="month">Months</option>
        </SelectField>
      </ReportToolbar>
      {ops.error && <ErrorState error={ops.error} retry={ops.reload} />}
      {!d && !ops.error && <Loading label="Loading chat operations" />}
      {d && (
        <div class="stack">
          <Figures t={d.totals} />
          <ChatBreakdowns ops={d} />
          <Card
            title="When chats come in"
            description={`Chats by weekday and hour of the day they started, in ${d.timeZone}.`}
          >
            <Heatmap heatmap={d.totals.heatmap} />
          </Card>
          <Card title="By period" description="Partial periods at the edges of the range are shown as they are.">
            <Periods ops={d} />
          </Card>
        </div>
      )}
    </>
  );
}
