import type { OidcClientMetadata } from '../services/service-repository.ts';
import { signingAlgorithms } from '../oidc/keys.ts';
import { registrableAuthMethods, type RegistrableAuthMethod } from '../oidc/client-auth-methods.ts';
import { UsageError } from './args.ts';

const clientIdPattern = /^[A-Za-z0-9._:-]{2,100}$/;

/** Redirect URIs: absolute, no fragment (RFC 6749 §3.1.2); https except on this machine (RFC 8252 §7.3). */
export function checkRedirectUri(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} "${value}" is not an absolute URL`);
  }
  if (url.hash) throw new UsageError(`${option} "${value}" must not contain a fragment (#)`);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new UsageError(`${option} "${value}" must use https (http only for localhost)`);
  return url.href;
}

export interface ClientInput {
  id: string;
  secret?: string | undefined;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  name?: string | undefined;
  backchannelLogoutUri?: string | undefined;
  clientUri?: string | undefined;
  /** Offer the one-time eID login without an account (design notes §6 Guest login). */
  guest?: boolean | undefined;
  /** Also the client credentials grant (RFC 6749 §4.4): the service acting for itself, never for a citizen. */
  clientCredentials?: boolean | undefined;
  /** `id_token_signed_response_alg` (OIDC Registration §2); one of the installation's key algorithms. */
  idTokenAlg?: string | undefined;
  /**
   * `token_endpoint_auth_method` (OIDC Core §9); without it: client_secret_basic with a secret, private_key_jwt with
   * keys, else none.
   */
  tokenAuthMethod?: string | undefined;
  /** The service's public keys for private_key_jwt: where it publishes them, or the JWK Set itself. */
  jwksUri?: string | undefined;
  jwks?: unknown;
  /** `pairwise` (default, DESIGN.md §4) or `public`: the account's one `sub` for every service that chose it. */
  subjectType?: string | undefined;
}

/** RFC 7517 §4, §6: members only private keys have; a JWK Set the service hands over must hold none. */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function checkJwks(value: unknown): { keys: Record<string, unknown>[] } {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new UsageError('--jwks must hold a JWK Set: {"keys": [ … ]} with at least one key');
  for (const key of keys as unknown[]) {
    if (!key || typeof key !== 'object' || typeof (key as { kty?: unknown }).kty !== 'string')
      throw new UsageError('--jwks: every key needs a "kty" (RFC 7517 §4.1)');
    if (privateMembers.some((member) => member in key))
      throw new UsageError('--jwks must hold public keys only (a private or symmetric key was given)');
  }
  return { keys: keys as Record<string, unknown>[] };
}

function authMethodOf(input: ClientInput, hasKeys: boolean): RegistrableAuthMethod | 'none' {
  const method =
    input.tokenAuthMethod ??
    (input.secret !== undefined ? 'client_secret_basic' : hasKeys ? 'private_key_jwt' : 'none');
  if (method === 'none') {
    if (input.secret !== undefined || hasKeys)
      throw new UsageError('--token-auth-method none is a public client: no --secret, --jwks or --jwks-uri');
    return method;
  }
  if (!(registrableAuthMethods as readonly string[]).includes(method))
    throw new UsageError(
      `--token-auth-method must be one of ${registrableAuthMethods.join(', ')} (or leave it out for a public client)`,
    );
  if (method === 'private_key_jwt') {
    if (!hasKeys)
      throw new UsageError(
        "--token-auth-method private_key_jwt needs the service's public keys: --jwks-uri URL or --jwks FILE",
      );
    if (input.secret !== undefined) throw new UsageError('--token-auth-method private_key_jwt uses keys, not --secret');
  } else if (input.secret === undefined) throw new UsageError(`--token-auth-method ${method} needs --secret`);
  return method as RegistrableAuthMethod;
}

/** Builds RFC 7591 client metadata; a client without a secret or keys is public and must use PKCE. */
export function clientMetadata(input: ClientInput): OidcClientMetadata {
  if (!clientIdPattern.test(input.id))
    throw new UsageError('--id must be 2 to 100 characters: letters, digits, . _ : -');
  if (input.redirectUris.length === 0) throw new UsageError('--redirect-uri is required (repeat it for several)');
  if (input.secret !== undefined && input.secret.length < 32)
    throw new UsageError('--secret must be at least 32 characters (use a random value)');
  if (input.jwks !== undefined && input.jwksUri !== undefined)
    throw new UsageError('give --jwks or --jwks-uri, not both');
  const idTokenAlg = input.idTokenAlg ?? defaultIdTokenAlg;
  if (!(signingAlgorithms as readonly string[]).includes(idTokenAlg))
    throw new UsageError(
      `--id-token-alg must be one of ${signingAlgorithms.join(', ')} (the algorithms this installation has keys for)`,
    );
  const subjectType = input.subjectType ?? 'pairwise';
  if (subjectType !== 'pairwise' && subjectType !== 'public')
    throw new UsageError('--subject-type must be pairwise (a pseudonym per service, the default) or public');
  const metadata: OidcClientMetadata = {
    client_id: input.id,
    client_name: input.name ?? input.id,
    redirect_uris: input.redirectUris.map((uri) => checkRedirectUri(uri, '--redirect-uri')),
    post_logout_redirect_uris: input.postLogoutRedirectUris.map((uri) =>
      checkRedirectUri(uri, '--post-logout-redirect-uri'),
    ),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: authMethodOf(input, input.jwks !== undefined || input.jwksUri !== undefined),
    id_token_signed_response_alg: idTokenAlg,
    subject_type: subjectType,
  };
  if (input.secret !== undefined) metadata.client_secret = input.secret;
  if (input.jwksUri !== undefined) metadata.jwks_uri = checkRedirectUri(input.jwksUri, '--jwks-uri');
  if (input.jwks !== undefined) metadata.jwks = checkJwks(input.jwks);
  if (input.backchannelLogoutUri) {
    metadata.backchannel_logout_uri = checkRedirectUri(input.backchannelLogoutUri, '--backchannel-logout-uri');
    metadata.backchannel_logout_session_required = true;
  }
  if (input.clientUri) metadata.client_uri = checkRedirectUri(input.clientUri, '--client-uri');
  if (input.guest) metadata.guest_login = true;
  if (input.clientCredentials) {
    // RFC 6749 §4.4: only a confidential client may use it.
    if (metadata.token_endpoint_auth_method === 'none')
      throw new UsageError('--client-credentials needs a confidential client (--secret, or keys for private_key_jwt)');
    metadata.grant_types = [...metadata.grant_types, 'client_credentials'];
  }
  // DESIGN.md §4: the redirect host is the pseudonym sector; a public subject has none.
  const hosts = new Set(metadata.redirect_uris.map((uri) => new URL(uri).host));
  if (subjectType === 'pairwise' && hosts.size > 1)
    throw new UsageError('all --redirect-uri values must share one host: it is the pseudonym sector (DESIGN.md §4)');
  return metadata;
}

/**
 * RS256 for a new client: the default of OIDC Registration §2, which every
 * relying party library expects when it is told nothing else.
 */
export const defaultIdTokenAlg = 'RS256';
