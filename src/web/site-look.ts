import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteConfig } from '../config/site.ts';

/** What the page frame shows of the operator (issue 15 §9): name, logo, contact, colour. */
export interface SiteLook {
  name: string;
  address: readonly string[];
  email: string;
  /** The operator's logo under /site/, if SITE_DIR has one. */
  logoHref: string | undefined;
  /** The stylesheet with the operator's KERN colour, its colour in the query so that a change is fetched anew. */
  themeHref: string | undefined;
}

const looks = new WeakMap<SiteConfig, SiteLook>();

/** Worked out once per configuration: the logo's presence is read from SITE_DIR at the first page. */
export function siteLook(site: SiteConfig): SiteLook {
  const known = looks.get(site);
  if (known) return known;
  const logo = site.dir
    ? ['logo.svg', 'logo.png'].find((name) => existsSync(join(site.dir as string, name)))
    : undefined;
  const look: SiteLook = {
    name: site.name,
    address: site.address,
    email: site.email,
    logoHref: logo ? `/site/${logo}` : undefined,
    themeHref: site.primaryColor ? `/site/theme.css?v=${site.primaryColor.slice(1)}` : undefined,
  };
  looks.set(site, look);
  return look;
}
