import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { useDevTexts } from '../text.ts';
import { mailOutbox, type OutboxMail } from './mail-outbox-repository.ts';

/** Makes the links in a mail's text clickable (escaped like everything else). */
function linkify(text: string): SafeHtml[] {
  return text
    .split(/(https?:\/\/[^\s<>"]+)/)
    .map((part, i) => (i % 2 === 1 ? html`<a class="kern-link" href="${part}">${part}</a>` : html`${part}`));
}

function mailCard(p: PageContext, m: OutboxMail): SafeHtml {
  return html`<article class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h2 class="kern-title">${m.subject}</h2>
<p class="kern-body kern-body--small">${p.t('dev.mail.to')}: ${m.recipient} · ${new Date(m.created_at).toISOString()}</p></div>
<div class="kern-card__body"><pre class="mail">${linkify(m.text_body)}</pre></div></div></article>`;
}

/** The development outbox page (never registered in production, DESIGN.md §6). */
export function devMailRoutes(app: AppContext) {
  useDevTexts();
  const outbox = mailOutbox(app.db);
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/dev/mail', async (request, reply) => {
      // Mails leave through jobs, some in two steps (flows/mail-request.ts): deliver what is due first.
      await app.jobs.runDue();
      const p = pageContext(app, request, reply);
      const mails = await outbox.recent();
      const body = html`<h1 class="kern-heading-large">${p.t('dev.mail.title')}</h1>
<p class="kern-body">${p.t('dev.mail.intro')}</p>
${mails.length === 0 ? html`<p class="kern-body">${p.t('dev.mail.empty')}</p>` : ''}
${mails.map((m) => mailCard(p, m))}`;
      return sendPage(reply, p, p.t('dev.mail.title'), body);
    });
  };
}
