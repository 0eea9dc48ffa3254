// What Salesforce does on every Opportunity save: IsClosed and IsWon follow the stage, a stage
// change brings the stage's default probability, and a change of amount, stage, close date or
// probability writes an OpportunityHistory row holding the new values.
import type { Row } from './values';

const TRACKED = ['Amount', 'StageName', 'CloseDate', 'Probability'];

type StageLookup = { stage(name: string): Row | undefined };

/** Updates the derived fields in place; true when the save must write a history row. */
export function applyOpportunityRules(stages: StageLookup, row: Row, changed: Set<string>, isInsert: boolean): boolean {
  const tracked = new Set([...changed].filter((f) => TRACKED.includes(f)));
  if (isInsert || changed.has('StageName')) {
    const stage = stages.stage(String(row.StageName));
    if (!stage) throw new Error(`fake-salesforce: stage ${String(row.StageName)} is not an OpportunityStage`);
    row.StageName = stage.ApiName as string;
    row.IsClosed = stage.IsClosed === true;
    row.IsWon = stage.IsWon === true;
    // An explicit probability wins; otherwise the stage's default, as the UI and API both do.
    if (!changed.has('Probability') && row.Probability !== stage.DefaultProbability) {
      row.Probability = stage.DefaultProbability as number;
      tracked.add('Probability');
    }
  }
  row.ExpectedRevenue =
    typeof row.Amount === 'number' && typeof row.Probability === 'number'
      ? Math.round(row.Amount * row.Probability) / 100
      : null;
  return isInsert || tracked.size > 0;
}

export function historyRowFor(opportunity: Row, multiCurrency: boolean): Row {
  return {
    OpportunityId: opportunity.Id!,
    Amount: opportunity.Amount!,
    StageName: opportunity.StageName!,
    CloseDate: opportunity.CloseDate!,
    Probability: opportunity.Probability!,
    ExpectedRevenue: opportunity.ExpectedRevenue!,
    ...(multiCurrency ? { CurrencyIsoCode: opportunity.CurrencyIsoCode! } : {}),
  };
}
