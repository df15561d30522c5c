import { contrastRatio } from './contrast.ts';
import { ConfigError } from './error.ts';

/** The operator's identity on every page (issue 15 §9): name, contact, colour, and the folder of its pages. */
export interface SiteConfig {
  /** The state or municipality that runs the Servicekonto, e.g. "Freie Hansestadt Bremen". */
  name: string;
  /** Its postal address, one entry per line. */
  address: readonly string[];
  /** Contact mail address: Impressum, feedback on accessibility (BITV 2.0 § 12a). */
  email: string;
  /** KERN's primary (action) colour as #rrggbb; undefined keeps KERN's dark blue. */
  primaryColor: string | undefined;
  /** Folder with the operator's pages, logo and sign-language video; undefined: the examples shipped in src/site. */
  dir: string | undefined;
  /** Any of name, address and e-mail still the example (a production start refuses that: site/readiness.ts). */
  exampleIdentity: boolean;
}

type Env = Record<string, string | undefined>;

export const exampleSite = {
  name: 'Musterland',
  address: ['Ministerium für Digitales des Landes Musterland', 'Musterstraße 1', '12345 Musterstadt'],
  email: 'servicekonto@musterland.example',
} as const;

/**
 * The two backgrounds KERN puts links and buttons on in its light theme: white and the contextual surface
 * (`--kern-color-layout-layer-surface-contextual`, #F3F4F7). Text in the primary colour and white text on it
 * (buttons) both need 4.5:1 there (WCAG 2.1 1.4.3).
 */
const backgrounds = ['#ffffff', '#f3f4f7'] as const;
const minimumContrast = 4.5;

function readColor(env: Env): string | undefined {
  const raw = env.SITE_COLOR;
  if (raw === undefined || raw === '') return undefined;
  if (!/^#[0-9a-fA-F]{6}$/.test(raw)) throw new ConfigError('SITE_COLOR', `expected a colour as #rrggbb, got "${raw}"`);
  const color = raw.toLowerCase();
  const weakest = Math.min(...backgrounds.map((background) => contrastRatio(color, background)));
  if (weakest < minimumContrast)
    throw new ConfigError(
      'SITE_COLOR',
      `${color} has a contrast of ${weakest.toFixed(2)}:1 against KERN's light backgrounds; links and white button text need at least ${minimumContrast}:1 (WCAG 2.1 1.4.3): choose a darker colour`,
    );
  return color;
}

function readLine(env: Env, name: string, max: number): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > max || /[\r\n\0]/.test(raw))
    throw new ConfigError(name, `must be one line of at most ${max} characters`);
  return raw;
}

/** Reads the SITE_* settings; the pages themselves are read at start by site/content.ts. */
export function readSite(env: Env, warnings: string[]): SiteConfig {
  const name = readLine(env, 'SITE_NAME', 100);
  const address = readLine(env, 'SITE_ADDRESS', 300)
    ?.split(';')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const email = readLine(env, 'SITE_EMAIL', 200);
  if (email !== undefined && !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(email))
    throw new ConfigError('SITE_EMAIL', `expected a mail address, got "${email}"`);
  const dir = readLine(env, 'SITE_DIR', 1000);
  const exampleIdentity = name === undefined || address === undefined || email === undefined;
  if (exampleIdentity)
    warnings.push(
      'SITE_NAME, SITE_ADDRESS or SITE_EMAIL is unset; the pages show the example operator "Musterland" (not in production).',
    );
  if (dir === undefined)
    warnings.push('SITE_DIR is unset; Impressum, Datenschutz and the other legal pages are the shipped examples.');
  return {
    name: name ?? exampleSite.name,
    address: address ?? exampleSite.address,
    email: email ?? exampleSite.email,
    primaryColor: readColor(env),
    dir,
    exampleIdentity,
  };
}
