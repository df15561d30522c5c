import type { Queryable } from '../platform/db/database.ts';

/** OIDC client metadata as stored (RFC 7591 names), the protocol configuration of an OIDC service. */
export interface OidcClientMetadata {
  client_id: string;
  client_secret?: string;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method: 'client_secret_basic' | 'client_secret_post' | 'none';
  grant_types: string[];
  response_types: string[];
  subject_type?: 'pairwise' | 'public';
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  [key: string]: unknown;
}

export interface Service {
  id: string;
  displayName: string;
  operator: string | null;
  protocol: 'oidc' | 'saml';
  config: OidcClientMetadata;
  minLevel: number;
  createdAt: Date;
}

interface Row {
  id: string;
  display_name: string;
  operator: string | null;
  protocol: 'oidc' | 'saml';
  config: OidcClientMetadata;
  min_level: number;
  created_at: Date;
}

const toService = (r: Row): Service => ({
  id: r.id,
  displayName: r.display_name,
  operator: r.operator,
  protocol: r.protocol,
  config: r.config,
  minLevel: r.min_level,
  createdAt: r.created_at,
});

/** Online services: OIDC clients now, SAML service providers later; both share consent and pseudonyms. */
export function serviceRepository(db: Queryable) {
  return {
    async byId(id: string): Promise<Service | undefined> {
      const result = await db.query<Row>('SELECT * FROM services WHERE id = $1', [id]);
      const row = result.rows[0];
      return row ? toService(row) : undefined;
    },
    async list(): Promise<Service[]> {
      const result = await db.query<Row>('SELECT * FROM services ORDER BY display_name, id');
      return result.rows.map(toService);
    },
    /** Inserts or replaces a service (idempotent registration). */
    async upsertOidc(metadata: OidcClientMetadata, displayName: string, operator?: string, minLevel = 1): Promise<Service> {
      const result = await db.query<Row>(
        `INSERT INTO services (id, display_name, operator, protocol, config, min_level) VALUES ($1, $2, $3, 'oidc', $4, $5)
         ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, operator = EXCLUDED.operator, config = EXCLUDED.config, min_level = EXCLUDED.min_level, updated_at = now()
         RETURNING *`,
        [metadata.client_id, displayName, operator ?? null, JSON.stringify(metadata), minLevel],
      );
      return toService(result.rows[0] as Row);
    },
  };
}

export type ServiceRepository = ReturnType<typeof serviceRepository>;
