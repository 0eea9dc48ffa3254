// Who is signed in, for every page: the person, their workspace (zone, currency, demo or not).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthOptions, Me } from './api/types';

export interface SessionValue {
  me: Me;
  options: AuthOptions;
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}

/** The workspace's reporting currency and zone, which every number and day is shown in. */
export function useWorkspace() {
  return useSession().me.workspace;
}
