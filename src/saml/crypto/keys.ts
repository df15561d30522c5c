/**
 * Exports:
 * - `ensureSamlKeys(db, clock, box): Promise<void>` — generates the keys an
 *   installation lacks (at start; keys are never shipped with the code).
 * - `loadSamlKeys(db, box): Promise<SamlKeyring>` — every stored key, opened.
 * - `samlKeyCache(db, clock, box, feed): () => Promise<SamlKeyring>` — the
 *   keyring made on first use, read again after `keys rotate`.
 * - `rotateSamlKeys(db, clock, box): Promise<string[]>` — new keys, published
 *   ahead of use; returns their kids.
 * - `samlKeySpecs`, `publishAheadMs`, `retiredKeyOverlapMs`.
 * - Types `SamlKey`, `SamlKeyring`, `SamlKeyAlgorithm`, `SamlKeyUse`.
 *
 * Follows the OIDC key pattern (src/oidc/keys.ts); unlike OIDC keys, the
 * private keys are sealed with the installation's secret box.
 */
import type { Clock } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { ChangeFeed } from '../../platform/db/change-feed.ts';
import type { Database, Queryable } from '../../platform/db/database.ts';
import { rowCache } from '../../platform/db/row-cache.ts';
import {
  certificateThumbprint,
  generateKeyWithCertificate,
  type KeyAlgorithm,
  type KeyUse,
} from '../../platform/crypto/certificate.ts';
import { samlKeyRepository } from './key-repository.ts';

export type SamlKeyAlgorithm = KeyAlgorithm;
export type SamlKeyUse = KeyUse;

/**
 * RSA-3072 signs by default (BSI TR-03116-4); P-256 signs for services that
 * chose ECDSA; RSA-3072 receives what services encrypt to us (EncryptedID in
 * a LogoutRequest, saml-core §3.7.1).
 */
export const samlKeySpecs: readonly { use: SamlKeyUse; alg: SamlKeyAlgorithm }[] = [
  { use: 'signing', alg: 'RSA-3072' },
  { use: 'signing', alg: 'EC-P256' },
  { use: 'encryption', alg: 'RSA-3072' },
];

/** A new key is in the metadata this long before it signs, so services that refresh daily know it first. */
export const publishAheadMs = 24 * 3600_000;

/**
 * An old key stays published (and usable for decryption) this long after its
 * successor takes over: our metadata is valid for 7 days, and a service may
 * encrypt to the key of the copy it holds until then.
 */
export const retiredKeyOverlapMs = 7 * 24 * 3600_000;

export interface SamlKey {
  kid: string;
  use: SamlKeyUse;
  alg: SamlKeyAlgorithm;
  privateKeyPem: string;
  certificatePem: string;
  activeFrom: Date;
  retiredAt: Date | null;
}

export interface SamlKeyring {
  readonly keys: readonly SamlKey[];
  /** The newest key of that algorithm in use at `now`; throws when there is none. */
  signingKey(alg: SamlKeyAlgorithm, now: Date): SamlKey;
  /**
   * Keys for the metadata at `now`: the current ones, those published ahead and those in their overlap; newest first.
   */
  published(use: SamlKeyUse, now: Date): SamlKey[];
}

const keyLockId = 7_283_005;

export async function ensureSamlKeys(db: Database, clock: Clock, box: SecretBox): Promise<void> {
  // Two instances starting on an empty database must not both generate keys.
  await db.transaction(async (tx) => {
    const stored = samlKeyRepository(tx);
    await stored.lock(keyLockId);
    const present = new Set((await stored.activeKinds()).map((r) => `${r.use}/${r.alg}`));
    const missing = samlKeySpecs.filter((spec) => !present.has(`${spec.use}/${spec.alg}`));
    await insertKeys(tx, box, missing, clock.now(), clock.now());
  });
}

export async function rotateSamlKeys(db: Queryable, clock: Clock, box: SecretBox): Promise<string[]> {
  const now = clock.now();
  const activeFrom = new Date(now.getTime() + publishAheadMs);
  await samlKeyRepository(db).retireActive(new Date(activeFrom.getTime() + retiredKeyOverlapMs));
  return insertKeys(db, box, samlKeySpecs, now, activeFrom);
}

export async function loadSamlKeys(db: Queryable, box: SecretBox): Promise<SamlKeyring> {
  const rows = await samlKeyRepository(db).all();
  const keys = rows.map((row) => ({
    kid: row.kid,
    use: row.use,
    alg: row.alg,
    privateKeyPem: box.open(row.private_key_sealed),
    certificatePem: row.certificate_pem,
    activeFrom: new Date(row.active_from),
    retiredAt: row.retired_at ? new Date(row.retired_at) : null,
  }));
  return keyring(keys);
}

/**
 * The keyring of the app: keys are made on first use (most installations
 * start with OIDC only), then kept in memory until the change feed announces
 * a change of `saml_keys` (`keys rotate` from the CLI or another instance).
 * Which key signs is decided at each call from its `activeFrom`, so a kept
 * keyring still switches to a rotated key on time.
 */
export function samlKeyCache(db: Database, clock: Clock, box: SecretBox, feed: ChangeFeed): () => Promise<SamlKeyring> {
  let ensured: Promise<void> | undefined;
  const cache = rowCache<SamlKeyring>(feed, { topics: ['saml_keys'], maxEntries: 1 });
  return async () => {
    await (ensured ??= ensureSamlKeys(db, clock, box));
    const loaded = await cache.read('keyring', () => loadSamlKeys(db, box));
    if (!loaded) throw new Error('no SAML keyring');
    return loaded;
  };
}

function keyring(keys: readonly SamlKey[]): SamlKeyring {
  const live = (key: SamlKey, now: Date) => key.retiredAt === null || key.retiredAt > now;
  return {
    keys,
    signingKey(alg, now) {
      const key = keys.find((k) => k.use === 'signing' && k.alg === alg && k.activeFrom <= now && live(k, now));
      if (!key) throw new Error(`no SAML signing key ${alg}; ensureSamlKeys must run at start`);
      return key;
    },
    published(use, now) {
      return keys.filter((k) => k.use === use && live(k, now));
    },
  };
}

async function insertKeys(
  db: Queryable,
  box: SecretBox,
  specs: readonly { use: SamlKeyUse; alg: SamlKeyAlgorithm }[],
  now: Date,
  activeFrom: Date,
): Promise<string[]> {
  const generated = await Promise.all(
    specs.map(async (spec) => ({
      ...spec,
      ...(await generateKeyWithCertificate(spec.alg, spec.use, `Servicekonto SAML ${spec.use} ${spec.alg}`, now)),
    })),
  );
  const stored = samlKeyRepository(db);
  for (const key of generated) {
    await stored.insert(
      {
        kid: certificateThumbprint(key.certificatePem),
        use: key.use,
        alg: key.alg,
        private_key_sealed: box.seal(key.privateKeyPem),
        certificate_pem: key.certificatePem,
        active_from: activeFrom,
      },
      now,
    );
  }
  return generated.map((key) => certificateThumbprint(key.certificatePem));
}
