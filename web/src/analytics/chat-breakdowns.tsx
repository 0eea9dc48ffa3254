// Chat operations by tag, channel and CSAT score, and the hour × weekday heatmap as a table (a
// screen reader reads it cell by cell; the shade repeats the number, never replaces it).
import type { ChatOperations } from '../api/analytics-types';
import { Card } from '../components/ui';
import { count } from '../lib/format';
import { rate } from './figure';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function Shares({
  label,
  rows,
  total,
  kind,
}: {
  label: string;
  rows: { name: string; chats: number }[];
  total: number;
  kind: string;
}) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{label.replace(/^Chats by /, '').replace(/^./, (c) => c.toUpperCase())}</th>
            <th scope="col" class="num">
              Chats
            </th>
            <th scope="col" class="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-kind={kind} data-name={r.name} data-value={String(r.chats)}>
              <th scope="row">{r.name}</th>
              <td class="num">{count(r.chats)}</td>
              <td class="num">{rate(total > 0 ? r.chats / total : null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ChatBreakdowns({ ops }: { ops: ChatOperations }) {
  const t = ops.totals;
  const csatTotal = t.csatDistribution.reduce((a, b) => a + b, 0);
  return (
    <div class="two-col">
      <Card title="Tags" description="A chat with two tags counts under each.">
        <Shares
          label="Chats by tag"
          kind="tag"
          total={t.chats}
          rows={[...t.tags.map((r) => ({ name: r.tag, chats: r.chats })), { name: 'untagged', chats: t.untagged }]}
        />
      </Card>
      <div class="stack">
        <Card title="Channels">
          <Shares
            label="Chats by channel"
            kind="channel"
            total={t.chats}
            rows={t.channels.map((r) => ({ name: r.channel, chats: r.chats }))}
          />
        </Card>
        <Card title="CSAT scores">
          <Shares
            label="Chats by CSAT score"
            kind="csat"
            total={csatTotal}
            rows={t.csatDistribution.map((n, i) => ({ name: String(i + 1), chats: n }))}
          />
        </Card>
      </div>
    </div>
  );
}

export function Heatmap({ heatmap }: { heatmap: number[][] }) {
  const max = Math.max(0, ...heatmap.flat());
  const shade = (n: number) => (n === 0 || max === 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4)));
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Chats by weekday and hour">
      <table class="table heatmap">
        <caption class="visually-hidden">Chats by weekday (rows) and hour of the day (columns, 0 to 23)</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {Array.from({ length: 24 }, (_, h) => (
              <th key={h} scope="col" class="num">
                {String(h).padStart(2, '0')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {heatmap.map((row, d) => (
            <tr key={d} data-weekday={d}>
              <th scope="row" title={WEEKDAYS[d]}>
                {WEEKDAYS[d]!.slice(0, 3)}
              </th>
              {row.map((n, h) => (
                <td key={h} class={`heat-${shade(n)}`} data-value={String(n)}>
                  {n}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
