import type { Queryable } from './platform/db/database.ts';
import { accountRepository } from './identity/account-repository.ts';
import { attributeRepository } from './identity/attribute-repository.ts';
import { credentialRepository } from './identity/credential-repository.ts';
import { consentRepository } from './flows/consent/consent-repository.ts';
import { passwordStore } from './methods/password/password-repository.ts';
import { serviceRepository } from './services/service-repository.ts';

/**
 * Every repository over one query runner: the database, or a transaction
 * (`app.db.transaction(async (tx) => { const r = app.repos(tx); … })`), so
 * a flow builds its storage in one line, in one style (STYLE.md "Storage
 * through repositories"; fastify/demo repositories with an optional
 * transaction).
 */
export function repositories(q: Queryable) {
  return {
    accounts: accountRepository(q),
    attributes: attributeRepository(q),
    credentials: credentialRepository(q),
    consents: consentRepository(q),
    passwords: passwordStore(q),
    services: serviceRepository(q),
  };
}

export type Repositories = ReturnType<typeof repositories>;
