import type { MessageId } from '../text/index.ts';

/**
 * The operator's legal and help pages (issue 15 §9), one file each (`<slug>.html`, optionally `<slug>.en.html`),
 * in the order of the footer. Impressum: § 5 DDG and § 18 MStV; Datenschutz: Art. 13 DSGVO; Barrierefreiheit:
 * BITV 2.0 § 12a; Leichte Sprache and Gebärdensprache: BITV 2.0 § 4 with Anlage 2.
 */
export const sitePages = [
  { slug: 'impressum', title: 'site.impressum' },
  { slug: 'datenschutz', title: 'site.datenschutz' },
  { slug: 'nutzungsbedingungen', title: 'site.nutzungsbedingungen' },
  { slug: 'barrierefreiheit', title: 'site.barrierefreiheit' },
  { slug: 'hilfe', title: 'site.hilfe' },
  { slug: 'leichte-sprache', title: 'site.leichteSprache' },
  { slug: 'gebaerdensprache', title: 'site.gebaerdensprache' },
] as const satisfies readonly { slug: string; title: MessageId }[];

export type SitePageSlug = (typeof sitePages)[number]['slug'];

/** Files of SITE_DIR served as they are, under /site/ (site/routes.ts); nothing else there is reachable. */
export const siteMediaFiles = [
  'logo.svg',
  'logo.png',
  'gebaerdensprache.mp4',
  'gebaerdensprache.webm',
  'gebaerdensprache.vtt',
] as const;
