// Days are computed in two places: the engine (ICU, in Node) and chat metrics (PostgreSQL's
// `at time zone`). Every zone a workspace may choose must give both the same local day.
import { sql } from 'drizzle-orm';
import { calendarFor, isValidTimeZone } from '../../src/attribution/calendar';
import { textArray } from '../../src/platform/db/sql';
import { workspaceSettings } from '../../src/workspaces/workspaces';
import { useTestDatabase } from '../support/database';

const database = useTestDatabase();

describe('workspace time zones', () => {
  it.each(['IST', 'PST', 'CST', 'BST', 'AST', 'ECT', 'CTT', 'EST5EDT', 'Israel', 'Mars/Olympus_Mons', ''])(
    'refuse the ambiguous or unknown "%s"',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(false);
      expect(workspaceSettings.shape.timeZone.safeParse(zone).error?.issues[0]?.message).toMatch(
        /IANA time zone name such as "Europe\/Paris"/,
      );
    },
  );

  it('accept every Area/Location zone ICU knows, and PostgreSQL gives each the same local day as the engine', async () => {
    const zones = [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Nuuk'].filter(
      isValidTimeZone,
    );
    expect(zones.length).toBeGreaterThan(400);
    // Every hour around the 2026 DST changes of both hemispheres, and two quiet days.
    const days = [
      '2026-03-08',
      '2026-03-29',
      '2026-04-05',
      '2026-10-04',
      '2026-10-25',
      '2026-11-01',
      '2026-01-15',
      '2026-07-15',
    ];
    const instants = days.flatMap((d) =>
      Array.from({ length: 26 }, (_, h) => Date.parse(`${d}T00:00:00Z`) - 3_600_000 + h * 3_600_000 + 30 * 60_000),
    );
    const rows = await database.db.execute<{ zone: string; ms: string; day: string }>(sql`
      select z as zone, t::text as ms, (to_timestamp(t / 1000.0) at time zone z)::date::text as day
      from unnest(${textArray(zones)}) as z, unnest(${textArray(instants.map(String))}::bigint[]) as t`);
    const disagreements = rows.filter((r) => calendarFor(r.zone).dayOf(Number(r.ms)) !== r.day);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(rows).toHaveLength(zones.length * instants.length);
  });
});
