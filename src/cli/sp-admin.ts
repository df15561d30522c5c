import { repositories } from '../repositories.ts';
import { auditLog } from '../audit/audit-log.ts';
import type { Config } from '../config/schema.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import { knownAttributeNames } from '../saml/profile/attributes.ts';
import { encryptsAssertions } from '../saml/response/encryption-policy.ts';
import { sectorOfUrl } from '../services/sector.ts';
import type { SamlService, SamlServiceConfig } from '../services/service-repository.ts';
import type { CliOutput } from './output.ts';
import { parse, required, UsageError } from './args.ts';
import { parseMinLevel } from './client-admin.ts';
import { levelName } from './levels.ts';
import { isUrl, keyTransports, listedEncryption, loadMetadata, signatures } from './service-provider.ts';

const audit = auditLog(systemClock);
type Values = Record<string, unknown>;

async function registeredSp(db: Database, values: Values): Promise<SamlService> {
  const id = required(values, 'id');
  const service = await repositories(db).services.samlById(id);
  if (!service) throw new UsageError(`--id: no SAML service provider ${id} (see servicekonto sp list)`);
  return service;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[], current: T): T {
  const given = values[name] as string | undefined;
  if (given === undefined) return current;
  if (!(allowed as readonly string[]).includes(given))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return given as T;
}

function switched(values: Values, on: string, off: string, current: boolean): boolean {
  if (values[on] === true && values[off] === true) throw new UsageError(`give --${on} or --${off}`);
  return values[on] === true ? true : values[off] === true ? false : current;
}

/**
 * The configuration after `sp update`: what the metadata says comes from `--metadata` when given (same entityID),
 * else stays; each choice not given keeps its registered value. The pseudonym sector never changes (sp add).
 */
async function updatedConfig(current: SamlServiceConfig, values: Values, config: Config) {
  const warnings: string[] = [];
  let fromMetadata: Partial<SamlServiceConfig> = {};
  const source = values.metadata as string | undefined;
  if (source !== undefined) {
    const loaded = await loadMetadata(source, config);
    if (loaded.metadata.entityId !== current.entityId)
      throw new UsageError(
        `--metadata: it is the metadata of ${loaded.metadata.entityId}, not of ${current.entityId}; register another service with sp add`,
      );
    warnings.push(...loaded.warnings);
    const { entityId: _entityId, organizationName: _name, ...read } = loaded.metadata;
    fromMetadata = { ...read, metadataUrl: isUrl(source) ? source : undefined };
  }
  if (values.attribute !== undefined && values['no-attribute'] === true)
    throw new UsageError('give --attribute or --no-attribute');
  const attributes =
    values['no-attribute'] === true ? [] : ((values.attribute as string[] | undefined) ?? current.attributes);
  const unknown = attributes.filter((name) => !knownAttributeNames.has(name));
  if (unknown.length > 0)
    throw new UsageError(`--attribute: unknown attribute name ${unknown.join(', ')} (see README, SAML attributes)`);
  const guest = switched(values, 'guest', 'no-guest', current.guestLogin === true);
  const next: SamlServiceConfig = {
    ...current,
    ...fromMetadata,
    attributes,
    signature: oneOf(values, 'signature', signatures, current.signature),
    keyTransport: oneOf(values, 'key-transport', keyTransports, current.keyTransport),
    encryptAssertions: switched(values, 'encrypt', 'no-encrypt', current.encryptAssertions),
    // The sector stays as registered (or as the entityID gave it before sectors were stored).
    sector: current.sector ?? sectorOfUrl(current.entityId) ?? current.entityId,
    sectorSource: current.sectorSource ?? 'acs',
  };
  if (guest) next.guestLogin = true;
  else delete next.guestLogin;
  return { next, warnings };
}

export const spUpdate = {
  usage:
    'servicekonto sp update --id ENTITYID [--metadata FILE|URL] [--name NAME] [--operator NAME] [--min-level 1-4] [--attribute URN… | --no-attribute] [--signature rsa-sha256|rsa-pss-sha256|ecdsa-sha256] [--key-transport rsa-oaep-mgf1p|rsa-oaep-sha256] [--encrypt | --no-encrypt] [--guest | --no-guest]',
  parse: (args: string[]) =>
    parse(args, {
      id: { type: 'string' },
      metadata: { type: 'string' },
      name: { type: 'string' },
      operator: { type: 'string' },
      'min-level': { type: 'string' },
      attribute: { type: 'string', multiple: true },
      'no-attribute': { type: 'boolean' },
      signature: { type: 'string' },
      'key-transport': { type: 'string' },
      encrypt: { type: 'boolean' },
      'no-encrypt': { type: 'boolean' },
      guest: { type: 'boolean' },
      'no-guest': { type: 'boolean' },
    }),
  async run(db: Database, values: Values, config: Config, io: CliOutput): Promise<void> {
    const service = await registeredSp(db, values);
    const name = (values.name as string | undefined)?.trim() ?? service.displayName;
    if (name === '' || name.length > 200) throw new UsageError('--name must be 1 to 200 characters');
    const minLevel = parseMinLevel(values['min-level'], service.minLevel);
    const { next, warnings } = await updatedConfig(service.config, values, config);
    const operator = (values.operator as string | undefined)?.slice(0, 200) ?? service.operator ?? undefined;
    await db.transaction(async (tx) => {
      await repositories(tx).services.upsertSaml(next, name, operator, minLevel);
      await audit.record(tx, {
        actor: 'cli',
        action: 'service.updated',
        subject: `service:${service.id}`,
        outcome: 'success',
        details: { protocol: 'saml', encrypt: next.encryptAssertions, encryptedNow: encryptsAssertions(next) },
      });
    });
    for (const warning of warnings) io.err(`Warning: ${warning}.`);
    if (!encryptsAssertions(next))
      io.err(
        next.encryptAssertions
          ? 'Warning: the metadata has no encryption key: assertions to this service are signed but NOT encrypted.'
          : 'Warning: assertions to this service are NOT encrypted.',
      );
    io.out(
      `Updated SAML service provider ${service.id} (${listedEncryption(next)}, minimum level ${levelName(minLevel)}).`,
    );
  },
};

/** Every setting of a service provider; certificates by count (they are public, but long). */
export function spDetails(service: SamlService): string[] {
  const c = service.config;
  return [
    `Entity id:              ${c.entityId}`,
    `Name:                   ${service.displayName}`,
    `Operator:               ${service.operator ?? 'none'}`,
    `Minimum level:          ${levelName(service.minLevel)}`,
    `Metadata from:          ${c.metadataUrl ?? 'a file (update with sp update --metadata FILE)'}`,
    `ACS:                    ${c.acs.map((a) => `${a.url}${a.isDefault ? ' (default)' : ''}`).join(' ')}`,
    `Single logout:          ${c.singleLogout.map((s) => `${s.url} (${s.binding})`).join(' ') || 'none'}`,
    `Requests:               ${c.authnRequestsSigned ? 'must be signed' : 'may be unsigned'}`,
    `Signing certificates:   ${c.signingCertificates.length}`,
    `Encryption:             ${listedEncryption(c)} (${c.encryptionCertificates.length} certificate(s), key transport ${c.keyTransport})`,
    `Signature:              ${c.signature}`,
    `Attributes:             ${c.attributes.join(' ') || '(as its metadata asks)'}`,
    `Metadata attributes:    ${c.metadataAttributes?.join(' ') ?? 'none named'}`,
    `Pseudonym sector:       ${c.sector ?? sectorOfUrl(c.entityId) ?? c.entityId}${c.sectorSource === 'operator' ? ' (set by the operator)' : ''}`,
    `Guest login:            ${c.guestLogin === true ? 'offered' : 'no'}`,
    `Registered:             ${service.createdAt.toISOString()}`,
  ];
}

export const spShow = {
  usage: 'servicekonto sp show --id ENTITYID',
  parse: (args: string[]) => parse(args, { id: { type: 'string' } }),
  async run(db: Database, values: Values, _config: unknown, io: CliOutput): Promise<void> {
    for (const line of spDetails(await registeredSp(db, values))) io.out(line);
  },
};

export const spRemove = {
  usage: 'servicekonto sp remove --id ENTITYID --yes',
  parse: (args: string[]) => parse(args, { id: { type: 'string' }, yes: { type: 'boolean' } }),
  async run(db: Database, values: Values, _config: unknown, io: CliOutput): Promise<void> {
    const service = await registeredSp(db, values);
    if (values.yes !== true)
      throw new UsageError(
        `removing ${service.id} refuses its logins from now on and deletes the citizens' consents to it and its logins waiting for an answer. Add --yes to remove it`,
      );
    await db.transaction(async (tx) => {
      await repositories(tx).services.remove(service.id, 'saml');
      await audit.record(tx, {
        actor: 'cli',
        action: 'service.removed',
        subject: `service:${service.id}`,
        outcome: 'success',
        details: { protocol: 'saml' },
      });
    });
    io.out(`Removed SAML service provider ${service.id}.`);
  },
};
