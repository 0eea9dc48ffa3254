// The analytics pages' routes, kept apart from app.tsx so that adding a page touches one file.
import type { JSX } from 'preact';
import { AccountDetailPage } from './account-detail';
import { AccountsPage } from './accounts';
import { ChatOperationsPage } from './chat-operations';
import { FunnelPage } from './funnel';
import { OpportunitiesPage } from './opportunities';

export function analyticsPage(path: string): JSX.Element | null {
  if (path === '/opportunities') return <OpportunitiesPage />;
  if (path === '/funnel') return <FunnelPage />;
  if (path === '/chat-operations') return <ChatOperationsPage />;
  if (path === '/accounts') return <AccountsPage />;
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account) return <AccountDetailPage accountId={decodeURIComponent(account[1]!)} />;
  return null;
}
