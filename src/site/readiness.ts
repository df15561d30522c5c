import type { SiteConfig } from '../config/site.ts';
import type { SiteContent } from './content.ts';

/**
 * What stops a production start: the example operator or a `[[…]]` placeholder in a page. A public body's site must
 * name who runs it (§ 5 DDG, § 18 MStV) and whom to tell about barriers (BITV 2.0 § 12a); "Musterland" there would send
 * citizens' complaints and data protection requests nowhere. A warning scrolls past in a log; a refusal, like the one
 * for a missing SMTP_URL, is fixed before the first citizen arrives. Outside production the examples are the defaults.
 */
export function productionGaps(site: SiteConfig, content: SiteContent): string[] {
  const gaps: string[] = [];
  if (site.exampleIdentity) gaps.push('SITE_NAME, SITE_ADDRESS and SITE_EMAIL are required in production');
  const files = [...new Set(content.placeholders.map((p) => p.file))];
  for (const file of files) {
    const left = content.placeholders.filter((p) => p.file === file).map((p) => `[[${p.text}]]`);
    gaps.push(
      `${file} still has ${left.length} placeholder${left.length === 1 ? '' : 's'} to replace: ${left.join(' ')}`,
    );
  }
  return gaps;
}
