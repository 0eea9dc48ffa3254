// The filters the dashboard and the leaderboard share (range, teams, granularity), kept in the
// address so a view can be bookmarked and shared, and the teams the user may filter by.
import { api, query } from '../api/client';
import type { Granularity, Team } from '../api/types';
import { useResource } from '../api/use-resource';
import { presetRange, PRESETS, type DayRange, type Preset } from '../lib/days';
import { navigate, useLocation } from '../router';
import { useWorkspace } from '../session';

export interface ReportFilters {
  range: DayRange;
  preset: Preset;
  teams: string[] | null;
  granularity: Granularity;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export type SetReportFilters = (change: Partial<ReportFilters>, params?: Record<string, string | null>) => void;

export function useReportFilters(): [ReportFilters, SetReportFilters] {
  const { query: q, path } = useLocation();
  const { timeZone } = useWorkspace();
  const givenPreset = q.get('range') as Preset | null;
  const preset: Preset = givenPreset && PRESETS.some((p) => p.id === givenPreset) ? givenPreset : '30d';
  const from = q.get('from');
  const to = q.get('to');
  const range =
    preset === 'custom' && from && to && DAY.test(from) && DAY.test(to)
      ? { from, to }
      : presetRange(preset === 'custom' ? '30d' : preset, timeZone);
  const teams = q.get('teams')?.split(',').filter(Boolean) ?? null;
  const g = q.get('granularity');
  const filters: ReportFilters = {
    range,
    preset,
    teams: teams && teams.length > 0 ? teams : null,
    granularity: g === 'week' || g === 'month' ? g : 'day',
  };

  // Changing a filter keeps every other parameter of the address (the credit model, a sort, a
  // search): the leaderboard's range once dropped its `model=`.
  const set = (change: Partial<ReportFilters>, params: Record<string, string | null> = {}) => {
    const next = { ...filters, ...change };
    const kept = new URLSearchParams(q);
    const put = (k: string, v: string | null) => (v === null || v === '' ? kept.delete(k) : kept.set(k, v));
    put('range', next.preset === '30d' ? null : next.preset);
    put('from', next.preset === 'custom' ? next.range.from : null);
    put('to', next.preset === 'custom' ? next.range.to : null);
    put('teams', next.teams?.join(',') ?? null);
    put('granularity', next.granularity === 'day' ? null : next.granularity);
    for (const [k, v] of Object.entries(params)) put(k, v);
    const s = kept.toString();
    navigate(`${path}${s ? `?${s}` : ''}`, { replace: true });
  };
  return [filters, set];
}

export function useTeams() {
  return useResource((signal) => api.get<{ teams: Team[] }>('/api/v1/teams', signal).then((r) => r.teams), []);
}

export const teamsParam = (teams: string[] | null) => teams?.join(',') ?? null;

export function reportQuery(f: ReportFilters, extra: Record<string, string | null> = {}) {
  return query({ from: f.range.from, to: f.range.to, teams: teamsParam(f.teams), ...extra });
}
