// The filters of the analytics pages: the dashboard's range and teams (report-filters.ts) plus
// page parameters of their own (credit model, sort, search), all in the address. Changing one keeps
// every other parameter, so a bookmarked view comes back whole.
import type { CreditModel } from '../api/analytics-types';
import { CREDIT_MODELS } from '../api/analytics-types';
import type { ReportFilters } from '../pages/report-filters';
import { useReportFilters } from '../pages/report-filters';
import { useLocation } from '../router';

export interface AnalyticsFilters {
  report: ReportFilters;
  param: (name: string) => string | null;
  set: (change: Partial<ReportFilters>, params?: Record<string, string | null>) => void;
}

export function useAnalyticsFilters(): AnalyticsFilters {
  const [report, set] = useReportFilters();
  const { query } = useLocation();
  return { report, param: (name) => query.get(name), set };
}

export const creditModelOf = (value: string | null): CreditModel => CREDIT_MODELS.find((m) => m === value) ?? 'linear';
