/** The app root: providers (queries, session, language, live store), the shell and the pages. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { SessionContext, useSessionState } from './api/session';
import { atLeast } from './api/types';
import { I18nContext, isLang, type Lang, langFromUrl, translator } from './i18n';
import { LiveContext } from './live/hooks';
import { LiveStore } from './live/store';
import { CallsPage } from './pages/calls';
import { ConsolePage } from './pages/console';
import { DialPage } from './pages/dial';
import { FeedsPage } from './pages/feeds';
import { HistoryPage } from './pages/history';
import { HomePage } from './pages/home';
import { LoginPage } from './pages/login';
import { PhonesPage } from './pages/phones';
import { QueuesPage } from './pages/queues';
import { WallboardPage } from './pages/queues/wallboard';
import { RoutesPage } from './pages/routes';
import { SoftwarePage } from './pages/software';
import { StatsPage } from './pages/stats';
import { TrunksPage } from './pages/trunks';
import { UsersPage } from './pages/users';
import { Shell } from './shell';

const queryClient = new QueryClient({
  defaultOptions: { queries: { refetchOnWindowFocus: false, retry: 1 } },
});

/** The application. */
export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Root />
    </QueryClientProvider>
  );
}

function Root() {
  const session = useSessionState();
  const { me } = session;
  const [chosen, setChosen] = useState<Lang | undefined>(langFromUrl);
  const saved = me?.language?.slice(0, 2);
  const lang: Lang = chosen ?? (isLang(saved) ? saved : 'en');
  const store = useMemo(() => new LiveStore(), []);
  const [location] = useLocation();

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    if (me) store.start();
    else if (me === null) store.stop();
  }, [me, store]);

  const i18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang(next: Lang) {
        setChosen(next);
        const url = new URL(window.location.href);
        if (url.searchParams.has('lang')) {
          url.searchParams.set('lang', next);
          history.replaceState(history.state, '', url);
        }
        if (me) void session.saveLanguage(next).catch(() => {});
      },
    }),
    [lang, me, session],
  );

  let body: React.ReactNode;
  if (me === undefined) body = null;
  else if (me === null) {
    body = location === '/login' ? <LoginPage /> : <Redirect to="/login" replace />;
  } else if (location === '/wallboard') {
    // A TV view: no shell (navigation, sign-out) around it.
    body = <WallboardPage />;
  } else {
    body = (
      <Shell>
        <Switch>
          <Route path="/">
            <HomePage />
          </Route>
          <Route path="/calls">
            <CallsPage />
          </Route>
          <Route path="/queues">
            <QueuesPage />
          </Route>
          {atLeast(me.role, 'agent') && (
            <Route path="/dial">
              <DialPage />
            </Route>
          )}
          <Route path="/history">
            <HistoryPage />
          </Route>
          <Route path="/stats">
            <StatsPage />
          </Route>
          <Route path="/trunks">
            <TrunksPage />
          </Route>
          <Route path="/feeds">
            <FeedsPage />
          </Route>
          {atLeast(me.role, 'supervisor') && (
            <Route path="/console">
              <ConsolePage />
            </Route>
          )}
          <Route path="/phones">
            <PhonesPage />
          </Route>
          {atLeast(me.role, 'supervisor') && (
            <Route path="/routes">
              <RoutesPage />
            </Route>
          )}
          {atLeast(me.role, 'admin') && (
            <Route path="/users">
              <UsersPage />
            </Route>
          )}
          {atLeast(me.role, 'admin') && (
            <Route path="/software">
              <SoftwarePage />
            </Route>
          )}
          <Route path="/login">
            <Redirect to="/" replace />
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Shell>
    );
  }
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session}>
        <LiveContext.Provider value={store}>{body}</LiveContext.Provider>
      </SessionContext.Provider>
    </I18nContext.Provider>
  );
}

function NotFound() {
  return (
    <main id="main" tabIndex={-1}>
      <h1>404</h1>
    </main>
  );
}
