// Which Lead Status values are funnel stages: MQL, SQL (accepted by sales) or rejected. Defaults
// come from the org's LeadStatus picklist (converted values are SQL; the default value, and values
// named like "open", "new" or "MQL", are MQL; "working", "contacted", "qualified", "accepted" are
// SQL; "not converted", "unqualified", "rejected", "junk" are rejected); a workspace overrides any.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client';
import { funnelStages, leadStatusStages, type FunnelStage } from '../platform/db/schema';
import { withTransaction } from '../platform/tx';
import type { Db } from '../platform/db/client';

export interface LeadStatusValue {
  apiName: string;
  label: string;
  isConverted: boolean;
  isDefault: boolean;
}

const REJECTED = /\b(not converted|unqualified|disqualified|rejected|junk|spam|dead|invalid|bad fit)\b/;
const MQL = /\b(mql|marketing[ -]?qualified)\b/;
const SQL_WORDS = /\b(sql|sales[ -]?(qualified|accepted)|accepted|working|contacted|qualified|in progress|converted)\b/;
const NOT_YET = /\bnot contacted\b/;
const OPENING = /\b(open|new)\b/;

/** The stage a status has unless the workspace chose another. */
export function defaultStage(s: LeadStatusValue): FunnelStage {
  const text = `${s.label} ${s.apiName}`.toLowerCase();
  if (s.isConverted) return 'sql';
  if (REJECTED.test(text)) return 'rejected';
  if (MQL.test(text)) return 'mql';
  if (SQL_WORDS.test(text) && !NOT_YET.test(text)) return 'sql';
  if (s.isDefault || OPENING.test(text) || NOT_YET.test(text)) return 'mql';
  return 'none';
}

export const funnelStage = z.enum(funnelStages);

export const leadStageView = z
  .object({
    statuses: z.array(
      z.object({
        status: z.string().meta({ description: 'The value Lead.Status holds (the picklist value’s API name).' }),
        label: z.string(),
        inPicklist: z.boolean().meta({ description: 'False for a value only old leads hold.' }),
        isConverted: z.boolean(),
        isDefault: z.boolean(),
        stage: funnelStage,
        source: z.enum(['default', 'setting']),
        defaultStage: funnelStage,
      }),
    ),
  })
  .meta({
    id: 'LeadStages',
    description: 'Every Lead Status value the org has or a lead holds, and its funnel stage.',
  });
export type LeadStageView = z.infer<typeof leadStageView>;

export const leadStagesChange = z
  .object({
    stages: z
      .record(z.string().min(1).max(255), funnelStage.nullable())
      .refine((m) => Object.keys(m).length > 0, 'give at least one status')
      .meta({
        description:
          'Status (API name) -> mql, sql, rejected or none (not a funnel stage); null goes back to the default.',
      }),
  })
  .strict()
  .meta({ id: 'LeadStagesChange' });
export type LeadStagesChange = z.infer<typeof leadStagesChange>;

export async function leadStages(db: DbOrTx, workspaceId: string): Promise<LeadStageView> {
  const rows = await db.execute<{
    status: string;
    label: string | null;
    in_picklist: boolean;
    is_converted: boolean;
    is_default: boolean;
    stage: FunnelStage | null;
  }>(sql`
    with used as (
      select distinct status from lead_versions where workspace_id = ${workspaceId} and status is not null
    ), known as (
      select api_name as status, master_label as label, is_active as in_picklist, is_converted, is_default, sort_order
      from salesforce_lead_statuses where workspace_id = ${workspaceId}
      union all
      select u.status, null, false, false, false, null from used u
      where not exists (
        select 1 from salesforce_lead_statuses s
        where s.workspace_id = ${workspaceId} and (s.api_name = u.status or s.master_label = u.status))
    )
    select k.status, k.label, k.in_picklist, k.is_converted, k.is_default, o.stage
    from known k left join lead_status_stages o on o.workspace_id = ${workspaceId} and o.status = k.status
    order by k.in_picklist desc, k.sort_order nulls last, k.status`);
  return {
    statuses: rows.map((r) => {
      const value = {
        apiName: r.status,
        label: r.label ?? r.status,
        isConverted: r.is_converted,
        isDefault: r.is_default,
      };
      const fallback = defaultStage(value);
      return {
        status: r.status,
        label: value.label,
        inPicklist: r.in_picklist,
        isConverted: r.is_converted,
        isDefault: r.is_default,
        stage: r.stage ?? fallback,
        source: r.stage ? ('setting' as const) : ('default' as const),
        defaultStage: fallback,
      };
    }),
  };
}

/** Status (API name or label) -> stage, for reading lead versions. */
export async function stageOfStatus(db: DbOrTx, workspaceId: string): Promise<(status: string | null) => FunnelStage> {
  const view = await leadStages(db, workspaceId);
  const byName = new Map<string, FunnelStage>();
  for (const s of view.statuses) {
    byName.set(s.status, s.stage);
    if (!byName.has(s.label)) byName.set(s.label, s.stage);
  }
  return (status) => (status === null ? 'none' : (byName.get(status) ?? 'none'));
}

export async function changeLeadStages(db: Db, workspaceId: string, change: LeadStagesChange): Promise<LeadStageView> {
  await withTransaction(db, async (tx) => {
    for (const [status, stage] of Object.entries(change.stages)) {
      if (stage === null) {
        await tx.execute(
          sql`delete from lead_status_stages where workspace_id = ${workspaceId} and status = ${status}`,
        );
      } else {
        await tx
          .insert(leadStatusStages)
          .values({ workspaceId, status, stage })
          .onConflictDoUpdate({
            target: [leadStatusStages.workspaceId, leadStatusStages.status],
            set: { stage, updatedAt: sql`now()` },
          });
      }
    }
  });
  return leadStages(db, workspaceId);
}
