import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { cookieOptions } from '../../platform/http/cookies.ts';
import { checkFields, readForm, readQuery } from '../../platform/http/forms.ts';
import { alert } from '../../web/components.ts';
import { html } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { emailLinks, linkLifetimeSeconds } from '../email-links.ts';
import { mailRequest } from '../mail-request.ts';
import { blockMeans } from '../settings/block.ts';
import { listMeans } from '../settings/means.ts';
import { lostChoosePage, lostRequestPage } from './page.ts';

/**
 * Blocking a lost means without using it, through a link sent by e-mail
 * (TR-03160-1). Asking for the link never reveals whether an account
 * exists; the link lives 24 hours and works once.
 */
export function lostMeansRoutes(app: AppContext) {
  const links = emailLinks(app.clock);
  // Looked up and mailed in a job, so the form answers alike for every identifier (mail-request.ts).
  const requestLink = mailRequest(app, 'block_means', async (tx, identifier) => {
    const account = await app.repos(tx).accounts.byLogin(identifier);
    if (!account) return;
    const token = await links.issue(tx, account.id, 'block_means');
    await app.mailer.queue(tx, {
      to: account.email,
      lang: account.language,
      template: 'lost',
      params: { username: account.username, hours: linkLifetimeSeconds.block_means / 3600 },
      link: `${app.config.publicUrl}/means/block?token=${token}`,
    });
    await app.audit.record(tx, {
      actor: 'anonymous',
      action: 'means.block_link_requested',
      subject: `account:${account.id}`,
      outcome: 'success',
    });
  });
  const blockable = async (accountId: string) =>
    (await listMeans(app, accountId)).filter((m) => m.factor === 'second' && m.blockedAt === null);

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/means/lost', async (request, reply) => {
      const p = pageContext(app, request, reply);
      return sendPage(reply, p, p.t('lost.title'), lostRequestPage(p, { eid: app.eid !== undefined }));
    });

    fastify.post('/means/lost', async (request, reply) => {
      const form = readForm(request.body);
      const { values, errors } = checkFields(form, [{ name: 'identifier', max: 320, required: true }]);
      const identifier = values.identifier ?? '';
      const p = pageContext(app, request, reply);
      if (errors.length > 0)
        return sendPage(
          reply,
          p,
          p.t('lost.title'),
          lostRequestPage(p, { value: identifier, errors, eid: app.eid !== undefined }),
          400,
        );
      await app.rateLimiter.hit(`mail:ip:${request.ip}`, 10, 3600);
      await app.rateLimiter.hit(`mail:lost:${identifier.toLowerCase()}`, 3, 3600);
      await requestLink(identifier);
      return sendPage(reply, p, p.t('lost.title'), lostRequestPage(p, { sent: true, eid: app.eid !== undefined }));
    });

    fastify.get('/means/block', async (request, reply) => {
      const token = readQuery(request.query).token;
      const link = await links.peek(app.db, token, 'block_means');
      const p = pageContext(app, request, reply);
      return sendPage(
        reply,
        p,
        p.t('lost.chooseTitle'),
        lostChoosePage(p, { token: token ?? '', means: await blockable(link.accountId) }),
      );
    });

    fastify.post('/means/block', async (request, reply) => {
      const form = readForm(request.body);
      const link = await links.peek(app.db, form.token, 'block_means');
      const means = await blockable(link.accountId);
      const chosen = means.filter((m) => form[`block_${m.id}`] === 'on').map((m) => m.id);
      const p = pageContext(app, request, reply);
      if (chosen.length === 0)
        return sendPage(
          reply,
          p,
          p.t('lost.chooseTitle'),
          lostChoosePage(p, {
            token: form.token ?? '',
            means,
            errors: [{ field: 'means', message: 'lost.nothingChosen' }],
          }),
          400,
        );
      // The link is used up first: a second submit of the same form blocks nothing more.
      await app.db.transaction((tx) => links.consume(tx, form.token, 'block_means'));
      await blockMeans(app, {
        accountId: link.accountId,
        meansIds: chosen,
        keepSessionId: undefined,
        byEmailLink: true,
      });
      // Whoever holds the device may be logged in anywhere, this browser included.
      if (request.sso) reply.clearCookie(app.cookies.session, cookieOptions(app.config.production));
      return sendPage(
        reply,
        p,
        p.t('lost.chooseTitle'),
        html`<h1 class="kern-heading-large">${p.t('lost.chooseTitle')}</h1>${alert('success', p.t('lost.done'))}<p><a class="kern-btn kern-btn--primary" href="/login"><span class="kern-label">${p.t('login.title')}</span></a></p>`,
      );
    });
  };
}
