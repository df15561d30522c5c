import { repositories } from '../repositories.ts';
import { auditLog } from '../audit/audit-log.ts';
import { revokeClientTokens } from '../oidc/payload-repository.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { OidcClientMetadata, OidcService } from '../services/service-repository.ts';
import type { CliOutput } from './output.ts';
import { parse, required, UsageError } from './args.ts';
import { clientMetadata, type ClientInput } from './client-metadata.ts';
import { describeClient, readJwksFile } from './client-registration.ts';
import { levelName, minLevelProblem } from './levels.ts';

const audit = auditLog(systemClock);

/** The options `client add` and `client update` share; update adds the ones that switch something off. */
export const clientOptions = {
  id: { type: 'string' },
  secret: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  name: { type: 'string' },
  'backchannel-logout-uri': { type: 'string' },
  'client-uri': { type: 'string' },
  'min-level': { type: 'string' },
  guest: { type: 'boolean' },
  'client-credentials': { type: 'boolean' },
  'token-auth-method': { type: 'string' },
  'jwks-uri': { type: 'string' },
  jwks: { type: 'string' },
  'id-token-alg': { type: 'string' },
  'subject-type': { type: 'string' },
} as const;

export function parseMinLevel(value: unknown, current: number): number {
  const level = value === undefined ? current : Number(value);
  if (![1, 2, 3, 4].includes(level)) throw new UsageError(minLevelProblem);
  return level;
}

async function registeredClient(db: Database, values: Record<string, unknown>): Promise<OidcService> {
  const id = required(values, 'id');
  const service = await repositories(db).services.byId(id);
  if (service?.protocol !== 'oidc') throw new UsageError(`--id: no OIDC client ${id} (see servicekonto client list)`);
  return service;
}

type Values = Record<string, unknown>;
const text = (values: Values, name: string) => values[name] as string | undefined;
const list = (values: Values, name: string) => values[name] as string[] | undefined;
/** An empty value removes an optional URL (`--backchannel-logout-uri ''`). */
const optionalUrl = (values: Values, name: string, current: unknown) => {
  const given = text(values, name);
  if (given === undefined) return typeof current === 'string' ? current : undefined;
  return given.trim() === '' ? undefined : given;
};
const onOff = (values: Values, name: string, current: boolean) =>
  values[name] === true ? true : values[`no-${name}`] === true ? false : current;

/**
 * The registration after `client update`: every option not given keeps its registered value. The authentication
 * method decides which credentials stay: a secret for the client_secret methods, keys for private_key_jwt, none for
 * a public client; a new secret or new keys alone keep the method of their kind.
 */
export function updatedClientInput(current: OidcClientMetadata, values: Values): ClientInput {
  if (values.guest === true && values['no-guest'] === true) throw new UsageError('give --guest or --no-guest');
  if (values['client-credentials'] === true && values['no-client-credentials'] === true)
    throw new UsageError('give --client-credentials or --no-client-credentials');
  const newKeys = values.jwks !== undefined || values['jwks-uri'] !== undefined;
  const usesSecret = (method: string) => method.startsWith('client_secret_');
  const method =
    text(values, 'token-auth-method') ??
    (values.secret !== undefined
      ? usesSecret(current.token_endpoint_auth_method)
        ? current.token_endpoint_auth_method
        : 'client_secret_basic'
      : newKeys
        ? 'private_key_jwt'
        : current.token_endpoint_auth_method);
  const keys =
    method !== 'private_key_jwt'
      ? {}
      : newKeys
        ? {
            jwksUri: text(values, 'jwks-uri'),
            jwks: typeof values.jwks === 'string' ? readJwksFile(values.jwks) : undefined,
          }
        : { jwksUri: current.jwks_uri as string | undefined, jwks: current.jwks };
  return {
    id: current.client_id,
    secret: usesSecret(method) ? (text(values, 'secret') ?? current.client_secret) : text(values, 'secret'),
    redirectUris: list(values, 'redirect-uri') ?? current.redirect_uris,
    postLogoutRedirectUris: list(values, 'post-logout-redirect-uri') ?? current.post_logout_redirect_uris ?? [],
    name: text(values, 'name') ?? current.client_name,
    backchannelLogoutUri: optionalUrl(values, 'backchannel-logout-uri', current.backchannel_logout_uri),
    clientUri: optionalUrl(values, 'client-uri', current.client_uri),
    guest: onOff(values, 'guest', current.guest_login === true),
    clientCredentials: onOff(values, 'client-credentials', current.grant_types.includes('client_credentials')),
    tokenAuthMethod: method,
    ...keys,
    // A client stored before the option existed was signed for with ES256 (client-registration.ts).
    idTokenAlg:
      text(values, 'id-token-alg') ??
      (typeof current.id_token_signed_response_alg === 'string' ? current.id_token_signed_response_alg : 'ES256'),
    subjectType: text(values, 'subject-type') ?? current.subject_type ?? 'pairwise',
  };
}

export const clientUpdate = {
  usage: 'servicekonto client update --id ID [options of client add] [--no-guest] [--no-client-credentials]',
  parse: (args: string[]) =>
    parse(args, {
      ...clientOptions,
      'no-guest': { type: 'boolean' },
      'no-client-credentials': { type: 'boolean' },
    }),
  async run(db: Database, values: Values, _config: unknown, io: CliOutput): Promise<void> {
    const current = await registeredClient(db, values);
    const metadata = clientMetadata(updatedClientInput(current.config, values));
    const minLevel = parseMinLevel(values['min-level'], current.minLevel);
    if (metadata.subject_type !== (current.config.subject_type ?? 'pairwise'))
      io.err(
        `Warning: the subject type changed to ${metadata.subject_type}: the service gets a different sub for every citizen from now on.`,
      );
    await db.transaction(async (tx) => {
      await repositories(tx).services.upsertOidc(
        metadata,
        metadata.client_name ?? metadata.client_id,
        current.operator ?? undefined,
        minLevel,
      );
      await audit.record(tx, {
        actor: 'cli',
        action: 'service.updated',
        subject: `service:${metadata.client_id}`,
        outcome: 'success',
      });
    });
    io.out(`Updated OIDC client ${metadata.client_id} (${describeClient(metadata)}).`);
  },
};

/** Every setting of a client, one per line; the secret only as "set", private key material is never stored. */
export function clientDetails(service: OidcService): string[] {
  const c = service.config;
  const keys = (c.jwks as { keys?: { kid?: string }[] } | undefined)?.keys;
  return [
    `Client id:                 ${c.client_id}`,
    `Name:                      ${service.displayName}`,
    `Minimum level:             ${levelName(service.minLevel)}`,
    `Kind:                      ${describeClient(c)}`,
    `Token auth method:         ${c.token_endpoint_auth_method}`,
    `Secret:                    ${c.client_secret ? 'set (not shown)' : 'none'}`,
    ...(c.jwks_uri ? [`JWKS URI:                  ${String(c.jwks_uri)}`] : []),
    ...(keys
      ? [`JWKS:                      ${keys.length} key(s) ${keys.map((k) => k.kid ?? '(no kid)').join(' ')}`]
      : []),
    `Redirect URIs:             ${c.redirect_uris.join(' ')}`,
    `Post-logout redirect URIs: ${(c.post_logout_redirect_uris ?? []).join(' ') || 'none'}`,
    `Back-channel logout URI:   ${c.backchannel_logout_uri ?? 'none'}`,
    `Client URI:                ${typeof c.client_uri === 'string' ? c.client_uri : 'none'}`,
    `Grant types:               ${c.grant_types.join(' ')}`,
    `ID token algorithm:        ${typeof c.id_token_signed_response_alg === 'string' ? c.id_token_signed_response_alg : 'ES256'}`,
    `Subject type:              ${c.subject_type ?? 'pairwise'}`,
    `Guest login:               ${service.guestLogin ? 'offered' : 'no'}`,
    `Registered:                ${service.createdAt.toISOString()}`,
  ];
}

export const clientShow = {
  usage: 'servicekonto client show --id ID',
  parse: (args: string[]) => parse(args, { id: { type: 'string' } }),
  async run(db: Database, values: Values, _config: unknown, io: CliOutput): Promise<void> {
    for (const line of clientDetails(await registeredClient(db, values))) io.out(line);
  },
};

export const clientRemove = {
  usage: 'servicekonto client remove --id ID --yes',
  parse: (args: string[]) => parse(args, { id: { type: 'string' }, yes: { type: 'boolean' } }),
  async run(db: Database, values: Values, _config: unknown, io: CliOutput): Promise<void> {
    const service = await registeredClient(db, values);
    if (values.yes !== true)
      throw new UsageError(
        `removing ${service.id} ends its logins: its codes and tokens stop working and the citizens' consents to it are deleted. Add --yes to remove it`,
      );
    const revoked = await db.transaction(async (tx) => {
      // Tokens first: the registration they name is what oidc-provider checks them against.
      const count = await revokeClientTokens(tx, service.id);
      await repositories(tx).services.remove(service.id, 'oidc');
      await audit.record(tx, {
        actor: 'cli',
        action: 'service.removed',
        subject: `service:${service.id}`,
        outcome: 'success',
        details: { protocol: 'oidc', revoked: count },
      });
      return count;
    });
    io.out(`Removed OIDC client ${service.id}; ${revoked} codes, grants and tokens of it no longer work.`);
  },
};
