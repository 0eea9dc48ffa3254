// Credit on the leaderboard: each agent's share of the range's influence under the model picked
// (GET /api/v1/leaderboard?model=…). Unlike the headline columns these rows add up: with the chats
// without an agent, they make the dashboard's totals.
import { api, query } from '../api/client';
import type { CreditModel } from '../api/analytics-types';
import { useResource } from '../api/use-resource';
import { CREDIT_MODEL_LABELS, CreditModelPicker } from '../components/credit-model-picker';
import { ErrorState, Loading } from '../components/states';
import { Card } from '../components/ui';
import { money } from '../lib/format';
import type { DayRange } from '../lib/days';
import { creditModelOf, useAnalyticsFilters } from './analytics-filters';
import './analytics.css';

interface Credit {
  pipeline: string;
  closedWon: string;
}
interface LeaderboardCredit {
  currency: string;
  model: CreditModel;
  byAgent: { agentId: string; name: string | null; credit: Credit }[];
  credit: { totals: Credit; withoutAgent: Credit };
}

export function LeaderboardCreditCard({ range, teams }: { range: DayRange; teams: string | null }) {
  const { param, set } = useAnalyticsFilters();
  const model = creditModelOf(param('model'));
  const board = useResource(
    (signal) =>
      api.get<LeaderboardCredit>(
        `/api/v1/leaderboard${query({ from: range.from, to: range.to, teams, model, rankBy: 'credit' })}`,
        signal,
      ),
    [range.from, range.to, teams, model],
  );
  const b = board.data;
  const row = (key: string, name: string, c: Credit, cls = '') => (
    <tr key={key} class={cls} data-credit-row={key} data-pipeline={c.pipeline} data-closed-won={c.closedWon}>
      <th scope="row">{name}</th>
      <td class="num">{money(c.pipeline, b!.currency)}</td>
      <td class="num">{money(c.closedWon, b!.currency)}</td>
    </tr>
  );
  return (
    <Card
      title="Credit by agent"
      description={`${CREDIT_MODEL_LABELS[model].hint}. These rows add up to the dashboard's totals.`}
      actions={<CreditModelPicker id="leaderboard-model" value={model} onChange={(m) => set({}, { model: m })} />}
    >
      {board.error && <ErrorState error={board.error} retry={board.reload} />}
      {!b && !board.error && <Loading label="Loading the credit" />}
      {b && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Credit by agent">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col" class="num">
                  Pipeline credit
                </th>
                <th scope="col" class="num">
                  Closed-won credit
                </th>
              </tr>
            </thead>
            <tbody>
              {b.byAgent.map((a) => row(a.agentId, a.name ?? a.agentId, a.credit))}
              {row('withoutAgent', 'Chats without an agent (bots)', b.credit.withoutAgent, 'muted')}
            </tbody>
            <tfoot>{row('totals', 'Total', b.credit.totals)}</tfoot>
          </table>
        </div>
      )}
    </Card>
  );
}
