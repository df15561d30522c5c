import { assetUrl } from '../../web/assets/catalogue.ts';
import type { Translate } from '../../text/index.ts';
import { button, csrfField } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

/** The codes as one form value, in the order shown. */
const codesField = (codes: readonly string[]) => html`<input type="hidden" name="codes" value="${codes.join(' ')}">`;

/**
 * Below the codes shown once: keep them as a text file or on paper. Plain forms (no script; the page is the answer to
 * a POST and cannot be fetched again), the print view in a new window so this page with its way on stays open.
 */
export function keepCodesForms(p: PageContext, codes: readonly string[]): SafeHtml {
  return html`<h2 class="kern-heading-small no-print" id="keep-codes">${p.t('recovery.keepTitle')}</h2>
<div class="keep-codes no-print" role="group" aria-labelledby="keep-codes">
<form method="post" action="/recovery-codes/download">${csrfField(p.csrfToken)}${codesField(codes)}${button(p.t('recovery.download'), 'secondary')}</form>
<form method="post" action="/recovery-codes/print" target="_blank">${csrfField(p.csrfToken)}${codesField(codes)}${button(p.t('recovery.print'), 'secondary')}</form>
</div>`;
}

/** When and for whom, in the citizen's format (12.08.1964). */
export interface CodesSheet {
  username: string;
  date: Date;
  codes: readonly string[];
}

const dateOf = (lang: string, d: Date) =>
  new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'Europe/Berlin' }).format(
    d,
  );

/** The print view: the codes, for whom and when; on paper nothing of the site around them (app.css @media print). */
export function printPage(p: PageContext, sheet: CodesSheet): SafeHtml {
  return html`<h1 class="kern-heading-large">${p.t('recovery.fileHeading')}</h1>
<p class="kern-body">${p.t('recovery.fileAccount', { username: sheet.username })}<br>${p.t('recovery.fileDate', { date: dateOf(p.lang, sheet.date) })}</p>
<ol class="kern-list kern-list--number recovery-codes">${sheet.codes.map((code) => html`<li><code>${code}</code></li>`)}</ol>
<p class="kern-body">${p.t('recovery.fileIntro')}</p>
<p class="kern-body no-print">${p.t('recovery.printHint')}</p>
<p class="no-print"><button class="kern-btn kern-btn--primary" type="button" data-print hidden><span class="kern-label">${p.t('recovery.printNow')}</span></button></p>
<script src="${assetUrl('print.js')}"></script>`;
}

/** The same as a text file: CRLF line ends, which every editor on every system shows as lines. */
export function codesFile(t: Translate, lang: string, sheet: CodesSheet): string {
  return [
    t('recovery.fileHeading'),
    '',
    t('recovery.fileAccount', { username: sheet.username }),
    t('recovery.fileDate', { date: dateOf(lang, sheet.date) }),
    '',
    ...sheet.codes.map((code, i) => `${String(i + 1).padStart(2, ' ')}. ${code}`),
    '',
    t('recovery.fileIntro'),
    '',
  ].join('\r\n');
}
