import type { Queryable } from '../platform/db/database.ts';

/** OIDC client metadata as stored (RFC 7591 names), the protocol configuration of an OIDC service. */
export interface OidcClientMetadata {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method:
    'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';
  grant_types: string[];
  response_types: string[];
  subject_type?: 'pairwise' | 'public';
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  /** Ours, not RFC 7591 (oidc-provider ignores it): the service offers the guest login (`client add --guest`). */
  guest_login?: boolean;
  /** Ours: the sector of a client registered before the sector lost its port (migration 0009); oidc/pairwise.ts. */
  pseudonym_sector?: string;
  [key: string]: unknown;
}

/** A SAML service provider as read from its metadata, with our per-service choices (issue: SAML, BundID profile). */
export interface SamlServiceConfig {
  entityId: string;
  /** Assertion consumer services: HTTP-POST only (the Response always goes by POST). */
  acs: { url: string; index: number | undefined; isDefault: boolean }[];
  singleLogout: { binding: 'redirect' | 'post'; url: string; responseUrl: string | undefined }[];
  /** Certificates as base64 DER, as in metadata. */
  signingCertificates: string[];
  encryptionCertificates: string[];
  /** The SP's `md:EncryptionMethod` algorithms, to pick what it can decrypt. */
  encryptionMethods: string[];
  authnRequestsSigned: boolean;
  nameIdFormats: string[];
  /**
   * The operator's `sp add --attribute` list: what the service may receive
   * beyond the login facts; narrows `metadataAttributes` when both exist
   * (saml/profile/release.ts). Empty: the operator named none.
   */
  attributes: string[];
  /** The attributes its metadata's AttributeConsumingService asks for; undefined when it has none. */
  metadataAttributes?: string[] | undefined;
  signature: 'rsa-sha256' | 'rsa-pss-sha256' | 'ecdsa-sha256';
  keyTransport: 'rsa-oaep-mgf1p' | 'rsa-oaep-sha256';
  /** Encrypted assertions are the default; off only by an operator's explicit choice. */
  encryptAssertions: boolean;
  metadataUrl: string | undefined;
  /** The service offers the guest login (`sp add --guest`). */
  guestLogin?: boolean;
  /**
   * The pseudonym sector (DESIGN.md §4), fixed at registration: the host of
   * the ACS URLs, or the operator's `--sector` (`sectorSource: 'operator'`).
   * Undefined for services registered before: the entityID's host then.
   */
  sector?: string;
  sectorSource?: 'acs' | 'operator';
}

interface ServiceBase {
  id: string;
  displayName: string;
  operator: string | null;
  minLevel: number;
  /**
   * A one-time eID login without an account (design notes §6 Guest login):
   * nothing is stored, and the service gets no pseudonym. Kept in the
   * protocol configuration (`guest_login` / `guestLogin`).
   */
  guestLogin: boolean;
  createdAt: Date;
}

export interface OidcService extends ServiceBase {
  protocol: 'oidc';
  config: OidcClientMetadata;
}

export interface SamlService extends ServiceBase {
  protocol: 'saml';
  config: SamlServiceConfig;
}

export type Service = OidcService | SamlService;

interface Row {
  id: string;
  display_name: string;
  operator: string | null;
  protocol: 'oidc' | 'saml';
  config: OidcClientMetadata | SamlServiceConfig;
  min_level: number;
  created_at: Date;
}

const toService = (r: Row): Service => {
  const base = {
    id: r.id,
    displayName: r.display_name,
    operator: r.operator,
    minLevel: r.min_level,
    createdAt: r.created_at,
  };
  if (r.protocol === 'saml') {
    const config = r.config as SamlServiceConfig;
    return { ...base, guestLogin: config.guestLogin === true, protocol: 'saml', config };
  }
  const config = r.config as OidcClientMetadata;
  return { ...base, guestLogin: config.guest_login === true, protocol: 'oidc', config };
};

/**
 * A registered sector survives a new registration of the same service that
 * does not name one: it is what every pseudonym of the service was made
 * from (DESIGN.md §4, "never changes").
 */
const keepSector = `EXCLUDED.config
  || jsonb_strip_nulls(jsonb_build_object(
       'pseudonym_sector', CASE WHEN EXCLUDED.config ? 'pseudonym_sector' THEN NULL ELSE services.config->'pseudonym_sector' END,
       'sector', CASE WHEN EXCLUDED.config ? 'sector' THEN NULL ELSE services.config->'sector' END,
       'sectorSource', CASE WHEN EXCLUDED.config ? 'sector' THEN NULL ELSE services.config->'sectorSource' END))`;

/** Online services: OIDC clients now, SAML service providers later; both share consent and pseudonyms. */
export function serviceRepository(db: Queryable) {
  /**
   * Registration is idempotent; a service never changes protocol under the same id (it would change its pseudonyms'
   * meaning).
   */
  async function upsert(
    protocol: Service['protocol'],
    id: string,
    displayName: string,
    operator: string | undefined,
    config: OidcClientMetadata | SamlServiceConfig,
    minLevel: number,
  ): Promise<Service> {
    const result = await db.query<Row>(
      `INSERT INTO services (id, display_name, operator, protocol, config, min_level) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, operator = EXCLUDED.operator, config = ${keepSector}, min_level = EXCLUDED.min_level, updated_at = now()
       WHERE services.protocol = EXCLUDED.protocol
       RETURNING *`,
      [id, displayName, operator ?? null, protocol, JSON.stringify(config), minLevel],
    );
    const row = result.rows[0];
    if (!row) throw new Error(`a service with the id ${id} exists already under the other protocol`);
    return toService(row);
  }
  return {
    async byId(id: string): Promise<Service | undefined> {
      const result = await db.query<Row>('SELECT * FROM services WHERE id = $1', [id]);
      const row = result.rows[0];
      return row ? toService(row) : undefined;
    },
    /** The stored metadata of an OIDC client, as oidc-provider reads it (oidc/adapter.ts). */
    async oidcConfig(id: string): Promise<OidcClientMetadata | undefined> {
      const result = await db.query<{ config: OidcClientMetadata }>(
        "SELECT config FROM services WHERE id = $1 AND protocol = 'oidc'",
        [id],
      );
      return result.rows[0]?.config;
    },
    /** Locks the service provider's row until the transaction ends (a refresh against a concurrent `sp add`). */
    async lockSaml(entityId: string): Promise<void> {
      await db.query("SELECT 1 FROM services WHERE id = $1 AND protocol = 'saml' FOR UPDATE", [entityId]);
    },
    async list(): Promise<Service[]> {
      const result = await db.query<Row>('SELECT * FROM services ORDER BY display_name, id');
      return result.rows.map(toService);
    },
    /**
     * Removes a registration (`client remove`, `sp remove`); consents, pending logins and session participations go
     * with it (ON DELETE CASCADE, migrations 0001 and 0005). Answers whether there was one.
     */
    async remove(id: string, protocol: Service['protocol']): Promise<boolean> {
      const result = await db.query('DELETE FROM services WHERE id = $1 AND protocol = $2', [id, protocol]);
      return result.rowCount > 0;
    },
    async samlById(entityId: string): Promise<SamlService | undefined> {
      const result = await db.query<Row>("SELECT * FROM services WHERE id = $1 AND protocol = 'saml'", [entityId]);
      const row = result.rows[0];
      return row ? (toService(row) as SamlService) : undefined;
    },
    /**
     * Inserts or replaces a SAML service provider. The entityID is the id and
     * the pseudonym sector.
     */
    async upsertSaml(
      config: SamlServiceConfig,
      displayName: string,
      operator?: string,
      minLevel = 1,
    ): Promise<SamlService> {
      return (await upsert('saml', config.entityId, displayName, operator, config, minLevel)) as SamlService;
    },
    /** Inserts or replaces an OIDC client (idempotent registration). */
    async upsertOidc(
      metadata: OidcClientMetadata,
      displayName: string,
      operator?: string,
      minLevel = 1,
    ): Promise<OidcService> {
      return (await upsert('oidc', metadata.client_id, displayName, operator, metadata, minLevel)) as OidcService;
    },
  };
}

export type ServiceRepository = ReturnType<typeof serviceRepository>;
