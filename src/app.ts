import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { auditLog } from './audit/audit-log.ts';
import type { Config } from './config/schema.ts';
import type { AppContext } from './context.ts';
import { consentRepository } from './flows/consent/consent-repository.ts';
import { samlKeyCache } from './saml/crypto/keys.ts';
import { entityIdOf } from './saml/idp.ts';
import { pendingSamlLogins } from './saml/login/pending-login-repository.ts';
import { registerMetadataRefresh } from './saml/metadata/refresh-schedule.ts';
import { httpSmsGateway, type SmsGateway } from './platform/sms/gateway.ts';
import { secretBox } from './platform/crypto/secret-box.ts';
import { accountRepository } from './identity/account-repository.ts';
import { attributeRepository } from './identity/attribute-repository.ts';
import { createPasswordHasher } from './methods/password/hash.ts';
import { boundedHasher } from './methods/password/bounded-hasher.ts';
import { createWorkLimiter } from './platform/http/work-limiter.ts';
import { passwordStore } from './methods/password/password-repository.ts';
import { createMethods, type MethodsOverride } from './methods/registry.ts';
import { loginThrottle } from './methods/password/throttle.ts';
import { deviceCookies } from './methods/password/device-cookie.ts';
import { serviceLogout } from './oidc/backchannel.ts';
import { oidcParticipationEnder } from './oidc/participation-ender.ts';
import { samlParticipationEnder } from './saml/logout/participation-ender.ts';
import { logoutFanOut } from './session/logout-fan-out.ts';
import { ensureSigningKeys, followSigningKeys, loadSigningKeys } from './oidc/keys.ts';
import { mountProvider } from './oidc/mount.ts';
import { createOidcPages } from './oidc/pages.ts';
import { createProvider } from './oidc/provider.ts';
import { providerCookieNames } from './oidc/cookies.ts';
import { hardenProvider } from './oidc/provider-hardening.ts';
import { installOidcSessionSync } from './oidc/session-sync.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import type { Database } from './platform/db/database.ts';
import { installationSecret } from './platform/crypto/installation-secrets.ts';
import { cookieNames } from './platform/http/cookies.ts';
import { createCsrf } from './platform/http/csrf.ts';
import { installErrorHandling } from './platform/http/render-error.ts';
import { installRequestState } from './platform/http/request-state.ts';
import { csrfCheck, installRouteChecks, sessionCheck } from './platform/http/route-options.ts';
import { secondFactorCheck } from './flows/settings/guard.ts';
import { createRateLimiter } from './platform/http/rate-limit.ts';
import { installPageCompression } from './platform/http/compression.ts';
import { hstsHeader, securityHeaders } from './platform/http/security-headers.ts';
import { jobQueue } from './platform/jobs/queue.ts';
import { createMailer } from './platform/mail/mailer.ts';
import { smtpTransport, type MailTransport } from './platform/mail/transport.ts';
import { cachedServiceRepository } from './services/cached-service-repository.ts';
import { openChangeFeed } from './platform/db/change-feed.ts';
import { repositories } from './repositories.ts';
import { ssoSessions } from './session/sso-session-repository.ts';
import { setUpEid } from './methods/eid/set-up.ts';
import { createHttpServer } from './platform/http/server.ts';
import { registerRoutes } from './routes.ts';
import { staticAssets } from './web/static-assets.ts';
import { siteLook } from './web/site-look.ts';

export interface BuildOptions {
  config: Config;
  db: Database;
  clock?: Clock;
  /** Mail transport override (tests); default from SMTP_URL or the outbox. */
  mailTransport?: MailTransport;
  /** SMS gateway override (tests); default from SMS_GATEWAY_URL or the development sink. */
  smsGateway?: SmsGateway;
  /** Rewrites the registered methods: a test adds a throwaway one with `(list) => [...list, mine]`. */
  methods?: MethodsOverride;
}

/**
 * Builds the HTTP app in a fixed order (STYLE.md, fastify/demo):
 * infrastructure, then app services, then routes. Also used by the tests.
 */
export async function buildApp(options: BuildOptions): Promise<{ fastify: FastifyInstance; app: AppContext }> {
  const { config, db } = options;
  const clock = options.clock ?? systemClock;
  const fastify = createHttpServer(config);

  // 1. Infrastructure.
  const names = cookieNames(config.production);
  // Caches of services and keys drop what the database announces as changed (platform/db/change-feed.ts).
  const changes = await openChangeFeed(db, {
    warn: (error, message) => fastify.log.warn({ err: error }, message),
  });
  const csrfKey = await installationSecret(db, 'csrf_key');
  const cookieKey = await installationSecret(db, 'oidc_cookie_key');
  const pairwiseSecret = await installationSecret(db, 'pairwise_secret');
  await ensureSigningKeys(db, clock);
  const logger = {
    info: (o: object, m?: string) => fastify.log.info(o, m),
    warn: (o: object, m?: string) => fastify.log.warn(o, m),
    error: (o: object, m?: string) => fastify.log.error(o, m),
  };
  const jobs = jobQueue(db, clock, logger);
  const transport =
    options.mailTransport ??
    (config.smtpUrl
      ? smtpTransport(config.smtpUrl, config.mailFrom)
      : (await import('./dev/outbox/mail-outbox.ts')).outboxTransport(db));

  // 2. App services.
  const accounts = accountRepository(db);
  const attributes = attributeRepository(db);
  const passwords = passwordStore(db);
  // One ceiling on argon2 work for the whole process (issue 13 §4).
  const hasher = boundedHasher(
    createPasswordHasher(config.argon2),
    createWorkLimiter({ ...config.passwordWork, maxQueued: 100 * config.passwordWork.maxConcurrent }),
  );
  const sessions = ssoSessions(db, clock);
  const consents = consentRepository(db);
  const services = cachedServiceRepository(db, changes);
  const provider = createProvider({
    issuer: config.publicUrl,
    production: config.production,
    db,
    clock,
    sessions,
    consents,
    services,
    jwks: await loadSigningKeys(db, clock),
    cookieKeys: [cookieKey],
    pairwiseSecret,
    sessionCookie: names.session,
    interactionLangCookie: names.interactionLang,
    pages: createOidcPages(names.lang, siteLook(config.site)),
  });
  followSigningKeys(provider, db, clock, changes, (error) =>
    fastify.log.warn({ err: error }, 'OIDC signing keys could not be read again; retrying'),
  );
  const samlBox = secretBox(await installationSecret(db, 'saml_key_box'));
  const samlKeys = samlKeyCache(db, clock, samlBox, changes);
  const throttle = loginThrottle(db, clock);
  const devices = deviceCookies(await installationSecret(db, 'device_cookie_key'), clock);
  // Without a gateway, development gets the sink and production gets no SMS-TAN (DESIGN.md §5).
  const smsGateway =
    options.smsGateway ??
    (config.smsGatewayUrl
      ? httpSmsGateway({ url: config.smsGatewayUrl, token: config.smsGatewayToken, sender: config.smsSender })
      : config.production
        ? undefined
        : (await import('./dev/outbox/sms-outbox.ts')).devSmsSink(db));
  const eidSetup = config.eid ? await setUpEid(fastify, config, db, clock) : undefined;
  const eid = eidSetup?.service;
  const methods = await createMethods({
    db,
    clock,
    publicUrl: config.publicUrl,
    password: { passwords, hasher, throttle, devices },
    smsGateway,
    onSmsFailure: (error) => fastify.log.warn({ err: error }, 'SMS gateway failed'),
    eid: eid !== undefined,
    ...(options.methods ? { override: options.methods } : {}),
  });
  const backchannel = serviceLogout(provider, jobs);
  const app: AppContext = {
    config,
    db,
    repos: repositories,
    clock,
    accounts,
    attributes,
    passwords,
    hasher,
    methods,
    loginThrottle: throttle,
    sessions,
    services,
    consents,
    audit: auditLog(clock),
    jobs,
    mailer: createMailer(jobs, transport),
    rateLimiter: createRateLimiter(db, clock),
    csrf: createCsrf(csrfKey, names.csrf, config.production),
    cookies: names,
    provider,
    serviceLogout: backchannel,
    // The protocols whose services hear of sessions that end (session/logout-fan-out.ts).
    logout: logoutFanOut([oidcParticipationEnder(backchannel), samlParticipationEnder(clock)]),
    eid,
    saml: {
      entityId: entityIdOf(config.publicUrl),
      keys: samlKeys,
      pending: pendingSamlLogins(db, clock),
      pseudonymSecret: pairwiseSecret,
    },
  };
  installOidcSessionSync(app);
  // Any instance may claim a metadata refresh job, so every instance registers the handler.
  registerMetadataRefresh(app, logger);
  hardenProvider(provider, config.production, fastify.log);

  // 3. HTTP plumbing, then routes.
  mountProvider(fastify, provider, config.publicUrl, providerCookieNames(config.production).resume);
  await fastify.register(fastifyCookie);
  await fastify.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  fastify.addHook('onSend', async (_request, reply) => {
    reply.headers(securityHeaders);
    if (config.production) reply.header('strict-transport-security', hstsHeader);
  });
  installPageCompression(fastify);
  installRequestState(fastify, app);
  installErrorHandling(fastify, app);
  // Route options, checked in this order before each handler: second factor, CSRF, session.
  installRouteChecks(fastify, [secondFactorCheck(app), csrfCheck(app.csrf), sessionCheck]);
  await fastify.register(staticAssets);

  await registerRoutes(fastify, app, { devSmsOutbox: !options.smsGateway });
  if (eidSetup?.mountSimulator) await eidSetup.mountSimulator(app);

  fastify.addHook('onClose', async () => {
    await jobs.stop();
    transport.close();
    await changes.close();
  });
  return { fastify, app };
}
