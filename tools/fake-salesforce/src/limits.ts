// The org-level REST resources: the list of API versions (no session needed), the resources of
// one version, and the org limits with DailyApiRequests following the request count.
import { Router, type Request } from 'express';
import type { FakeContext } from './context';
import { identityUrl } from './identity';

const OLDEST = 31;
const NEWEST = 64;
const SEASONS = ['Winter', 'Spring', 'Summer'];

/** [{label: "Winter '25", url: "/services/data/v62.0", version: "62.0"}, …]: three releases a year. */
export function versions() {
  const out = [];
  for (let v = OLDEST; v <= NEWEST; v++) {
    const offset = v - 62; // v62.0 was Winter '25
    const season = SEASONS[((offset % 3) + 3) % 3];
    const year = 25 + Math.floor(offset / 3);
    out.push({
      label: `${season} '${String(year).padStart(2, '0')}`,
      url: `/services/data/v${v}.0`,
      version: `${v}.0`,
    });
  }
  return out;
}

export function versionResourcesRouter(ctx: FakeContext): Router {
  const router = Router({ mergeParams: true });

  router.get('/', (req: Request<{ version: string }>, res) => {
    const base = `/services/data/${req.params.version}`;
    const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'jobs', 'search', 'recent', 'tooling'];
    res.json({
      ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])),
      identity: identityUrl(ctx.baseUrl(), ctx.store),
    });
  });

  router.get('/limits', (_req, res) => {
    const same = (max: number) => ({ Max: max, Remaining: max });
    res.json({
      ConcurrentAsyncGetReportInstances: same(200),
      ConcurrentSyncReportRuns: same(20),
      DailyApiRequests: { Max: ctx.usage.max, Remaining: Math.max(0, ctx.usage.max - ctx.usage.used) },
      DailyAsyncApexExecutions: same(250_000),
      DailyBulkApiBatches: same(15_000),
      DailyBulkV2QueryFileStorageMB: same(976_562),
      DailyBulkV2QueryJobs: same(10_000),
      DailyStreamingApiEvents: same(10_000),
      DataStorageMB: same(5),
      FileStorageMB: same(20),
      HourlyTimeBasedWorkflow: same(50),
      MassEmail: same(10),
      SingleEmail: same(15),
    });
  });

  return router;
}
