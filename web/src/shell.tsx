/** The app shell: skip link, header with navigation, live connection state, language, user and sign-out. */
import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { useSession } from './api/session';
import { atLeast, type Role } from './api/types';
import { LanguagePicker } from './components/language';
import { useI18n } from './i18n';
import type { MessageKey } from './i18n/en';
import { useLive } from './live/hooks';

const PAGES: { path: string; key: MessageKey; role: Role }[] = [
  { path: '/', key: 'nav.home', role: 'viewer' },
  { path: '/calls', key: 'nav.calls', role: 'viewer' },
  { path: '/queues', key: 'nav.queues', role: 'viewer' },
  { path: '/dial', key: 'nav.dial', role: 'agent' },
  { path: '/history', key: 'nav.history', role: 'viewer' },
  { path: '/stats', key: 'nav.stats', role: 'viewer' },
  { path: '/trunks', key: 'nav.trunks', role: 'viewer' },
  { path: '/feeds', key: 'nav.feeds', role: 'viewer' },
  { path: '/console', key: 'nav.console', role: 'supervisor' },
  { path: '/phones', key: 'nav.phones', role: 'viewer' },
  { path: '/routes', key: 'nav.routes', role: 'supervisor' },
  { path: '/users', key: 'nav.users', role: 'admin' },
  { path: '/software', key: 'nav.software', role: 'admin' },
];

/** The frame around every signed-in page. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { me, signOut } = useSession();
  const live = useLive();
  const [location, navigate] = useLocation();
  const simulated = live.pbx.filter((p) => p.simulated);
  if (!me) return null;
  const state = t(`live.${live.connection}`);
  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <div className="brand">{t('app.name')}</div>
        <nav aria-label={t('nav.label')}>
          <ul>
            {PAGES.filter((p) => atLeast(me.role, p.role)).map((p) => (
              <li key={p.path}>
                <Link href={p.path} aria-current={location === p.path ? 'page' : undefined}>
                  {t(p.key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tools">
          <output className={`conn conn-${live.connection}`} aria-label={t('live.label', { state })}>
            <span className="dot" aria-hidden="true" />
            {state}
          </output>
          <LanguagePicker />
          <span className="who">{t('shell.signedInAs', { name: me.name, role: t(`role.${me.role}`) })}</span>
          <button
            type="button"
            onClick={() => {
              void signOut().finally(() => navigate('/login'));
            }}
          >
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      {simulated.length > 0 && (
        <p className="banner-sim" role="note">
          {t('shell.simulated', { names: simulated.map((p) => p.name || p.id).join(', ') })}
        </p>
      )}
      {children}
    </>
  );
}
