import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { html, type SafeHtml } from './html.ts';

/** Makes the links in a mail's text clickable (escaped like everything else). */
function linkify(text: string): SafeHtml[] {
  return text.split(/(https?:\/\/[^\s<>"]+)/).map((part, i) => (i % 2 === 1 ? html`<a class="kern-link" href="${part}">${part}</a>` : html`${part}`));
}
import { pageContext, sendPage } from './page.ts';

/** Development-only pages (never registered in production, DESIGN.md §6). */
export function devMailRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/dev/mail', async (request, reply) => {
      // Mails leave through jobs, some in two steps (flows/mail-request.ts): deliver what is due first.
      await app.jobs.runDue();
      const p = pageContext(app, request, reply);
      const mails = await app.db.query<{ id: number; recipient: string; subject: string; text_body: string; created_at: Date }>(
        'SELECT id, recipient, subject, text_body, created_at FROM dev_outbox ORDER BY id DESC LIMIT 50',
      );
      const body = html`<h1 class="kern-heading-large">${p.t('dev.mail.title')}</h1>
<p class="kern-body">${p.t('dev.mail.intro')}</p>
${mails.rows.length === 0 ? html`<p class="kern-body">${p.t('dev.mail.empty')}</p>` : ''}
${mails.rows.map(
  (m) => html`<article class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h2 class="kern-title">${m.subject}</h2>
<p class="kern-body kern-body--small">${p.t('dev.mail.to')}: ${m.recipient} · ${new Date(m.created_at).toISOString()}</p></div>
<div class="kern-card__body"><pre class="mail">${linkify(m.text_body)}</pre></div></div></article>`,
)}`;
      return sendPage(reply, p, p.t('dev.mail.title'), body);
    });
  };
}

/** The development SMS sink: what would have gone to phones. */
export function devSmsRoutes(app: AppContext) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/dev/sms', async (request, reply) => {
      const p = pageContext(app, request, reply);
      const messages = await app.db.query<{ recipient: string; body: string; created_at: Date }>('SELECT recipient, body, created_at FROM dev_sms_outbox ORDER BY id DESC LIMIT 50');
      const body = html`<h1 class="kern-heading-large">${p.t('dev.sms.title')}</h1>
<p class="kern-body">${p.t('dev.sms.intro')}</p>
${messages.rows.length === 0 ? html`<p class="kern-body">${p.t('dev.sms.empty')}</p>` : ''}
${messages.rows.map(
  (m) => html`<article class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h2 class="kern-title">${m.recipient}</h2>
<p class="kern-body kern-body--small">${new Date(m.created_at).toISOString()}</p></div>
<div class="kern-card__body"><pre class="mail">${m.body}</pre></div></div></article>`,
)}`;
      return sendPage(reply, p, p.t('dev.sms.title'), body);
    });
  };
}
