import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { pendingMigrations } from '../platform/db/migrate.ts';
import { cookieOptions } from '../platform/http/cookies.ts';
import { html } from './html.ts';
import { alert } from './components.ts';
import { readQuery } from '../platform/http/forms.ts';
import { providerCookieNames } from '../oidc/cookies.ts';
import { pageContext, sendPage } from './page.ts';
import { endInBrowser } from '../session/end-in-browser.ts';
import { logoutIntentCookie, logoutIntentPath, logoutIntentSeconds } from '../session/logout-intent.ts';

/** Start page, language switch, logout and health endpoints. */
export function siteRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/', async (request, reply) => {
      const p = pageContext(app, request, reply);
      const services = (await app.services.list()).filter((s) => s.protocol === 'oidc');
      const account = request.sso ? await app.accounts.byId(request.sso.accountId) : undefined;
      const body = html`<h1 class="kern-heading-x-large">${p.t('home.title')}</h1>
<p class="kern-body kern-body--large">${p.t('home.intro')}</p>
${
  account
    ? html`<p class="kern-body">${p.t('home.loggedInAs', { username: account.username })} <a class="kern-link" href="/account">${p.t('nav.account')}</a></p>`
    : html`<div class="actions"><a class="kern-btn kern-btn--primary" href="/login"><span class="kern-label">${p.t('nav.login')}</span></a><a class="kern-btn kern-btn--secondary" href="/register"><span class="kern-label">${p.t('nav.register')}</span></a></div>`
}
<h2 class="kern-heading-medium">${p.t('home.pointsTitle')}</h2>
<ul class="kern-list kern-list--bullet">
<li>${p.t('home.point1')}</li>
<li>${p.t('home.point2')}</li>
<li>${p.t('home.point3')}</li>
</ul>
<h2 class="kern-heading-medium">${p.t('home.services')}</h2>
${
  services.length === 0
    ? html`<p class="kern-body">${p.t('home.noServices')}</p>`
    : html`<ul class="kern-list">${services.map((s) => {
        const home = s.config.client_uri ? String(s.config.client_uri) : undefined;
        return html`<li>${home && /^https?:\/\//.test(home) ? html`<a class="kern-link" href="${home}">${s.displayName}</a>` : s.displayName}</li>`;
      })}</ul>`
}`;
      return sendPage(reply, p, p.t('home.title'), body);
    });

    fastify.get('/language', async (request, reply) => {
      const query = readQuery(request.query);
      const lang = query.lang === 'en' ? 'en' : 'de';
      reply.setCookie(app.cookies.lang, lang, cookieOptions(app.config.production, 365 * 24 * 3600));
      if (request.sso) await app.accounts.setLanguage(request.sso.accountId, lang);
      // Only a local path is a target (no open redirect): one leading slash, no scheme, no backslash; and only
      // printable ASCII, since a Location header may carry nothing else (RFC 9110 §5.5: NUL, DEL and controls
      // made Node throw, a 500; issue 13 §11).
      const target =
        query.return && /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/.test(query.return) && query.return.length <= 500
          ? query.return
          : '/';
      return reply.redirect(target, 303);
    });

    const logoutDone = (request: FastifyRequest, reply: FastifyReply) => {
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('logout.doneTitle'),
        html`<h1 class="kern-heading-large">${p.t('logout.doneTitle')}</h1>
${alert('success', p.t('logout.done'))}
<p class="kern-body"><a class="kern-link" href="/">${p.t('error.toHome')}</a></p>`,
      );
    };

    // With a provider session, logging out goes through the provider's
    // end-session confirmation, so every service is told (back-channel
    // logout) and our SSO session ends with it. Without one, it ends here.
    fastify.post('/logout', async (request, reply) => {
      if (request.cookies[providerCookieNames(app.config.production).session]) {
        reply.setCookie(logoutIntentCookie, '1', {
          ...cookieOptions(app.config.production, logoutIntentSeconds),
          path: logoutIntentPath,
        });
        return reply.redirect('/oidc/session/end', 303);
      }
      const token = request.cookies[app.cookies.session];
      const session = request.sso;
      // The services of this session hear of it (session/end-in-browser.ts).
      const walk = await endInBrowser(app, token, session, '/logout/done');
      reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
      request.sso = undefined;
      if (walk) return reply.redirect(walk, 303);
      // Post/redirect/get: a reload of the logged-out page asks no "send the form again?" (issue 15, point 1).
      return reply.redirect('/logout/done', 303);
    });

    fastify.get('/logout/done', (request, reply) => logoutDone(request, reply));

    // Browsers ask for /favicon.ico on their own, also for pages without our <link rel="icon">.
    fastify.get('/favicon.ico', (_request, reply) => reply.redirect('/static/favicon.svg', 301));

    fastify.get('/healthz', async () => ({ status: 'ok' }));

    fastify.get('/readyz', async (_request, reply) => {
      try {
        const pending = await pendingMigrations(app.db);
        if (pending.length > 0) return reply.code(503).send({ status: 'migrations pending', pending });
        return { status: 'ready', database: app.db.kind };
      } catch {
        return reply.code(503).send({ status: 'database unreachable' });
      }
    });
  };
}
