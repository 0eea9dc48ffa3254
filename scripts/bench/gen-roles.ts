// OpportunityContactRoles: ~3 per opportunity, created in the first weeks of the deal; some get a
// second version (an unrelated field changed) and a few are deleted.
import type { ContactRoleVersion } from '../../src/attribution/history';
import type { Opportunities } from './gen-opportunities';
import { DAY_MS, sfId, type GenContext } from './spec';

export interface Roles {
  versions: ContactRoleVersion[];
  /** Contact index of each role, grouped by opportunity: roles of opportunity i are [offsets[i], offsets[i+1]). */
  contacts: Int32Array;
  offsets: Int32Array;
}

export function generateRoles(ctx: GenContext, opps: Opportunities, contactIds: string[]): Roles {
  const { spec, rng } = ctx;
  const counts = rng.counts(spec.contactRoles, spec.opportunities, 2);
  const roles: Roles = {
    versions: [],
    contacts: new Int32Array(spec.contactRoles),
    offsets: new Int32Array(spec.opportunities + 1),
  };
  let r = 0;
  for (let i = 0; i < spec.opportunities; i++) {
    roles.offsets[i] = r;
    for (let k = 0; k < counts[i]!; k++, r++) {
      const c = rng.int(contactIds.length);
      roles.contacts[r] = c;
      addRole(ctx, roles.versions, sfId('00K', r), opps.ids[i]!, contactIds[c]!, opps.createdDates[i]!);
    }
  }
  roles.offsets[spec.opportunities] = r;
  return roles;
}

function addRole(
  ctx: GenContext,
  out: ContactRoleVersion[],
  id: string,
  opportunityId: string,
  contactId: string,
  oppCreated: number,
): void {
  const { rng, range } = ctx;
  const createdDate = ctx.instant(oppCreated, Math.min(oppCreated + 20 * DAY_MS, range.baseEnd));
  const base = { contactRoleId: id, opportunityId, contactId, createdDate, deleted: false };
  out.push({ ...base, versionId: `${id}:0`, at: createdDate, seq: ctx.nextSeq() });
  const r = rng.next();
  if (r >= 0.13) return;
  // 10% get a second version with the same link (IsPrimary changed), 3% are deleted.
  out.push({
    ...base,
    versionId: `${id}:1`,
    at: ctx.instant(createdDate + 1, range.baseEnd),
    seq: ctx.nextSeq(),
    deleted: r >= 0.1,
  });
}
