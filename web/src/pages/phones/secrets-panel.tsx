/** After create or rotate: the provisioning URL, credentials and SIP secret (shown once), and Asterisk's answer. */
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { CopyField, OnceWarning } from './shown-once';
import type { AsteriskReport, PhoneWithSecrets } from './types';

/** What Asterisk answered, step by step. */
export function AsteriskSteps({ report }: { report: AsteriskReport }) {
  const { t } = useI18n();
  return (
    <section aria-label={t('phones.asteriskAnswer')}>
      <h3>{t('phones.asteriskAnswer')}</h3>
      <p className="muted small">
        {t('phones.asteriskWhere', { driver: report.driver, file: report.file, category: report.category })}{' '}
        {report.verified ? t('phones.verified') : t('phones.notVerified')}
      </p>
      <ol className="asterisk-steps">
        {report.steps.map((s, i) => (
          // Steps have no id of their own; their order is what they are.
          // biome-ignore lint/suspicious/noArrayIndexKey: the order is the identity
          <li key={i} className={s.ok ? 'ok-step' : 'bad-step'}>
            <span className={s.ok ? 'ok' : 'bad'}>{s.ok ? t('phones.stepOk') : t('phones.stepFailed')}</span>{' '}
            <code>{s.action}</code>: {s.response}
            {s.message ? ` — ${s.message}` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The dialog shown once after saving a new phone or rotating its secret. */
export function SecretsPanel({
  result,
  rotated,
  onClose,
}: {
  result: PhoneWithSecrets;
  rotated: boolean;
  onClose(): void;
}) {
  const { t } = useI18n();
  const title = rotated
    ? t('phones.rotatedTitle', { extension: result.extension })
    : t('phones.savedTitle', { extension: result.extension });
  return (
    <Modal title={title} onClose={onClose}>
      <OnceWarning />
      <CopyField label={t('phones.provisioningUrl')} value={result.provisioning.url} />
      <CopyField label={t('phones.provisioningUser')} value={result.provisioning.username} />
      <CopyField label={t('phones.provisioningPassword')} value={result.provisioning.password} />
      <CopyField label={t('phones.secret')} value={result.secret} />
      <AsteriskSteps report={result.asterisk} />
      <div className="buttons">
        <button type="button" className="primary" onClick={onClose}>
          {t('phones.done')}
        </button>
      </div>
    </Modal>
  );
}
