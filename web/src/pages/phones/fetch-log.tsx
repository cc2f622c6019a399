/** The provisioning fetches of one phone, newest first. */
import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import type { Phone, PhoneFetch } from './types';

/** The dialog with the fetch log. */
export function FetchLog({ phone, onClose }: { phone: Phone; onClose(): void }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ['phone-fetches', phone.pbx, phone.extension],
    queryFn: () =>
      api<PhoneFetch[]>(
        'GET',
        `/api/v1/phones/${seg(phone.extension)}/fetches?pbx=${seg(phone.pbx)}&limit=100`,
      ),
  });
  const label = t('phones.fetchesOf', { extension: phone.extension });
  return (
    <Modal title={label} onClose={onClose}>
      {q.isPending && <p>{t('phones.loading')}</p>}
      {q.error && <p className="error">{describeError(q.error, t)}</p>}
      {q.data && q.data.length === 0 && <p className="muted">{t('phones.noFetches')}</p>}
      {q.data && q.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={label}>
            <thead>
              <tr>
                <th scope="col">{t('phones.fetchAt')}</th>
                <th scope="col">{t('phones.fetchFile')}</th>
                <th scope="col">{t('phones.fetchOutcome')}</th>
                <th scope="col">{t('phones.fetchAddress')}</th>
                <th scope="col">{t('phones.fetchAgent')}</th>
              </tr>
            </thead>
            <tbody>
              {q.data.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: fetches have no id; the list is re-read whole
                <tr key={i}>
                  <td>{new Date(f.at).toLocaleString()}</td>
                  <td>
                    <code>{f.file}</code>
                  </td>
                  <td className={f.outcome === 'served' ? 'ok' : 'bad'}>
                    {f.outcome} ({f.status})
                  </td>
                  <td>{f.address}</td>
                  <td>{f.userAgent ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={onClose}>
          {t('phones.close')}
        </button>
      </div>
    </Modal>
  );
}
