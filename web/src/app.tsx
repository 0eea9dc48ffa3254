// The app: who is signed in (GET /auth/me), then the page for the path. A session that ends
// (a 401 from any call) brings the sign-in page back, and afterwards the page the person was on.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, SIGNED_OUT_EVENT } from './api/client';
import type { AuthOptions, Me } from './api/types';
import { Layout } from './components/layout';
import { ErrorState, Loading } from './components/states';
import { analyticsPage } from './analytics/routes';
import { ToastProvider } from './components/toast';
import { DashboardPage } from './pages/dashboard';
import { LeaderboardPage } from './pages/leaderboard';
import { LedgerPage } from './pages/ledger';
import { NotFoundPage } from './pages/not-found';
import { SalesforcePage } from './pages/salesforce';
import { SettingsPage } from './pages/settings';
import { NewPasswordPage } from './pages/new-password';
import { SignInPage } from './pages/sign-in';
import { StoryPage } from './pages/story';
import { ViewsPage } from './pages/views';
import { navigate, useLocation } from './router';
import { SessionContext } from './session';

type Boot =
  { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; me: Me | null; options: AuthOptions };

export function App() {
  const location = useLocation();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  const load = useCallback(async () => {
    try {
      const options = await api.get<AuthOptions>('/auth/options');
      const me = await api.get<Me>('/auth/me').catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      });
      setBoot({ state: 'ready', me, options });
    } catch (err) {
      setBoot({ state: 'error', error: err as ApiError });
    }
  }, []);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    const signedOut = () => setBoot((b) => (b.state === 'ready' ? { ...b, me: null } : b));
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, []);

  if (boot.state === 'loading')
    return (
      <div class="boot">
        <Loading label="Loading the app" />
      </div>
    );
  if (boot.state === 'error')
    return (
      <div class="boot">
        <ErrorState error={boot.error} retry={() => void load()} />
      </div>
    );

  const { me, options } = boot;
  if (!me) {
    const next =
      location.path === '/sign-in'
        ? location.query.get('next')
        : location.path + (location.query.size ? `?${location.query}` : '');
    return (
      <ToastProvider>
        <SignInPage
          options={options}
          onSignedIn={(signedIn) => {
            // A digest is a server page, not a route of the app: load it.
            if (next && /^\/digest\//.test(next)) return window.location.assign(next);
            setBoot({ state: 'ready', me: signedIn, options });
            navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
          }}
        />
      </ToastProvider>
    );
  }
  if (me.user.passwordChangeRequired) {
    return (
      <ToastProvider>
        <NewPasswordPage
          me={me}
          onChanged={(changed) => setBoot({ state: 'ready', me: changed, options })}
          onSignOut={() => {
            void api.post('/auth/sign-out').catch(() => {});
            setBoot({ state: 'ready', me: null, options });
          }}
        />
      </ToastProvider>
    );
  }
  if (location.path === '/sign-in') {
    navigate('/', { replace: true });
    return null;
  }

  const session = {
    me,
    options,
    refresh: load,
    signOut: async () => {
      await api.post('/auth/sign-out').catch(() => {});
      setBoot({ state: 'ready', me: null, options });
      navigate('/sign-in', { replace: true });
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <ToastProvider>
        <Layout path={location.path}>{page(location.path)}</Layout>
      </ToastProvider>
    </SessionContext.Provider>
  );
}

function page(path: string) {
  if (path === '/' || path === '/dashboard') return <DashboardPage />;
  if (path === '/ledger') return <LedgerPage />;
  const story = /^\/ledger\/opportunities\/([^/]+)$/.exec(path);
  if (story) return <StoryPage opportunityId={decodeURIComponent(story[1]!)} />;
  if (path === '/leaderboard') return <LeaderboardPage />;
  if (path === '/views') return <ViewsPage />;
  if (path === '/salesforce') return <SalesforcePage />;
  if (path === '/settings') return <SettingsPage />;
  const analytics = analyticsPage(path);
  if (analytics) return analytics;
  return <NotFoundPage />;
}
