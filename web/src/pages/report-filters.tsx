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

export function useReportFilters(): [ReportFilters, (change: Partial<ReportFilters>) => void] {
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

  const set = (change: Partial<ReportFilters>) => {
    const next = { ...filters, ...change };
    navigate(
      `${path}${query({
        range: next.preset === '30d' ? null : next.preset,
        from: next.preset === 'custom' ? next.range.from : null,
        to: next.preset === 'custom' ? next.range.to : null,
        teams: next.teams?.join(',') ?? null,
        granularity: next.granularity === 'day' ? null : next.granularity,
      })}`,
      { replace: true },
    );
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
