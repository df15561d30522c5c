import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/http/errors.ts';
import { readForm } from '../../platform/http/forms.ts';
import { requiredSession } from '../../platform/http/route-options.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { codesFile, printPage, type CodesSheet } from './keep-page.ts';

/**
 * Keeping the codes shown once (issue 15, point 8): as a text file and as a print view, wherever they were shown (the
 * app's set-up in a login, or "Mein Konto"). The codes come back with the form; they are given back only while they
 * are all unused codes of the session's account, so nothing else can be echoed as a file.
 */
export function recoveryKeepRoutes(app: AppContext) {
  const { recovery } = app.methods;

  async function sheetOf(request: FastifyRequest): Promise<CodesSheet> {
    const session = requiredSession(request);
    const codes = (readForm(request.body).codes ?? '').split(' ').slice(0, 20);
    const account = await app.accounts.byId(session.accountId);
    if (!account || !(await recovery.allUnused(app.db, session.accountId, codes))) throw new AppError('not_found');
    return { username: account.username, date: app.clock.now(), codes };
  }

  // Secrets: never kept by a cache or the browser's history (RFC 9111 §5.2.2.5).
  const private_ = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.post('/recovery-codes/download', { config: { session: 'required' } }, async (request, reply) => {
      const sheet = await sheetOf(request);
      const p = pageContext(app, request, reply);
      // RFC 6266: an attachment with a plain ASCII file name.
      return private_(reply)
        .header('content-type', 'text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${p.t('recovery.fileName')}"`)
        .send(codesFile(p.t, p.lang, sheet));
    });

    fastify.post('/recovery-codes/print', { config: { session: 'required' } }, async (request, reply) => {
      const sheet = await sheetOf(request);
      const p = pageContext(app, request, reply);
      return sendPage(private_(reply), p, p.t('recovery.printTitle'), printPage(p, sheet));
    });
  };
}
