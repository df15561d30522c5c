import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { auditLog } from './audit/audit-log.ts';
import type { Config } from './config/schema.ts';
import type { AppContext } from './context.ts';
import { consentRepository } from './flows/consent/consent-repository.ts';
import { loginRoutes } from './flows/login/routes.ts';
import { stepUpRoutes } from './flows/step-up/routes.ts';
import { accountScope } from './flows/step-up/scope.ts';
import { stepUpScopeOf } from './login/page-scope.ts';
import { standaloneFrontDoor } from './flows/login/standalone.ts';
import { oidcFrontDoor } from './oidc/login-request.ts';
import { oidcConsentRoutes } from './oidc/consent-routes.ts';
import { samlFrontDoor } from './saml/login/front-door.ts';
import { ensureSamlKeys, loadSamlKeys, type SamlKeyring } from './saml/crypto/keys.ts';
import { entityIdOf } from './saml/idp.ts';
import { pendingSamlLogins } from './saml/login/pending-login-repository.ts';
import { samlLoginRoutes } from './saml/login/routes.ts';
import { samlLogoutRoutes } from './saml/logout/routes.ts';
import { samlMetadataRoute } from './saml/metadata-route.ts';
import { registerMetadataRefresh } from './saml/metadata/refresh-schedule.ts';
import { samlSsoRoutes } from './saml/routes.ts';
import { httpSmsGateway, type SmsGateway } from './platform/sms/gateway.ts';
import { secretBox } from './platform/crypto/secret-box.ts';
import { recoveryRoutes } from './flows/recovery/routes.ts';
import { registrationRoutes } from './flows/registration/routes.ts';
import { settingsRoutes } from './flows/settings/routes.ts';
import { lostMeansRoutes } from './flows/lost-means/routes.ts';
import { accountRepository } from './identity/account-repository.ts';
import { attributeRepository } from './identity/attribute-repository.ts';
import { createPasswordHasher } from './methods/password/hash.ts';
import { boundedHasher } from './methods/password/bounded-hasher.ts';
import { createWorkLimiter } from './platform/http/work-limiter.ts';
import { capConnectionsPerAddress, serverTimeouts } from './platform/http/connection-limits.ts';
import { passwordStore } from './methods/password/password-repository.ts';
import { createMethods, type MethodsOverride } from './methods/registry.ts';
import { loginThrottle } from './methods/password/throttle.ts';
import { deviceCookies } from './methods/password/device-cookie.ts';
import { serviceLogout } from './oidc/backchannel.ts';
import { oidcParticipationEnder } from './oidc/participation-ender.ts';
import { samlParticipationEnder } from './saml/logout/participation-ender.ts';
import { logoutFanOut } from './session/logout-fan-out.ts';
import { ensureSigningKeys, loadSigningKeys } from './oidc/keys.ts';
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
import { frameworkErrorPage, installErrorHandling } from './platform/http/render-error.ts';
import { installRequestState } from './platform/http/request-state.ts';
import { csrfCheck, installRouteChecks, sessionCheck } from './platform/http/route-options.ts';
import { secondFactorCheck } from './flows/settings/guard.ts';
import { createRateLimiter } from './platform/http/rate-limit.ts';
import { hstsHeader, securityHeaders } from './platform/http/security-headers.ts';
import { loggerOptions } from './platform/log.ts';
import { jobQueue } from './platform/jobs/queue.ts';
import { createMailer } from './platform/mail/mailer.ts';
import { smtpTransport, type MailTransport } from './platform/mail/transport.ts';
import { serviceRepository } from './services/service-repository.ts';
import { repositories } from './repositories.ts';
import { ssoSessions } from './session/sso-session-repository.ts';
import { siteRoutes } from './web/site-routes.ts';
import { setUpEid } from './methods/eid/set-up.ts';
import { oidcGuestDoor } from './oidc/guest-login.ts';
import { samlGuestDoor } from './saml/login/guest-login.ts';

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
  const fastify = Fastify({
    logger: loggerOptions(config),
    // A hop count as a function (Fastify counts hops the same way; its types only take this form).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    // No form of ours is larger; bigger bodies are refused before parsing (413).
    bodyLimit: 64 * 1024,
    // A limit on route parameters keeps malformed requests at 4xx.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrorPage,
    // Slow clients are cut off (issue 13 §11).
    ...serverTimeouts(config.connections),
  });
  capConnectionsPerAddress(fastify.server, config.connections.maxPerAddress);

  // 1. Infrastructure.
  const names = cookieNames(config.production);
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
  const services = serviceRepository(db);
  const provider = createProvider({
    issuer: config.publicUrl,
    production: config.production,
    db,
    clock,
    accounts,
    attributes,
    sessions,
    consents,
    services,
    jwks: await loadSigningKeys(db, clock),
    cookieKeys: [cookieKey],
    pairwiseSecret,
    sessionCookie: names.session,
    interactionLangCookie: names.interactionLang,
    pages: createOidcPages(names.lang),
  });
  const samlBox = secretBox(await installationSecret(db, 'saml_key_box'));
  let samlKeyring: Promise<SamlKeyring> | undefined;
  const samlKeys = () => (samlKeyring ??= ensureSamlKeys(db, clock, samlBox).then(() => loadSamlKeys(db, samlBox)));
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
  installRequestState(fastify, app);
  installErrorHandling(fastify, app);
  // Route options, checked in this order before each handler: second factor, CSRF, session.
  installRouteChecks(fastify, [secondFactorCheck(app), csrfCheck(app.csrf), sessionCheck]);
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('./web/static/', import.meta.url)),
    prefix: '/static/',
    decorateReply: false,
    maxAge: 3600 * 1000,
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../node_modules/@kern-ux/native/dist/', import.meta.url)),
    prefix: '/static/kern/',
    decorateReply: false,
    maxAge: 24 * 3600 * 1000,
  });
  await fastify.register(fastifyStatic, {
    root: fileURLToPath(new URL('../node_modules/@simplewebauthn/browser/dist/bundle/', import.meta.url)),
    prefix: '/static/vendor/simplewebauthn/',
    decorateReply: false,
    maxAge: 24 * 3600 * 1000,
  });

  await fastify.register(siteRoutes(app));
  // Where logins come in; every login page is registered once per door (login/front-door.ts).
  const doors = { standalone: standaloneFrontDoor(app), oidc: oidcFrontDoor(app), saml: samlFrontDoor(app) };
  await fastify.register(loginRoutes(app, [doors.standalone, doors.oidc, doors.saml]));
  await fastify.register(oidcConsentRoutes(app));
  // The same step-up pages inside a service's login and on "Mein Konto".
  for (const scope of [stepUpScopeOf(app, doors.oidc), accountScope(app), stepUpScopeOf(app, doors.saml)]) {
    await fastify.register(stepUpRoutes(app, scope));
  }
  // Each available method's own routes behind the same doors (the eID card's login, registration, recovery, guest).
  const methodDoors = { login: [doors.standalone, doors.oidc, doors.saml], guest: [oidcGuestDoor, samlGuestDoor] };
  for (const method of methods.list)
    if (method.available && method.routes) await fastify.register(method.routes(app, methodDoors));
  await fastify.register(registrationRoutes(app));
  await fastify.register(recoveryRoutes(app));
  await fastify.register(settingsRoutes(app));
  await fastify.register(lostMeansRoutes(app));
  // SAML 2.0 with the BundID profile: metadata, SSO, the citizen's pages, single logout.
  await fastify.register(samlMetadataRoute(app));
  await fastify.register(samlSsoRoutes(app));
  await fastify.register(samlLoginRoutes(app));
  await fastify.register(samlLogoutRoutes(app));
  // The outboxes exist only where mails and SMS go nowhere else (DESIGN.md §6).
  if (!config.production && !config.smtpUrl)
    await fastify.register((await import('./dev/outbox/mail-page.ts')).devMailRoutes(app));
  if (!config.production && !options.smsGateway && !config.smsGatewayUrl)
    await fastify.register((await import('./dev/outbox/sms-page.ts')).devSmsRoutes(app));
  if (eidSetup?.mountSimulator) await eidSetup.mountSimulator(app);

  fastify.addHook('onClose', async () => {
    await jobs.stop();
    transport.close();
  });
  return { fastify, app };
}
