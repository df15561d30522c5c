/**
 * Exports `accountSections`, `sectionPath` and `sectionNav`: the pages of
 * "Mein Konto" (issue 15, point 2), each with one purpose, as BundID and
 * Keycloak's account console do, and the navigation between them: a
 * landmark of its own with the current page marked (WCAG 2.4.8, 1.3.1:
 * `aria-current="page"`, not colour alone).
 */
import type { MessageId } from '../../text/index.ts';
import { html, type SafeHtml } from '../../web/html.ts';
import type { PageContext } from '../../web/layout.ts';

export type SectionId = 'overview' | 'profile' | 'security' | 'sessions' | 'services' | 'postbox' | 'data';

export interface AccountSection {
  id: SectionId;
  path: string;
  title: MessageId;
  /** What the overview says the page is for; none for the overview itself. */
  summary?: MessageId;
  /** Listed in the navigation: the postbox (DESIGN.md §2) keeps its place until it exists. */
  shown: boolean;
}

export const accountSections: readonly AccountSection[] = [
  { id: 'overview', path: '/account', title: 'accountArea.nav.overview', shown: true },
  {
    id: 'profile',
    path: '/account/profile',
    title: 'accountArea.nav.profile',
    summary: 'accountArea.overview.profile',
    shown: true,
  },
  {
    id: 'security',
    path: '/account/security',
    title: 'accountArea.nav.security',
    summary: 'accountArea.overview.security',
    shown: true,
  },
  {
    id: 'sessions',
    path: '/account/sessions',
    title: 'accountArea.nav.sessions',
    summary: 'accountArea.overview.sessions',
    shown: true,
  },
  {
    id: 'services',
    path: '/account/services',
    title: 'accountArea.nav.services',
    summary: 'accountArea.overview.services',
    shown: true,
  },
  { id: 'postbox', path: '/account/postbox', title: 'accountArea.nav.postbox', shown: false },
  {
    id: 'data',
    path: '/account/data',
    title: 'accountArea.nav.data',
    summary: 'accountArea.overview.data',
    shown: true,
  },
];

const byId = new Map(accountSections.map((s) => [s.id, s]));

export function sectionOf(id: SectionId): AccountSection {
  const section = byId.get(id);
  if (!section) throw new Error(`no section ${id}`);
  return section;
}

export const sectionPath = (id: SectionId): string => sectionOf(id).path;

/** The sections the navigation lists. */
export const shownSections = (): AccountSection[] => accountSections.filter((s) => s.shown);

/** The navigation between the sections, the current one marked for every user. */
export function sectionNav(p: PageContext, current: SectionId): SafeHtml {
  const { t } = p;
  return html`<nav class="account-nav" aria-label="${t('accountArea.nav.label')}"><ul class="account-nav__list">${shownSections().map(
    (s) =>
      html`<li><a class="kern-link account-nav__link" href="${s.path}"${s.id === current ? html` aria-current="page"` : ''}>${t(s.title)}</a></li>`,
  )}</ul></nav>`;
}
