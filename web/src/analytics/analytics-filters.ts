// The filters of the analytics pages: the dashboard's range and teams (report-filters.ts) plus
// page parameters of their own (credit model, sort, search), all in the address. Changing one keeps
// every other parameter, so a bookmarked view comes back whole.
import type { CreditModel } from '../api/analytics-types';
import { CREDIT_MODELS } from '../api/analytics-types';
import type { ReportFilters } from '../pages/report-filters';
import { useReportFilters } from '../pages/report-filters';
import { navigate, useLocation } from '../router';

export interface AnalyticsFilters {
  report: ReportFilters;
  param: (name: string) => string | null;
  set: (change: Partial<ReportFilters>, params?: Record<string, string | null>) => void;
}

export function useAnalyticsFilters(): AnalyticsFilters {
  const [report] = useReportFilters();
  const { query, path } = useLocation();
  const set = (change: Partial<ReportFilters>, params: Record<string, string | null> = {}) => {
    const next = { ...report, ...change };
    const q = new URLSearchParams(query);
    const put = (k: string, v: string | null) => (v === null || v === '' ? q.delete(k) : q.set(k, v));
    put('range', next.preset === '30d' ? null : next.preset);
    put('from', next.preset === 'custom' ? next.range.from : null);
    put('to', next.preset === 'custom' ? next.range.to : null);
    put('teams', next.teams?.join(',') ?? null);
    for (const [k, v] of Object.entries(params)) put(k, v);
    const s = q.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, { replace: true });
  };
  return { report, param: (name) => query.get(name), set };
}

export const creditModelOf = (value: string | null): CreditModel => CREDIT_MODELS.find((m) => m === value) ?? 'linear';
