import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { perReauthentication } from '../../methods/password/throttle.ts';
import { webauthnForm } from '../../methods/webauthn/page.ts';
import { readForm } from '../../platform/http/forms.ts';
import type { FieldError } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { continueInteraction } from './continue.ts';
import { stepUpContext, type UidRequest } from './context.ts';
import { abortInteraction } from './page.ts';
import { raiseSession } from './raise.ts';


/** A WebAuthn result posted by the page's script: JSON, or nothing usable. */
export function parseCeremonyResponse<T>(value: string | undefined): T | undefined {
  if (!value || value.length > 16_000) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string' ? (parsed as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Step-up with a security key or passkey inside an interaction. */
export function webauthnStepUpRoutes(app: AppContext) {
  const webauthn = app.methods.webauthn;

  const context = (request: UidRequest, reply: FastifyReply) => stepUpContext(app, request, reply);

  async function page(request: UidRequest, reply: FastifyReply, serviceName: string, accountId: string, errors: FieldError[] = []) {
    const p = pageContext(app, request, reply);
    const base = `/interaction/${request.params.uid}`;
    const hasApp = await app.methods.totp.hasConfirmed(app.db, accountId);
    const body = html`<h1 class="kern-heading-large">${p.t('stepUp.title')}</h1>
<p class="kern-body">${p.t('stepUp.why', { service: serviceName })}</p>
${webauthnForm(p, { mode: 'authenticate', action: `${base}/webauthn`, optionsUrl: `${base}/webauthn/options`, label: 'webauthn.use', errors })}
${hasApp ? html`<p class="kern-body"><a class="kern-link" href="${base}/totp">${p.t('webauthn.useApp')}</a></p>` : ''}
${abortInteraction(p, base)}`;
    return sendPage(reply, p, p.t('stepUp.title'), body, errors.length > 0 ? 400 : 200);
  }

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get<{ Params: { uid: string } }>('/interaction/:uid/webauthn', async (request, reply) => {
      const { session, serviceName } = await context(request, reply);
      return page(request, reply, serviceName, session.accountId);
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/webauthn/options', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { session } = await context(request, reply);
      return reply.header('cache-control', 'no-store').send(await webauthn.authenticationOptions(app.db, session.id, session.accountId));
    });

    fastify.post<{ Params: { uid: string } }>('/interaction/:uid/webauthn', async (request, reply) => {
      const form = readForm(request.body);
      app.csrf.verify(request, form._csrf);
      const { details, session, serviceName } = await context(request, reply);
      const key = `webauthn:account:${session.accountId}`;
      await app.loginThrottle.attempt([{ key, policy: perReauthentication }]);
      const response = parseCeremonyResponse<AuthenticationResponseJSON>(form.response);
      const valid = response !== undefined && (await app.db.transaction((tx) => webauthn.authenticate(tx, session.id, session.accountId, response)));
      if (!valid) return page(request, reply, serviceName, session.accountId, [{ field: 'response', message: 'webauthn.invalid' }]);
      await app.loginThrottle.succeeded([key]);
      return continueInteraction(app, request, reply, details, await raiseSession(app, request, reply, session, webauthn.amr));
    });
  };
}
