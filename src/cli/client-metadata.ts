import type { OidcClientMetadata } from '../services/services.ts';
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
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new UsageError(`${option} "${value}" must use https (http only for localhost)`);
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
}

/** Builds RFC 7591 client metadata; a client without a secret is public and must use PKCE. */
export function clientMetadata(input: ClientInput): OidcClientMetadata {
  if (!clientIdPattern.test(input.id)) throw new UsageError('--id must be 2 to 100 characters: letters, digits, . _ : -');
  if (input.redirectUris.length === 0) throw new UsageError('--redirect-uri is required (repeat it for several)');
  if (input.secret !== undefined && input.secret.length < 32) throw new UsageError('--secret must be at least 32 characters (use a random value)');
  const metadata: OidcClientMetadata = {
    client_id: input.id,
    client_name: input.name ?? input.id,
    redirect_uris: input.redirectUris.map((uri) => checkRedirectUri(uri, '--redirect-uri')),
    post_logout_redirect_uris: input.postLogoutRedirectUris.map((uri) => checkRedirectUri(uri, '--post-logout-redirect-uri')),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: input.secret === undefined ? 'none' : 'client_secret_basic',
    subject_type: 'pairwise',
  };
  if (input.secret !== undefined) metadata.client_secret = input.secret;
  if (input.backchannelLogoutUri) {
    metadata.backchannel_logout_uri = checkRedirectUri(input.backchannelLogoutUri, '--backchannel-logout-uri');
    metadata.backchannel_logout_session_required = true;
  }
  if (input.clientUri) metadata.client_uri = checkRedirectUri(input.clientUri, '--client-uri');
  if (input.guest) metadata.guest_login = true;
  if (input.clientCredentials) {
    // RFC 6749 §4.4: only a confidential client may use it.
    if (input.secret === undefined) throw new UsageError('--client-credentials needs --secret: only a confidential client may use it');
    metadata.grant_types = [...metadata.grant_types, 'client_credentials'];
  }
  const hosts = new Set(metadata.redirect_uris.map((uri) => new URL(uri).host));
  if (hosts.size > 1) throw new UsageError('all --redirect-uri values must share one host: it is the pseudonym sector (DESIGN.md §4)');
  return metadata;
}
