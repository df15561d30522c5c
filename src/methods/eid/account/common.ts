import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { MessageId } from '../../../text/index.ts';
import type { SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import { pageContext, sendPage } from '../../../web/page.ts';
import type { EidService } from '../service.ts';
import type { AccountPurpose } from './decide.ts';

/** Where each purpose's pages live on "Mein Konto". */
export const accountBases: Record<AccountPurpose, string> = { link: '/account', refresh: '/account/refresh' };

export function eidService(app: AppContext): EidService {
  if (!app.eid) throw new AppError('not_found');
  return app.eid;
}

/** Sends a page whose title is a message id. */
export function sendTitled(
  app: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  title: MessageId,
  body: (p: PageContext) => SafeHtml,
  status = 200,
): FastifyReply {
  const p = pageContext(app, request, reply);
  return sendPage(reply, p, p.t(title), body(p), status);
}
