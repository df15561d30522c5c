import type { Account } from '../../identity/account-repository.ts';
import { alert, errorSummary, type FieldError } from '../../web/components.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';
import type { Notice } from './notice.ts';
import { sectionNav, sectionOf, type SectionId } from './sections.ts';

/** What every section page may carry besides its own content. */
export interface SectionMessages {
  notice?: Notice;
  errors?: FieldError[];
}

/**
 * One page of "Mein Konto": its heading, the navigation between the
 * sections, the notice or the error summary (first, so focus and screen
 * readers meet it, GOV.UK / KERN pattern), then the section's content.
 */
export function sectionFrame(p: PageContext, id: SectionId, o: SectionMessages, body: SafeHtml): SafeHtml {
  const { t } = p;
  const heading = id === 'overview' ? t('account.title') : t(sectionOf(id).title);
  return html`<h1 class="kern-heading-large">${heading}</h1>
${sectionNav(p, id)}
${o.notice ? alert(o.notice.kind, o.notice.text) : ''}
${errorSummary(t, o.errors ?? [])}
${body}`;
}

/** The page title of a section: "Persönliche Daten – Mein Konto". */
export function sectionTitle(p: PageContext, id: SectionId): string {
  return id === 'overview' ? p.t('account.title') : `${p.t(sectionOf(id).title)} – ${p.t('account.title')}`;
}

/**
 * "Mein Konto" for a session that used only the password on an account
 * with a second factor (issue 13, point 2): who is logged in, why nothing
 * more shows, the way to confirm (back here afterwards), and the way to
 * block a lost second factor.
 */
export function accountOverview(p: PageContext, o: { account: Account; notice?: Notice | undefined }): SafeHtml {
  const { t } = p;
  return html`<h1 class="kern-heading-large">${t('account.title')}</h1>
<p class="kern-body">${t('account.welcomeShort', { username: o.account.username })}</p>
${o.notice ? alert(o.notice.kind, o.notice.text) : ''}
<section aria-labelledby="account-confirm" class="stack" id="account-confirm-section">
<h2 class="kern-heading-medium" id="account-confirm">${t('account.confirm.title')}</h2>
<p class="kern-body">${t('account.confirm.intro')}</p>
<p><a class="kern-btn kern-btn--primary" href="/account/confirm?return=/account"><span class="kern-label">${t('means.confirm')}</span></a></p>
<p class="kern-body"><a class="kern-link" href="/means/lost">${t('means.lostLink')}</a></p>
</section>`;
}

/** Dates on "Mein Konto": 12. August 1964 / 12 August 1964. */
export const longDate = (p: PageContext) => (d: Date) =>
  new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(d);

/** A date with its time, for sessions and logins: 12.08.2026, 14:05. */
export const dateTime = (p: PageContext) => (d: Date) =>
  new Intl.DateTimeFormat(p.lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Berlin',
  }).format(d);
