import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';
import type { Clock } from '../platform/clock.ts';
import type { ChangeFeed } from '../platform/db/change-feed.ts';
import type { Database, Queryable } from '../platform/db/database.ts';
import { signingKeyRepository } from './key-repository.ts';

/** Algorithms published in JWKS; ES256 signs by default, RS256 for relying parties that need it. */
export const signingAlgorithms = ['ES256', 'RS256'] as const;

/** Longest lifetime of anything signed (refresh tokens are opaque; ID tokens live 1 h), plus clock skew. */
export const retiredKeyGraceSeconds = 2 * 3600;

async function newKey(alg: (typeof signingAlgorithms)[number]): Promise<JWK & { kid: string }> {
  // BSI TR-03116-4: RSA keys of at least 3072 bits.
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' ? { modulusLength: 3072 } : {}),
  });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg, use: 'sig' };
}

/** Adds a new key per algorithm and retires the current ones (they stay published for a grace period). */
export async function rotateSigningKeys(db: Queryable, clock: Clock): Promise<string[]> {
  const keys = await Promise.all(signingAlgorithms.map(newKey));
  const now = clock.now();
  const stored = signingKeyRepository(db);
  await stored.retireActive(now);
  for (const key of keys) await stored.insert(key, now);
  return keys.map((k) => k.kid);
}

/** Generates the first keys of an installation (keys are never shipped with the code). */
export async function ensureSigningKeys(db: Database, clock: Clock): Promise<void> {
  // Two instances starting on an empty database must not both generate keys.
  await db.transaction(async (tx) => {
    const stored = signingKeyRepository(tx);
    await stored.lock(keyLockId);
    const present = new Set(await stored.activeAlgorithms());
    if (signingAlgorithms.every((alg) => present.has(alg))) return;
    await rotateSigningKeys(tx, clock);
  });
}

const keyLockId = 7_283_003;

/**
 * The private JWKS for oidc-provider: active keys first (the first key of an
 * algorithm signs), then retired keys still inside their grace period, so
 * tokens signed before a rotation still verify.
 */
export async function loadSigningKeys(db: Queryable, clock: Clock): Promise<{ keys: JWK[] }> {
  return { keys: await signingKeyRepository(db).published(clock.now(), retiredKeyGraceSeconds) };
}

/**
 * Keeps the provider's keys those of `signing_keys`: read again when the
 * change feed announces a change (`keys rotate` by the CLI, on any instance)
 * and when it listens again after a loss (a rotation may have gone unheard).
 * So every instance signs with, and publishes, the same keys without a
 * restart. Returns the unsubscribe.
 */
export function followSigningKeys(
  provider: Provider,
  db: Queryable,
  clock: Clock,
  feed: ChangeFeed,
  warn: (error: unknown) => void,
): () => void {
  let reloads = Promise.resolve();
  const reload = () => {
    reloads = reloads
      .then(async () => {
        // Told "forget everything" because the feed went down: the database is probably away too; wait for it.
        if (!feed.live) return;
        installSigningKeys(provider, await loadSigningKeys(db, clock));
      })
      .catch((error: unknown) => {
        warn(error);
        // Until read, this instance signs with the keys it had: try again (a loss of the feed tries anyway).
        setTimeout(reload, 1_000).unref();
      });
  };
  const unsubscribe = feed.subscribe((topic) => {
    if (topic === undefined || topic === 'signing_keys') reload();
  });
  // A rotation between the provider's first read and this subscription would go unheard.
  reload();
  // A request that comes after the announcement waits for the keys it announced (JWKS, signing).
  provider.use(async (_ctx, next) => {
    await reloads;
    await next();
  });
  return unsubscribe;
}

/** Replaces the provider's keystore and JWKS; it mutates the keys it is given, so it gets copies. */
export function installSigningKeys(provider: Provider, jwks: { keys: JWK[] }): void {
  initializeKeystore.call(provider, structuredClone(jwks));
}
