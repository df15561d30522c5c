import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';
import { levelRoutes } from './flows/level/routes.ts';
import { loginRoutes } from './flows/login/routes.ts';
import { standaloneFrontDoor } from './flows/login/standalone.ts';
import { lostMeansRoutes } from './flows/lost-means/routes.ts';
import { recoveryRoutes } from './flows/recovery/routes.ts';
import { registrationRoutes } from './flows/registration/routes.ts';
import { settingsRoutes } from './flows/settings/routes.ts';
import { stepUpRoutes } from './flows/step-up/routes.ts';
import { accountScope } from './flows/step-up/scope.ts';
import { stepUpScopeOf } from './login/page-scope.ts';
import { oidcConsentRoutes } from './oidc/consent-routes.ts';
import { oidcGuestDoor } from './oidc/guest-login.ts';
import { oidcFrontDoor } from './oidc/login-request.ts';
import { samlFrontDoor } from './saml/login/front-door.ts';
import { samlGuestDoor } from './saml/login/guest-login.ts';
import { samlLoginRoutes } from './saml/login/routes.ts';
import { samlLogoutRoutes } from './saml/logout/routes.ts';
import { samlMetadataRoute } from './saml/metadata-route.ts';
import { samlSsoRoutes } from './saml/routes.ts';
import { siteRoutes } from './web/site-routes.ts';
import { sitePageRoutes } from './site/routes.ts';

/**
 * Every page and endpoint of the app, on the root instance in this order (STYLE.md, fastify/demo: routes last): the
 * site, the login doors and their pages, the methods' own routes, the citizen's flows, SAML, the development outboxes.
 */
export async function registerRoutes(
  fastify: FastifyInstance,
  app: AppContext,
  options: { devSmsOutbox: boolean },
): Promise<void> {
  await fastify.register(siteRoutes(app));
  await fastify.register(sitePageRoutes(app));
  // Where logins come in; every login page is registered once per door (login/front-door.ts).
  const doors = { standalone: standaloneFrontDoor(app), oidc: oidcFrontDoor(app), saml: samlFrontDoor(app) };
  await fastify.register(loginRoutes(app, [doors.standalone, doors.oidc, doors.saml]));
  await fastify.register(oidcConsentRoutes(app));
  // The same step-up pages inside a service's login and on "Mein Konto".
  for (const scope of [stepUpScopeOf(app, doors.oidc), accountScope(app), stepUpScopeOf(app, doors.saml)]) {
    await fastify.register(stepUpRoutes(app, scope));
  }
  // A level the account cannot reach: why, and the ways there (issue 15, point 6).
  await fastify.register(levelRoutes(app, [doors.oidc, doors.saml]));
  // Each available method's own routes behind the same doors (the eID card's login, registration, recovery, guest).
  const methodDoors = { login: [doors.standalone, doors.oidc, doors.saml], guest: [oidcGuestDoor, samlGuestDoor] };
  for (const method of app.methods.list)
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
  if (!app.config.production && !app.config.smtpUrl)
    await fastify.register((await import('./dev/outbox/mail-page.ts')).devMailRoutes(app));
  if (!app.config.production && options.devSmsOutbox && !app.config.smsGatewayUrl)
    await fastify.register((await import('./dev/outbox/sms-page.ts')).devSmsRoutes(app));
}
