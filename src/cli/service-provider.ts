import { repositories } from '../repositories.ts';
import { readFile } from 'node:fs/promises';
import { auditLog } from '../audit/audit-log.ts';
import type { Config } from '../config/schema.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { CliOutput } from './output.ts';
import { knownAttributeNames } from '../saml/profile/attributes.ts';
import { fetchMetadata } from '../saml/metadata/fetch.ts';
import { refreshServiceProviderMetadata, type RefreshResult } from '../saml/metadata/refresh.ts';
import { loadSpMetadata } from '../saml/metadata/sp-load.ts';
import { encryptsAssertions } from '../saml/response/encryption-policy.ts';
import { isSectorHost, sectorOfUrl } from '../services/sector.ts';
import type { SamlServiceConfig, SamlService } from '../services/service-repository.ts';
import { parse, required, UsageError } from './args.ts';

const audit = auditLog(systemClock);

export const isUrl = (source: string) => /^https?:\/\//.test(source);

/** A problem code of the metadata checks as a sentence part, e.g. `entity_id_changed` as "entity id changed". */
const describe = (problem: string, detail?: string) =>
  problem === 'not_saml_metadata'
    ? `not valid SAML metadata (${detail ?? 'unreadable'})`
    : `${problem.replaceAll('_', ' ')}${detail ? ` (${detail})` : ''}`;

export const signatures = ['rsa-sha256', 'rsa-pss-sha256', 'ecdsa-sha256'] as const;
export const keyTransports = ['rsa-oaep-mgf1p', 'rsa-oaep-sha256'] as const;

/** Reads metadata from a file or URL and checks it as every refresh will (loadSpMetadata). */
export async function loadMetadata(source: string, config: Config) {
  const xml = isUrl(source)
    ? await fetchMetadata(source, config).catch((error: Error) => {
        throw new UsageError(`--metadata: ${error.message}`);
      })
    : await readFile(source, 'utf8').catch(() => {
        throw new UsageError(`--metadata: cannot read ${source}`);
      });
  const loaded = await loadSpMetadata(xml, { production: config.production, now: systemClock.now() });
  if (!loaded.ok) throw new UsageError(`--metadata: ${describe(loaded.problem, loaded.detail)}`);
  return loaded;
}

/**
 * The pseudonym sector a registration gets (DESIGN.md §4; issue 13, point
 * 17): a registered service keeps its own, whatever this run says (every
 * bPK2 it received was made from it); else the operator's `--sector`; else
 * the host of the ACS URLs, which must be the entityID's host too, so no
 * service can claim another's host by its entityID alone.
 */
function sectorFor(
  existing: SamlService | undefined,
  asked: string | undefined,
  entityId: string,
  acs: readonly { url: string }[],
): Pick<SamlServiceConfig, 'sector' | 'sectorSource'> {
  if (asked !== undefined && !isSectorHost(asked))
    throw new UsageError(
      '--sector must be a host name in lower case, without scheme, port or path (e.g. wohngeld.example.de)',
    );
  if (existing) {
    const current = existing.config.sector ?? sectorOfUrl(existing.id) ?? existing.id;
    if (asked !== undefined && asked !== current)
      throw new UsageError(
        `--sector: ${entityId} is registered with the sector ${current}; a sector never changes, since every pseudonym of the service was made from it`,
      );
    return {
      sector: current,
      sectorSource: existing.config.sectorSource ?? (asked === undefined ? 'acs' : 'operator'),
    };
  }
  if (asked !== undefined) return { sector: asked, sectorSource: 'operator' };
  const entityHost = sectorOfUrl(entityId);
  const acsHosts = [...new Set(acs.map((a) => sectorOfUrl(a.url)))];
  if (acsHosts.length !== 1 || acsHosts[0] !== entityHost) {
    throw new UsageError(
      `the entityID's host ${entityHost ?? entityId} is not the host of the ACS URLs (${acsHosts.join(', ')}); the pseudonym sector is the host the service runs on. If the service really owns it, register the sector explicitly: --sector HOST`,
    );
  }
  return { sector: entityHost, sectorSource: 'acs' };
}

/** `sp add`: registers a SAML service provider from its metadata (issue: SAML, deliverable 2). */
export const spAdd = {
  usage:
    'servicekonto sp add --metadata FILE|URL [--name NAME] [--operator NAME] [--min-level 1-4] [--attribute URN…] [--signature rsa-sha256|rsa-pss-sha256|ecdsa-sha256] [--key-transport rsa-oaep-mgf1p|rsa-oaep-sha256] [--no-encrypt] [--guest] [--sector HOST]',
  parse: (args: string[]) =>
    parse(args, {
      metadata: { type: 'string' },
      name: { type: 'string' },
      operator: { type: 'string' },
      'min-level': { type: 'string' },
      attribute: { type: 'string', multiple: true },
      signature: { type: 'string' },
      'key-transport': { type: 'string' },
      'no-encrypt': { type: 'boolean' },
      guest: { type: 'boolean' },
      sector: { type: 'string' },
    }),
  async run(db: Database, values: Record<string, unknown>, config: Config, io: CliOutput): Promise<void> {
    const source = required(values, 'metadata');
    const minLevel = values['min-level'] === undefined ? 1 : Number(values['min-level']);
    if (![1, 2, 3, 4].includes(minLevel))
      throw new UsageError('--min-level must be 1 (basis), 2 (niedrig), 3 (substanziell) or 4 (hoch)');
    const attributes = (values.attribute as string[] | undefined) ?? [];
    const unknown = attributes.filter((name) => !knownAttributeNames.has(name));
    if (unknown.length > 0)
      throw new UsageError(`--attribute: unknown attribute name ${unknown.join(', ')} (see README, SAML attributes)`);
    const signature = (values.signature as string | undefined) ?? 'rsa-sha256';
    if (!(signatures as readonly string[]).includes(signature))
      throw new UsageError(`--signature must be one of ${signatures.join(', ')}`);
    const keyTransport = (values['key-transport'] as string | undefined) ?? 'rsa-oaep-mgf1p';
    if (!(keyTransports as readonly string[]).includes(keyTransport))
      throw new UsageError(`--key-transport must be one of ${keyTransports.join(', ')}`);
    const name = (values.name as string | undefined)?.trim();
    if (name !== undefined && (name === '' || name.length > 200))
      throw new UsageError('--name must be 1 to 200 characters');

    const { metadata, warnings } = await loadMetadata(source, config);
    // --attribute narrows what the metadata asks for (saml/profile/release.ts); it cannot add to it.
    const beyond =
      metadata.metadataAttributes === undefined
        ? []
        : attributes.filter((name) => !metadata.metadataAttributes?.includes(name));
    if (beyond.length > 0)
      warnings.push(
        `--attribute ${beyond.join(', ')}: not in the metadata's AttributeConsumingService, so not released`,
      );
    const existing = await repositories(db).services.samlById(metadata.entityId);
    const sector = sectorFor(existing, values.sector as string | undefined, metadata.entityId, metadata.acs);
    const encrypt = values['no-encrypt'] !== true;
    const serviceConfig: SamlServiceConfig = {
      entityId: metadata.entityId,
      acs: metadata.acs,
      singleLogout: metadata.singleLogout,
      signingCertificates: metadata.signingCertificates,
      encryptionCertificates: metadata.encryptionCertificates,
      encryptionMethods: metadata.encryptionMethods,
      authnRequestsSigned: metadata.authnRequestsSigned,
      nameIdFormats: metadata.nameIdFormats,
      metadataAttributes: metadata.metadataAttributes,
      attributes,
      signature: signature as SamlServiceConfig['signature'],
      keyTransport: keyTransport as SamlServiceConfig['keyTransport'],
      encryptAssertions: encrypt,
      metadataUrl: isUrl(source) ? source : undefined,
      ...sector,
      // The guest login is offered only to requests that ask for no pseudonym or postbox (PROFILES.md §1).
      ...(values.guest === true && { guestLogin: true }),
    };
    await db.transaction(async (tx) => {
      await repositories(tx)
        .services.upsertSaml(
          serviceConfig,
          name ?? metadata.organizationName ?? metadata.entityId,
          (values.operator as string | undefined)?.slice(0, 200),
          minLevel,
        )
        .catch((error: Error) => {
          throw new UsageError(error.message);
        });
      await audit.record(tx, {
        actor: 'cli',
        action: 'service.registered',
        subject: `service:${metadata.entityId}`,
        outcome: 'success',
        details: {
          protocol: 'saml',
          encrypt,
          encryptedNow: encryptsAssertions(serviceConfig),
          guest: values.guest === true,
        },
      });
    });
    for (const warning of warnings) io.err(`Warning: ${warning}.`);
    if (!encrypt) io.err('Warning: assertions to this service are NOT encrypted.');
    else if (!encryptsAssertions(serviceConfig)) {
      io.err(
        `Warning: the metadata has no encryption key: assertions to this service are signed but NOT encrypted until its metadata brings one${serviceConfig.metadataUrl === undefined ? ' (run sp add again with the new metadata)' : ' (it is fetched again every 6 hours)'}.`,
      );
    }
    if (sector.sectorSource === 'operator')
      io.err(
        `Warning: the pseudonym sector ${sector.sector} was set by --sector; services of that host share the citizens' pseudonyms.`,
      );
    io.out(
      `Registered SAML service provider ${metadata.entityId} (${metadata.acs.length} ACS, ${metadata.singleLogout.length} SLO endpoints, requests ${metadata.authnRequestsSigned ? 'must be signed' : 'may be unsigned'}).`,
    );
  },
};

/** `sp list`'s encryption column: what the next login gets, and why not encrypted. */
export const listedEncryption = (config: SamlServiceConfig) =>
  encryptsAssertions(config)
    ? 'encrypted'
    : config.encryptAssertions
      ? 'NOT encrypted (no key in metadata)'
      : 'NOT encrypted';

export const spList = {
  usage: 'servicekonto sp list',
  parse: (args: string[]) => parse(args, {}),
  async run(db: Database, _values: unknown, _config: unknown, io: CliOutput): Promise<void> {
    const services = (await repositories(db).services.list()).filter((s) => s.protocol === 'saml');
    if (services.length === 0) io.out('No SAML service providers registered.');
    for (const s of services)
      if (s.protocol === 'saml')
        io.out(`${s.id}\t${s.displayName}\t${listedEncryption(s.config)}\t${s.config.acs.map((a) => a.url).join(' ')}`);
  },
};

const reported = (entityId: string, result: RefreshResult): string => {
  switch (result.outcome) {
    case 'updated':
      return `Updated ${entityId} from its metadata URL: ${result.changed.join(', ')} changed.`;
    case 'unchanged':
      return `${entityId}: metadata unchanged.`;
    case 'failed':
      return `${entityId}: kept the previous metadata: ${describe(result.problem, result.detail)}.`;
    case 'not_from_url':
      return `${entityId}: not registered from a URL; nothing refreshed.`;
  }
};

/**
 * `sp refresh`: fetches the metadata of SAML service providers registered from a URL now, instead of at the next
 * scheduled refresh.
 */
export const spRefresh = {
  usage: 'servicekonto sp refresh [--id ENTITYID]',
  parse: (args: string[]) => parse(args, { id: { type: 'string' } }),
  async run(db: Database, values: Record<string, unknown>, config: Config, io: CliOutput): Promise<void> {
    const services = (await repositories(db).services.list()).flatMap((s) => (s.protocol === 'saml' ? [s] : []));
    const id = values.id === undefined ? undefined : required(values, 'id');
    const targets =
      id === undefined
        ? services.filter((s) => s.config.metadataUrl !== undefined)
        : services.filter((s) => s.id === id);
    if (id !== undefined && targets.length === 0) throw new UsageError(`--id: no SAML service provider ${id}`);
    if (id !== undefined && targets[0]?.config.metadataUrl === undefined)
      throw new UsageError(`--id: ${id} was registered from a file; run sp add again with its new metadata`);
    if (targets.length === 0) io.out('No SAML service providers registered from a URL.');
    let failed = 0;
    for (const service of targets) {
      const result = await refreshServiceProviderMetadata(
        { db, clock: systemClock, config, audit, actor: 'cli' },
        service.id,
      );
      if (result.outcome === 'failed') failed++;
      if (result.outcome === 'updated' || result.outcome === 'unchanged')
        for (const warning of result.warnings) io.err(`Warning: ${service.id}: ${warning}.`);
      if (result.outcome === 'failed') io.err(reported(service.id, result));
      else io.out(reported(service.id, result));
    }
    // Exit 1: a script running this learns that a service still runs on old metadata.
    if (failed > 0)
      throw new Error(`${failed} of ${targets.length} refreshes failed; the previous metadata stays in use`);
  },
};
