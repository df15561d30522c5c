import { repositories } from '../repositories.ts';
import { auditLog } from '../audit/audit-log.ts';
import type { Config } from '../config/schema.ts';
import { isEmail } from '../flows/validation.ts';
import { usernamePattern } from '../flows/validation.ts';
import { createPasswordHasher } from '../methods/password/hash.ts';
import { passwordProblem } from '../methods/password/policy.ts';
import { translator } from '../text/index.ts';
import { rotateSigningKeys } from '../oidc/keys.ts';
import { ensureSamlKeys, rotateSamlKeys } from '../saml/crypto/keys.ts';
import { installationSecret } from '../platform/crypto/installation-secrets.ts';
import { secretBox } from '../platform/crypto/secret-box.ts';
import { systemClock } from '../platform/clock.ts';
import type { Database } from '../platform/db/database.ts';
import type { CliOutput } from './output.ts';
import { parse, required, UsageError } from './args.ts';
import { clientMetadata } from './client-metadata.ts';
import { clientDetails, clientOptions, clientRemove, clientShow, clientUpdate, parseMinLevel } from './client-admin.ts';
import { describeClient, readJwksFile, registeredIdTokenAlg } from './client-registration.ts';
import { verifyInPerson } from './verify-in-person.ts';
import { spAdd, spList, spRefresh } from './service-provider.ts';
import { spRemove, spShow, spUpdate } from './sp-admin.ts';
import { userLock, userShow, userUnlock } from './user-admin.ts';

interface Command {
  usage: string;
  parse(args: string[]): Record<string, unknown>;
  run(db: Database, values: Record<string, unknown>, config: Config, io: CliOutput): Promise<void>;
}

const audit = auditLog(systemClock);

export const commands: Record<string, Command> = {
  migrate: {
    usage: 'servicekonto migrate',
    parse: (args) => parse(args, {}),
    // main.ts migrates before every command; this one only reports.
    run: async (_db, _values, _config, io) => io.out('Database schema is up to date.'),
  },
  'user create': {
    usage: 'servicekonto user create --username U --email E --password P [--verified]',
    parse: (args) =>
      parse(args, {
        username: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        verified: { type: 'boolean' },
      }),
    async run(db, values, config, io) {
      const username = required(values, 'username');
      const email = required(values, 'email');
      const password = typeof values.password === 'string' ? values.password : '';
      if (!usernamePattern.test(username)) throw new UsageError('--username must be 3 to 64 letters, digits, . - _');
      if (!isEmail(email)) throw new UsageError('--email is not a valid e-mail address');
      const problem = passwordProblem(password, { username, email });
      if (problem) throw new UsageError(`--password: ${translator('en')(problem)}`);
      const hash = await createPasswordHasher(config.argon2).hash(password);
      const account = await db.transaction(async (tx) => {
        const accounts = repositories(tx).accounts;
        const taken = await accounts.usernameOrEmailTaken(username, email);
        if (taken.username || taken.email)
          throw new UsageError(`an account with this ${taken.username ? 'username' : 'e-mail address'} exists already`);
        const created = await accounts.create({ username, email, language: 'de', verified: values.verified === true });
        await repositories(tx).passwords.set(created.id, hash);
        await audit.record(tx, {
          actor: 'cli',
          action: 'account.created',
          subject: `account:${created.id}`,
          outcome: 'success',
        });
        return created;
      });
      io.out(
        `Created account ${account.username} (${account.id})${account.emailVerifiedAt ? ', e-mail verified' : ', e-mail not verified'}.`,
      );
    },
  },
  'user verify': verifyInPerson,
  'user show': userShow,
  'user lock': userLock,
  'user unlock': userUnlock,
  'client add': {
    usage:
      'servicekonto client add --id ID [--secret S] --redirect-uri URI [--redirect-uri URI…] [--post-logout-redirect-uri URI] [--name NAME] [--backchannel-logout-uri URI] [--client-uri URI] [--min-level 1-4] [--guest] [--client-credentials] [--token-auth-method client_secret_basic|client_secret_jwt|private_key_jwt] [--jwks-uri URL | --jwks FILE] [--id-token-alg ES256|RS256] [--subject-type pairwise|public]',
    parse: (args) => parse(args, clientOptions),
    async run(db, values, _config, io) {
      const id = required(values, 'id');
      const metadata = clientMetadata({
        id,
        secret: values.secret as string | undefined,
        redirectUris: (values['redirect-uri'] as string[] | undefined) ?? [],
        postLogoutRedirectUris: (values['post-logout-redirect-uri'] as string[] | undefined) ?? [],
        name: values.name as string | undefined,
        backchannelLogoutUri: values['backchannel-logout-uri'] as string | undefined,
        clientUri: values['client-uri'] as string | undefined,
        guest: values.guest === true,
        clientCredentials: values['client-credentials'] === true,
        tokenAuthMethod: values['token-auth-method'] as string | undefined,
        jwksUri: values['jwks-uri'] as string | undefined,
        jwks: typeof values.jwks === 'string' ? readJwksFile(values.jwks) : undefined,
        idTokenAlg: (values['id-token-alg'] as string | undefined) ?? (await registeredIdTokenAlg(db, id)),
        subjectType: values['subject-type'] as string | undefined,
      });
      const minLevel = parseMinLevel(values['min-level'], 1);
      await db.transaction(async (tx) => {
        await repositories(tx).services.upsertOidc(
          metadata,
          metadata.client_name ?? metadata.client_id,
          undefined,
          minLevel,
        );
        await audit.record(tx, {
          actor: 'cli',
          action: 'service.registered',
          subject: `service:${metadata.client_id}`,
          outcome: 'success',
        });
      });
      io.out(`Registered OIDC client ${metadata.client_id} (${describeClient(metadata)}).`);
    },
  },
  'client update': clientUpdate,
  'client show': clientShow,
  'client remove': clientRemove,
  'client list': {
    usage: 'servicekonto client list [--details]',
    parse: (args) => parse(args, { details: { type: 'boolean' } }),
    async run(db, values, _config, io) {
      const services = (await repositories(db).services.list()).flatMap((s) => (s.protocol === 'oidc' ? [s] : []));
      if (services.length === 0) io.out('No OIDC clients registered.');
      for (const [index, s] of services.entries()) {
        if (values.details === true) {
          if (index > 0) io.out('');
          for (const line of clientDetails(s)) io.out(line);
          continue;
        }
        io.out(
          `${s.id}\t${s.displayName}\t${s.config.token_endpoint_auth_method === 'none' ? 'public' : 'confidential'}\t${s.config.redirect_uris.join(' ')}`,
        );
      }
    },
  },
  'sp add': spAdd,
  'sp list': spList,
  'sp refresh': spRefresh,
  'sp update': spUpdate,
  'sp show': spShow,
  'sp remove': spRemove,
  'keys rotate': {
    usage: 'servicekonto keys rotate',
    parse: (args) => parse(args, {}),
    async run(db, _values, _config, io) {
      const box = secretBox(await installationSecret(db, 'saml_key_box'));
      // An installation that never used SAML first gets keys valid now, so the rotated ones have something to follow.
      await ensureSamlKeys(db, systemClock, box);
      const { kids, samlKids } = await db.transaction(async (tx) => {
        const created = await rotateSigningKeys(tx, systemClock);
        // SAML keys are published in the metadata a day before they sign, so services can fetch them first.
        const saml = await rotateSamlKeys(tx, systemClock, box);
        await audit.record(tx, {
          actor: 'cli',
          action: 'keys.rotated',
          outcome: 'success',
          details: { kids: created.join(' '), saml: saml.join(' ') },
        });
        return { kids: created, samlKids: saml };
      });
      io.out(
        `New OIDC signing keys: ${kids.join(', ')}. Earlier keys stay published until the tokens they signed have expired.`,
      );
      io.out(
        `New SAML keys: ${samlKids.join(', ')}. They are in the metadata now and sign from 24 hours on; the old ones stay listed a week longer.`,
      );
      io.out('Restart the server instances to sign with the new keys.');
    },
  },
};

export const usage = `Usage: servicekonto <command>

Commands:
${Object.values(commands)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Configuration comes from the environment (DATABASE_URL or DATA_DIR, see README).`;
