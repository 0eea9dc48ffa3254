// Small factories and an HTTP client for the chat API tests.
import { createApiKey } from '../../src/access/api-keys';
import type { ApiKeyScope, Workspace } from '../../src/platform/db/schema';
import type { Db } from '../../src/platform/db/client';
import { loadScenario } from '../../src/scenarios/load';
import { createWorkspace } from '../../src/workspaces/workspaces';
import { readFixture } from '../support/scenarios';

export const ALL_SCOPES: ApiKeyScope[] = ['conversations:write', 'dashboard:read', 'ledger:read', 'admin'];

export async function newWorkspace(
  db: Db,
  slug: string,
  settings: { timeZone?: string; attributionWindowDays?: number; reportingCurrency?: string } = {},
): Promise<Workspace> {
  return createWorkspace(db, { slug, ...settings });
}

export async function newKey(
  db: Db,
  workspaceId: string,
  scopes: ApiKeyScope[] = ALL_SCOPES,
  teams: string[] | null = null,
): Promise<string> {
  return (await createApiKey(db, workspaceId, { name: `test ${scopes.join(' ')}`, scopes, teams })).key;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch with a key, JSON in and out (problem+json too). */
export function apiClient(baseUrl: string, key?: string) {
  const call = async <T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      body: (type.includes('json') && text ? JSON.parse(text) : text) as T,
    };
  };
  return {
    get: <T = any>(path: string) => call<T>('GET', path),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    patch: <T = any>(path: string, body?: unknown) => call<T>('PATCH', path, body),
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body),
    delete: <T = any>(path: string) => call<T>('DELETE', path),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

/** A valid conversation; a test overrides what it is about. */
export function chat(id: string, startedAt: string, overrides: Record<string, unknown> = {}) {
  return { id, teamId: 'sales', agentId: 'agent-1', startedAt, ...overrides };
}

/** The Salesforce side of a shared scenario (its chats left out, for a test to push), in a new workspace. */
export async function salesforceOf(db: Db, slug: string, file = '01-seed-example.json'): Promise<Workspace> {
  const scenario = await readFixture(file);
  return loadScenario(db, slug, { ...scenario, events: scenario.events.filter((e) => e.type !== 'chat') });
}
