// The frame of every signed-in page: a left navigation (a top bar with a menu on phones), the
// workspace's name with a "Demo data" badge when it is the demo, and the person signed in.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { Icon, type IconName } from './icons';
import { DemoBadge } from './ui';

const NAV: { href: string; label: string; icon: IconName; match: RegExp }[] = [
  { href: '/', label: 'Dashboard', icon: 'dashboard', match: /^\/(dashboard\/?)?$/ },
  { href: '/opportunities', label: 'Opportunities', icon: 'opportunities', match: /^\/opportunities/ },
  { href: '/accounts', label: 'Accounts', icon: 'accounts', match: /^\/accounts/ },
  { href: '/funnel', label: 'Funnel', icon: 'funnel', match: /^\/funnel/ },
  { href: '/chat-operations', label: 'Chat operations', icon: 'chat', match: /^\/chat-operations/ },
  { href: '/views', label: 'Views', icon: 'views', match: /^\/views/ },
  { href: '/ledger', label: 'Ledger', icon: 'ledger', match: /^\/ledger/ },
  { href: '/leaderboard', label: 'Leaderboard', icon: 'leaderboard', match: /^\/leaderboard/ },
  { href: '/salesforce', label: 'Salesforce', icon: 'salesforce', match: /^\/salesforce/ },
  { href: '/settings', label: 'Settings', icon: 'settings', match: /^\/settings/ },
];

export function Brand() {
  return (
    <span class="brand">
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span>
        Revenue<span class="brand-light"> attribution</span>
      </span>
    </span>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const { me, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const demo = me.workspace.isDemo;

  return (
    <div class={`shell ${menuOpen ? 'menu-open' : ''}`}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Brand />
        {demo && <DemoBadge />}
        <button
          type="button"
          class="button button-ghost icon-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen(!menuOpen)}
          aria-label={menuOpen ? 'Close menu' : 'Open menu'}
        >
          <Icon name={menuOpen ? 'close' : 'menu'} size={22} />
        </button>
      </header>
      <aside class="sidebar" id="sidebar">
        <div class="sidebar-brand">
          <Brand />
        </div>
        <div class="workspace-chip">
          <span class="workspace-avatar" aria-hidden="true">
            {me.workspace.name.slice(0, 1).toUpperCase()}
          </span>
          <span class="workspace-name">
            <span>{me.workspace.name}</span>
            <span class="muted small">
              {me.workspace.reportingCurrency} · {me.workspace.timeZone}
            </span>
          </span>
        </div>
        {demo && (
          <div class="sidebar-demo">
            <DemoBadge />
          </div>
        )}
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => {
              const active = n.match.test(path);
              return (
                <li key={n.href}>
                  <Link
                    href={n.href}
                    class={`nav-link ${active ? 'active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                  >
                    <Icon name={n.icon} /> {n.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div class="sidebar-footer">
          <div class="user">
            <span class="user-name">{me.user.name}</span>
            <span class="muted small">{me.user.email}</span>
          </div>
          <button
            type="button"
            class="button button-ghost icon-button"
            onClick={() => void signOut()}
            aria-label="Sign out"
            title="Sign out"
          >
            <Icon name="signOut" />
          </button>
        </div>
      </aside>
      <main id="main" class="main">
        {demo && (
          <div class="demo-banner" role="note">
            <DemoBadge />{' '}
            <span>
              You are exploring the <strong>demo workspace</strong>: sample data from the local test Salesforce, kept
              apart from every real workspace.
            </span>
          </div>
        )}
        {children}
      </main>
    </div>
  );
}
