/**
 * Exports `storingRequest` (what registering, linking and refreshing ask
 * the eID-Server for), `boundReading(app, request, form, expected)` and
 * `bindingProblemPage`: the form shown after a reading (register, compare)
 * is sent back with the reading's transaction id and RefreshAddress
 * reference, and counts only in the browser that started the reading.
 *
 * The same rule as the RefreshAddress (routes.ts; TR-03124-1 §2.7): the
 * binding cookie's hash must match, so a form posted from elsewhere (or
 * with someone else's transaction) stores nothing. The reading itself is
 * taken with `transactions.use` inside the caller's database transaction,
 * so it counts once and never after it expired.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { identityOperations, type EidPurpose } from '../read-sets.ts';
import type { UseIdRequest } from '../soap/use-id.ts';
import type { EidReading, EidTransaction } from '../transaction-repository.ts';
import { hashToken, safeEqual } from '../../../platform/crypto/tokens.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { Form } from '../../../platform/http/forms.ts';
import { alert } from '../../../web/components.ts';
import { html, type SafeHtml } from '../../../web/html.ts';
import type { PageContext } from '../../../web/layout.ts';
import { otherBrowserPage } from './page.ts';
import { bindingCookieName } from './routes.ts';

/**
 * Stored data come from a reading at hoch only (they are stored at level 4,
 * TR-03107-1): a Smart-eID the eID-Server rates lower is not offered.
 */
export const storingRequest: UseIdRequest = {
  useOperations: identityOperations,
  levelOfAssurance: 'http://bsi.bund.de/eID/LoA/hoch',
  eidTypes: { CardCertified: 'ALLOWED', SECertified: 'ALLOWED', SEEndorsed: 'ALLOWED' },
};

/** The hidden fields that tie a form to its reading. */
export function readingFields(transaction: EidTransaction, ref: string): SafeHtml {
  return html`<input type="hidden" name="transaction" value="${transaction.id}"><input type="hidden" name="ref" value="${ref}">`;
}

export type BindingProblem = 'expired' | 'other_browser';

export type BoundReading =
  { ok: true; transaction: EidTransaction; reading: EidReading; ref: string } | { ok: false; problem: BindingProblem };

/**
 * The reading a posted form refers to, when it is still there, unused, of
 * the expected flow and started in this browser. Read-only: the caller
 * takes it with `transactions.use` in its own database transaction.
 */
export async function boundReading(
  app: AppContext,
  request: FastifyRequest,
  form: Form,
  expected: { bases: readonly string[]; purposes: readonly EidPurpose[] },
): Promise<BoundReading> {
  const eid = app.eid;
  if (!eid) throw new AppError('not_found');
  const id = form.transaction ?? '';
  const ref = form.ref ?? '';
  if (id === '' || ref === '' || id.length > 100) return { ok: false, problem: 'expired' };
  // byRefreshRef answers only while the transaction lives.
  const transaction = await eid.transactions.byRefreshRef(ref);
  if (
    !transaction ||
    !safeEqual(transaction.id, id) ||
    !expected.bases.includes(transaction.base) ||
    !expected.purposes.includes(transaction.purpose)
  )
    return { ok: false, problem: 'expired' };
  const binding = request.cookies[bindingCookieName(app.config.production)];
  if (!binding || !safeEqual(hashToken(binding), transaction.bindingHash))
    return { ok: false, problem: 'other_browser' };
  if (transaction.state !== 'done' || !transaction.reading) return { ok: false, problem: 'expired' };
  return { ok: true, transaction, reading: transaction.reading, ref };
}

/** What the citizen sees instead: read the card again, or go back to the first browser. */
export function bindingProblemPage(
  p: PageContext,
  problem: BindingProblem,
  restart: string,
): { title: string; body: SafeHtml } {
  if (problem === 'other_browser') return { title: p.t('eid.otherBrowser.title'), body: otherBrowserPage(p) };
  return {
    title: p.t('eid.expired.title'),
    body: html`<h1 class="kern-heading-large">${p.t('eid.expired.title')}</h1>
${alert('danger', p.t('eidAccount.expired.text'))}
<p class="kern-body"><a class="kern-btn kern-btn--primary" href="${restart}"><span class="kern-label">${p.t('eid.retry')}</span></a></p>`,
  };
}
