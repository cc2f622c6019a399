/**
 * Phone firmware on the Software page ("Actualizar software"): per brand and model, the version phones are offered
 * and how many phones run which version (from their provisioning fetches); the uploaded files with their SHA-256;
 * upload (the file as the raw body), offer a version, stop offering, delete; resync a model's phones so they fetch it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, apiUpload, seg } from '../../api/client';
import { describeError } from '../../components/errors';
import { Modal } from '../../components/modal';
import { useI18n } from '../../i18n';
import { NOTIFY_BRANDS, NotifyDialog } from '../phones/notify';
import { BRANDS } from '../phones/types';

/** `GET /api/v1/firmware` item. */
interface FirmwareFile {
  brand: string;
  model: string;
  version: string;
  filename: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  current: boolean;
}

/** `GET /api/v1/firmware/versions` item. */
interface ModelVersions {
  brand: string;
  model: string;
  versions: Record<string, number>;
}

/** One path segment, as the server accepts it. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}$/;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const key = (brand: string, model: string) => `${brand}/${model.toLowerCase()}`;

type Dialog = { kind: 'delete'; file: FirmwareFile } | { kind: 'resync'; brand: string; model: string };

/** The upload form. */
function Upload({ onDone }: { onDone(text: string): void }) {
  const { t } = useI18n();
  const [brand, setBrand] = useState<string>(BRANDS[0]);
  const [model, setModel] = useState('');
  const [version, setVersion] = useState('');
  const [file, setFile] = useState<File>();
  const [filename, setFilename] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; text: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    for (const [field, value] of [
      ['model', model],
      ['version', version],
      ['filename', filename],
    ] as const)
      if (!SEGMENT.test(value)) {
        setError({ field, text: t('firmware.badName') });
        return;
      }
    if (!file) {
      setError({ field: 'file', text: t('firmware.chooseFile') });
      return;
    }
    setBusy(true);
    try {
      const q = new URLSearchParams({ brand, model, version, filename });
      const f = await apiUpload<FirmwareFile>(`/api/v1/firmware?${q}`, file);
      onDone(t('firmware.uploaded', { file: f.filename, size: bytes(f.size), sha256: f.sha256 }));
      setVersion('');
      setFile(undefined);
      setFilename('');
      (e.target as HTMLFormElement).reset();
    } catch (err) {
      const field = (err as { field?: string }).field;
      setError({ ...(field ? { field } : {}), text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) =>
    error?.field === name ? (
      <p className="error field-error" id={`fw-${name}-error`}>
        {error.text}
      </p>
    ) : null;
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="h-fw-upload" className="card">
      <h3 id="h-fw-upload">{t('firmware.upload')}</h3>
      <div className="field-pair">
        <div className="field">
          <label htmlFor="fw-brand">{t('phones.type')}</label>
          <select id="fw-brand" value={brand} onChange={(e) => setBrand(e.target.value)}>
            {BRANDS.filter((b) => b !== 'generic').map((b) => (
              <option key={b} value={b}>
                {t(`phones.brand.${b}` as 'phones.brand.generic')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fw-model">{t('phones.model')}</label>
          <input
            id="fw-model"
            value={model}
            required
            maxLength={80}
            onChange={(e) => setModel(e.target.value)}
            aria-invalid={error?.field === 'model'}
          />
          {fieldError('model')}
        </div>
        <div className="field">
          <label htmlFor="fw-version">{t('firmware.version')}</label>
          <input
            id="fw-version"
            value={version}
            required
            maxLength={80}
            onChange={(e) => setVersion(e.target.value)}
            aria-invalid={error?.field === 'version'}
          />
          {fieldError('version')}
        </div>
      </div>
      <div className="field-pair">
        <div className="field">
          <label htmlFor="fw-file">{t('firmware.file')}</label>
          <input
            id="fw-file"
            type="file"
            required
            onChange={(e) => {
              const f = e.target.files?.[0];
              setFile(f);
              if (f) setFilename(f.name);
            }}
          />
          {fieldError('file')}
        </div>
        <div className="field">
          <label htmlFor="fw-filename">{t('firmware.filename')}</label>
          <input
            id="fw-filename"
            value={filename}
            required
            maxLength={80}
            onChange={(e) => setFilename(e.target.value)}
            aria-invalid={error?.field === 'filename'}
          />
          {fieldError('filename')}
        </div>
      </div>
      {error && !['model', 'version', 'filename', 'file'].includes(error.field ?? '') && (
        <p className="error" role="alert">
          {error.text}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('firmware.uploading') : t('firmware.uploadButton')}
        </button>
      </div>
    </form>
  );
}

/** The firmware section. */
export function FirmwareSection() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const files = useQuery({
    queryKey: ['firmware'],
    queryFn: () => api<FirmwareFile[]>('GET', '/api/v1/firmware'),
  });
  const versions = useQuery({
    queryKey: ['firmware-versions'],
    queryFn: () => api<ModelVersions[]>('GET', '/api/v1/firmware/versions'),
    refetchInterval: 60_000,
  });
  const [notice, setNotice] = useState<{ text: string; error?: boolean }>();
  const [dialog, setDialog] = useState<Dialog>();
  const [busy, setBusy] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ['firmware'] });
  const brandName = (b: string) => t(`phones.brand.${b}` as 'phones.brand.generic');

  const offer = async (f: FirmwareFile, current: string | null) => {
    setBusy(true);
    try {
      await api('PATCH', `/api/v1/firmware/${seg(f.brand)}/${seg(f.model)}`, { current });
      setNotice({
        text: current
          ? t('firmware.offered', { model: `${brandName(f.brand)} ${f.model}`, version: current })
          : t('firmware.notOffered', { model: `${brandName(f.brand)} ${f.model}` }),
      });
      await refresh();
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
    } finally {
      setBusy(false);
    }
  };
  const remove = async (f: FirmwareFile) => {
    setBusy(true);
    try {
      await api(
        'DELETE',
        `/api/v1/firmware/${seg(f.brand)}/${seg(f.model)}/${seg(f.version)}/${seg(f.filename)}`,
      );
      setNotice({ text: t('firmware.deleted', { file: f.filename }) });
      setDialog(undefined);
      await refresh();
    } catch (err) {
      setNotice({ text: describeError(err, t), error: true });
      setDialog(undefined);
    } finally {
      setBusy(false);
    }
  };

  // One row per model that has files or phones that told us their version.
  const models = new Map<
    string,
    { brand: string; model: string; current?: string; versions: Record<string, number> }
  >();
  for (const f of files.data ?? []) {
    const m = models.get(key(f.brand, f.model)) ?? { brand: f.brand, model: f.model, versions: {} };
    if (f.current) m.current = f.version;
    models.set(key(f.brand, f.model), m);
  }
  for (const v of versions.data ?? []) {
    const m = models.get(key(v.brand, v.model)) ?? { brand: v.brand, model: v.model, versions: {} };
    m.versions = v.versions;
    models.set(key(v.brand, v.model), m);
  }
  const rows = [...models.values()].sort(
    (a, b) => a.brand.localeCompare(b.brand) || a.model.localeCompare(b.model),
  );

  return (
    <section aria-labelledby="h-fw">
      <h2 id="h-fw">{t('firmware.title')}</h2>
      <p className="muted">{t('firmware.intro')}</p>
      <div role="status" className={notice?.error ? 'notice error' : 'notice'}>
        {notice?.text}
      </div>
      {(files.error || versions.error) && (
        <p className="error">{describeError(files.error ?? versions.error, t)}</p>
      )}
      {files.data && versions.data && rows.length === 0 && <p className="muted">{t('firmware.noneYet')}</p>}
      {rows.length > 0 && <h3>{t('firmware.byModel')}</h3>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('firmware.byModel')}>
            <thead>
              <tr>
                <th scope="col">{t('firmware.model')}</th>
                <th scope="col">{t('firmware.offeredVersion')}</th>
                <th scope="col">{t('firmware.running')}</th>
                <th scope="col">{t('phones.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => {
                const name = `${brandName(m.brand)} ${m.model}`;
                const running = Object.entries(m.versions).sort(([a], [b]) =>
                  b.localeCompare(a, undefined, { numeric: true }),
                );
                return (
                  <tr key={key(m.brand, m.model)}>
                    <th scope="row">{name}</th>
                    <td>{m.current ?? <span className="muted">{t('firmware.noOffer')}</span>}</td>
                    <td>
                      {running.length === 0 ? (
                        <span className="muted">{t('firmware.noReports')}</span>
                      ) : (
                        <ul className="plain">
                          {running.map(([v, n]) => (
                            <li key={v}>
                              {t('firmware.phonesOn', { version: v, count: n })}
                              {m.current && v !== m.current && (
                                <span className="tag">{t('firmware.outdated')}</span>
                              )}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className="actions">
                      {(NOTIFY_BRANDS as readonly string[]).includes(m.brand) && (
                        <button
                          type="button"
                          onClick={() => setDialog({ kind: 'resync', brand: m.brand, model: m.model })}
                          aria-label={t('firmware.resyncOf', { model: name })}
                        >
                          {t('firmware.resync')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {files.data && files.data.length > 0 && <h3>{t('firmware.files')}</h3>}
      {files.data && files.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label={t('firmware.files')}>
            <thead>
              <tr>
                <th scope="col">{t('firmware.model')}</th>
                <th scope="col">{t('firmware.version')}</th>
                <th scope="col">{t('firmware.filename')}</th>
                <th scope="col">{t('firmware.size')}</th>
                <th scope="col">SHA-256</th>
                <th scope="col">{t('firmware.uploadedAt')}</th>
                <th scope="col">{t('phones.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((f) => {
                const id = `${brandName(f.brand)} ${f.model} ${f.version}`;
                return (
                  <tr key={`${f.brand}/${f.model}/${f.version}/${f.filename}`}>
                    <td>
                      {brandName(f.brand)} {f.model}
                    </td>
                    <td>
                      {f.version}
                      {f.current && <span className="tag">{t('firmware.offeredTag')}</span>}
                    </td>
                    <td>
                      <code>{f.filename}</code>
                    </td>
                    <td>{bytes(f.size)}</td>
                    <td>
                      <code className="sha" title={f.sha256}>
                        {f.sha256}
                      </code>
                    </td>
                    <td>{new Date(f.uploadedAt).toLocaleString()}</td>
                    <td className="actions">
                      {f.current ? (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void offer(f, null)}
                          aria-label={t('firmware.stopOfferOf', { id })}
                        >
                          {t('firmware.stopOffer')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          disabled={busy}
                          onClick={() => void offer(f, f.version)}
                          aria-label={t('firmware.offerOf', { id })}
                        >
                          {t('firmware.offer')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="danger"
                        disabled={busy}
                        onClick={() => setDialog({ kind: 'delete', file: f })}
                        aria-label={t('firmware.deleteOf', { file: f.filename })}
                      >
                        {t('phones.delete')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Upload
        onDone={(text) => {
          setNotice({ text });
          void refresh();
        }}
      />
      {dialog?.kind === 'delete' && (
        <Modal
          title={t('firmware.deleteTitle', { file: dialog.file.filename })}
          onClose={() => setDialog(undefined)}
        >
          <p>
            {dialog.file.current
              ? t('firmware.deleteCurrentText', { version: dialog.file.version })
              : t('firmware.deleteText')}
          </p>
          <div className="buttons">
            <button type="button" onClick={() => setDialog(undefined)} disabled={busy}>
              {t('phones.cancel')}
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => void remove(dialog.file)}>
              {t('phones.deleteConfirm')}
            </button>
          </div>
        </Modal>
      )}
      {dialog?.kind === 'resync' && (
        <NotifyDialog
          target={{ kind: 'model', brand: dialog.brand, model: dialog.model }}
          onClose={() => {
            setDialog(undefined);
            void qc.invalidateQueries({ queryKey: ['firmware-versions'] });
          }}
        />
      )}
    </section>
  );
}
