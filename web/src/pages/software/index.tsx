/**
 * Software (`/software`, admins): Switchboard's version and each PBX's Asterisk, AMI, uptime, reload, drivers; phone
 * firmware per model (`firmware.tsx`).
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { describeError } from '../../components/errors';
import { duration } from '../../format';
import { useI18n } from '../../i18n';
import { FirmwareSection } from './firmware';
import './software.css';

/** One PBX of `GET /api/v1/software`. */
interface PbxSoftware {
  id: string;
  name: string;
  connected: boolean;
  simulated: boolean;
  asteriskVersion?: string;
  amiVersion?: string;
  systemName?: string;
  startedAt?: string;
  reloadedAt?: string;
  uptimeSeconds?: number;
  currentCalls?: number;
  channelDrivers?: string[];
  error?: string;
}

/** `GET /api/v1/software`. */
interface Software {
  switchboard: { version: string; node: string };
  pbx: PbxSoftware[];
}

function uptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const rest = duration(seconds % 86_400);
  return days > 0 ? `${days}d ${rest}` : rest;
}

function Pbx({ p }: { p: PbxSoftware }) {
  const { t } = useI18n();
  const name = p.name || p.id;
  const title = t('software.pbxOf', { name });
  const unknown = t('software.unknown');
  return (
    <section className="card" aria-label={title}>
      <h3>
        {title}
        {p.simulated && <span className="tag">{t('software.simulated')}</span>}
      </h3>
      {p.error && <p className="error">{t('software.unavailable', { reason: p.error })}</p>}
      {!p.error && (
        <dl className="facts">
          <div>
            <dt>{t('software.asterisk')}</dt>
            <dd>{p.asteriskVersion ?? unknown}</dd>
          </div>
          <div>
            <dt>{t('software.ami')}</dt>
            <dd>{p.amiVersion ?? unknown}</dd>
          </div>
          {p.systemName && (
            <div>
              <dt>{t('software.systemName')}</dt>
              <dd>{p.systemName}</dd>
            </div>
          )}
          <div>
            <dt>{t('software.uptime')}</dt>
            <dd>{p.uptimeSeconds !== undefined ? uptime(p.uptimeSeconds) : unknown}</dd>
          </div>
          <div>
            <dt>{t('software.started')}</dt>
            <dd>
              {p.startedAt ?? unknown}
              <div className="muted small">{t('software.localTime')}</div>
            </dd>
          </div>
          <div>
            <dt>{t('software.reloaded')}</dt>
            <dd>{p.reloadedAt ?? unknown}</dd>
          </div>
          <div>
            <dt>{t('software.calls')}</dt>
            <dd>{p.currentCalls ?? unknown}</dd>
          </div>
          <div>
            <dt>{t('software.drivers')}</dt>
            <dd>
              {p.channelDrivers && p.channelDrivers.length > 0 ? (
                <ul className="plain">
                  {p.channelDrivers.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              ) : (
                t('software.noDrivers')
              )}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}

/** The Software page. */
export function SoftwarePage() {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['software'],
    queryFn: () => api<Software>('GET', '/api/v1/software'),
    refetchInterval: 60_000,
  });
  return (
    <main id="main" tabIndex={-1}>
      <h1>{t('software.title')}</h1>
      <p>
        <button type="button" onClick={() => void q.refetch()} disabled={q.isFetching}>
          {t('software.refresh')}
        </button>
      </p>
      {q.isPending && <p className="muted">{t('software.loading')}</p>}
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && (
        <>
          <section className="card" aria-labelledby="h-sb">
            <h2 id="h-sb">{t('software.switchboard')}</h2>
            <dl className="facts">
              <div>
                <dt>{t('software.switchboardVersion')}</dt>
                <dd>{q.data.switchboard.version}</dd>
              </div>
              <div>
                <dt>{t('software.node')}</dt>
                <dd>{q.data.switchboard.node}</dd>
              </div>
            </dl>
          </section>
          <h2>{t('software.pbxs')}</h2>
          {q.data.pbx.map((p) => (
            <Pbx key={p.id} p={p} />
          ))}
        </>
      )}
      <FirmwareSection />
    </main>
  );
}
