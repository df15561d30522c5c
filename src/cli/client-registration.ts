import { repositories } from '../repositories.ts';
import { readFileSync } from 'node:fs';
import type { Queryable } from '../platform/db/database.ts';
import type { OidcClientMetadata } from '../services/service-repository.ts';
import { UsageError } from './args.ts';

/** The JWK Set file of `--jwks`, parsed (its content is checked by clientMetadata). */
export function readJwksFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--jwks: cannot read the file "${path}"`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`--jwks: "${path}" is not JSON`);
  }
}

/**
 * Updating a client without `--id-token-alg` keeps the algorithm its
 * service validates today: the stored one, or ES256 for a client stored
 * before the option existed (what the provider signed with for it). A new
 * client gets the default of clientMetadata.
 */
export async function registeredIdTokenAlg(db: Queryable, clientId: string): Promise<string | undefined> {
  const existing = await repositories(db).services.byId(clientId);
  if (existing?.protocol !== 'oidc') return undefined;
  const stored = existing.config.id_token_signed_response_alg;
  return typeof stored === 'string' ? stored : 'ES256';
}

/** One line for the operator: what kind of client was registered. */
export function describeClient(metadata: OidcClientMetadata): string {
  const kind =
    metadata.token_endpoint_auth_method === 'none'
      ? 'public, PKCE required'
      : `confidential, ${metadata.token_endpoint_auth_method}`;
  return [
    kind,
    `ID tokens ${String(metadata.id_token_signed_response_alg)}`,
    metadata.subject_type === 'public'
      ? 'public subject (the same sub for every service registered so)'
      : 'pairwise subject',
    ...(metadata.guest_login ? ['guest login with the eID offered'] : []),
    ...(metadata.grant_types.includes('client_credentials') ? ['client credentials grant'] : []),
  ].join('; ');
}
