/**
 * Exports `deviceOf(userAgent)`: the browser and system of a login in two
 * words ("firefox windows"), for the list of active sessions on "Mein
 * Konto" (issue 15, point 2). Only these words are stored, never the
 * User-Agent header itself (DESIGN.md §7, data minimisation); the page
 * turns them into plain language ("Firefox unter Windows").
 */

export const browsers = ['edge', 'opera', 'samsung', 'firefox', 'chrome', 'safari', 'other'] as const;
export const systems = ['windows', 'android', 'ios', 'macos', 'chromeos', 'linux', 'other'] as const;
export type Browser = (typeof browsers)[number];
export type OperatingSystem = (typeof systems)[number];

// Order matters: Edge, Opera and Samsung Internet also say "Chrome", and Chrome also says "Safari".
const browserRules: [RegExp, Browser][] = [
  [/\bEdg(e|A|iOS)?\//, 'edge'],
  [/\b(OPR|Opera)\//, 'opera'],
  [/\bSamsungBrowser\//, 'samsung'],
  [/\b(Firefox|FxiOS)\//, 'firefox'],
  [/\b(Chrome|CriOS|Chromium|HeadlessChrome)\//, 'chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'safari'],
];
// iPhones and iPads say "like Mac OS X", Android says "Linux": the specific ones first.
const systemRules: [RegExp, OperatingSystem][] = [
  [/\bWindows\b/, 'windows'],
  [/\bAndroid\b/, 'android'],
  [/\b(iPhone|iPad|iPod)\b/, 'ios'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macos'],
  [/\bCrOS\b/, 'chromeos'],
  [/\bLinux\b/, 'linux'],
];

export function deviceOf(userAgent: string | undefined): string {
  const ua = (userAgent ?? '').slice(0, 500);
  const browser = browserRules.find(([rule]) => rule.test(ua))?.[1] ?? 'other';
  const system = systemRules.find(([rule]) => rule.test(ua))?.[1] ?? 'other';
  return `${browser} ${system}`;
}

/** The two words back, each known or `other` (a stored value is never trusted to be one of ours). */
export function readDevice(stored: string): { browser: Browser; system: OperatingSystem } | undefined {
  const [browser, system] = stored.split(' ');
  if (!browser || !system) return undefined;
  return {
    browser: (browsers as readonly string[]).includes(browser) ? (browser as Browser) : 'other',
    system: (systems as readonly string[]).includes(system) ? (system as OperatingSystem) : 'other',
  };
}
