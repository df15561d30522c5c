import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { useDevTexts } from '../text.ts';
import { smsOutbox, type OutboxSms } from './sms-outbox-repository.ts';

function smsCard(m: OutboxSms): SafeHtml {
  return html`<article class="kern-card"><div class="kern-card__container"><div class="kern-card__header"><h2 class="kern-title">${m.recipient}</h2>
<p class="kern-body kern-body--small">${new Date(m.created_at).toISOString()}</p></div>
<div class="kern-card__body"><pre class="mail">${m.body}</pre></div></div></article>`;
}

/** The development SMS sink page: what would have gone to phones (never registered in production, DESIGN.md §6). */
export function devSmsRoutes(app: AppContext) {
  useDevTexts();
  const outbox = smsOutbox(app.db);
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/dev/sms', async (request, reply) => {
      const p = pageContext(app, request, reply);
      const messages = await outbox.recent();
      const body = html`<h1 class="kern-heading-large">${p.t('dev.sms.title')}</h1>
<p class="kern-body">${p.t('dev.sms.intro')}</p>
${messages.length === 0 ? html`<p class="kern-body">${p.t('dev.sms.empty')}</p>` : ''}
${messages.map(smsCard)}`;
      return sendPage(reply, p, p.t('dev.sms.title'), body);
    });
  };
}
