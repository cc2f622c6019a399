/** Phones in the store on SQLite and PostgreSQL; MACs in every notation; secrets from the CSPRNG, sealed at rest. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateSecret, normalizeMac, SECRET_CHARSET, SecretBox } from '../../src/admin/index.js';
import { PhoneFetchRepository, PhoneRepository } from '../../src/store/index.js';
import { backends, withStore } from '../store/backends.js';

describe('MAC addresses', () => {
  it('accepts the common notations and stores 12 lowercase hex digits', () => {
    for (const m of [
      '00:15:65:AB:CD:EF',
      '00-15-65-ab-cd-ef',
      '0015.65ab.cdef',
      '001565ABCDEF',
      ' 001565abcdef ',
    ])
      assert.equal(normalizeMac(m), '001565abcdef', m);
  });
  it('refuses anything else, naming the field', () => {
    for (const m of ['00:15:65:AB:CD', '0015-65:ab-cd-ef', 'zz:zz:zz:zz:zz:zz', '00:00:00:00:00:00', ''])
      assert.throws(
        () => normalizeMac(m),
        (e: Error & { code: string; field: string }) => e.code === 'ADMIN_INVALID' && e.field === 'mac',
        m,
      );
  });
});

describe('secrets', () => {
  it('are 20 characters of [A-Za-z0-9] (≈119 bits), all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const s = generateSecret();
      assert.match(s, /^[A-Za-z0-9]{20}$/);
      seen.add(s);
    }
    assert.equal(seen.size, 200);
    assert.ok(20 * Math.log2(SECRET_CHARSET.length) >= 96);
    assert.throws(() => generateSecret(16));
  });
  it('are sealed with AES-256-GCM when a key is set, readable only with that key', () => {
    const box = new SecretBox('a key of at least sixteen');
    const sealed = box.seal('Xq7pK2vR9mTz');
    assert.match(sealed, /^v1:/);
    assert.ok(!sealed.includes('Xq7pK2vR9mTz'));
    assert.notEqual(box.seal('Xq7pK2vR9mTz'), sealed);
    assert.equal(box.open(sealed), 'Xq7pK2vR9mTz');
    assert.throws(() => new SecretBox('another key, also long').open(sealed), /does not open/);
    assert.throws(() => new SecretBox().open(sealed), /phones.secretKey is not set/);
    assert.equal(new SecretBox().open(new SecretBox().seal('abc')), 'abc');
  });
});

for (const b of backends) {
  describe(`phone store (${b.name})`, () => {
    it('creates, finds by extension, MAC and provisioning user, updates, logs fetches, deletes', () =>
      withStore(b.open, async (store) => {
        const phones = new PhoneRepository(store.db);
        const fetches = new PhoneFetchRepository(store.db);
        const p = await phones.create({
          pbx: 'pbx1',
          extension: '2001',
          name: 'Elio',
          brand: 'yealink',
          mac: '001565abcdef',
          context: 'oficina2',
          codecs: ['ulaw', 'alaw'],
          managed: true,
          driver: 'pjsip',
          sealedSecret: 'plain:x',
          provisioningUser: 'phabc',
          provisioningHa1: 'h',
        });
        assert.deepEqual(p.codecs, ['ulaw', 'alaw']);
        assert.equal((await phones.byMac('001565abcdef'))?.id, p.id);
        assert.equal((await phones.byProvisioningUser('phabc'))?.extension, '2001');
        await assert.rejects(
          phones.create({
            pbx: 'pbx1',
            extension: '2001',
            name: 'x',
            brand: 'generic',
            context: 'c',
            codecs: [],
            managed: false,
          }),
          (e: Error & { code: string }) => e.code === 'STORE_CONFLICT',
        );
        const other = await phones.create({
          pbx: 'pbx2',
          extension: '2001',
          name: 'x',
          brand: 'generic',
          context: 'c',
          codecs: [],
          managed: false,
        });
        assert.equal((await phones.byExtension('2001')).length, 2);
        const u = await phones.update(p.id, { name: 'Elio R.', voicemail: true });
        assert.equal(u.name, 'Elio R.');
        assert.equal(u.voicemail, true);
        await fetches.add({
          at: new Date().toISOString(),
          phoneId: p.id,
          extension: '2001',
          address: '10.0.0.5',
          userAgent: 'Yealink',
          file: '001565abcdef.cfg',
          outcome: 'served',
          status: 200,
        });
        assert.equal((await fetches.forPhone(p.id)).length, 1);
        await phones.delete(p.id);
        await phones.delete(other.id);
        assert.equal((await phones.list()).length, 0);
        const left = await fetches.recent();
        assert.equal(left.length, 1);
        assert.equal(left[0]!.phoneId, null);
      }));
  });
}
