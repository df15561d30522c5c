import type { AttributeName } from '../identity/attributes.ts';
import type { Language as Lang } from '../text/types.ts';
import { nationalityWords } from './nationalities.ts';

/**
 * Data shown in people's format, not in the stored one (issue 15 point 4):
 * dates as 12.08.1964, countries and nationalities as words. The stored
 * values stay ISO 8601 and ISO 3166-1 alpha-2, which the protocols send.
 */

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO date (1964-08-12) as people write it: 12.08.1964, or 12/08/1964 in English (en-GB). */
export function formatDate(value: string, lang: Lang): string {
  const match = isoDate.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  return lang === 'de' ? `${day}.${month}.${year}` : `${day}/${month}/${year}`;
}

/**
 * Codes ICU still names but that are no country of ISO 3166-1 today:
 * withdrawn codes (DD, SU, YU …), exceptional reservations (AC, EU, UN …)
 * and test regions. Kosovo (XK) stays: the EU and Germany use it.
 */
const notCountries = new Set(
  'AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB YD YU ZR ZZ'.split(' '),
);

/**
 * Made on first use, not at start: Intl's names come from ICU's data in the node binary, and reading them makes
 * some 5 MB of its pages resident, which an idle server does not need (issue 16 §4: idle RSS ≤ 120 MB).
 */
let namesOfRegions: Record<Lang, Intl.DisplayNames> | undefined;

function regionNames(): Record<Lang, Intl.DisplayNames> {
  namesOfRegions ??= {
    de: new Intl.DisplayNames(['de'], { type: 'region' }),
    en: new Intl.DisplayNames(['en'], { type: 'region' }),
  };
  return namesOfRegions;
}

function allCountryCodes(): string[] {
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (!notCountries.has(code) && regionNames().en.of(code) !== code) codes.push(code);
    }
  return codes;
}

let countryList: readonly string[] | undefined;
let countrySet: ReadonlySet<string> | undefined;

/** Every country a citizen can choose, as ISO 3166-1 alpha-2 codes. */
export function countryCodes(): readonly string[] {
  countryList ??= allCountryCodes();
  return countryList;
}

export function isCountryCode(value: string): boolean {
  countrySet ??= new Set(countryCodes());
  return countrySet.has(value);
}

/** A country code as its name ("Deutschland"); anything else unchanged. */
export function countryName(code: string, lang: Lang): string {
  return isCountryCode(code) ? (regionNames()[lang].of(code) ?? code) : code;
}

/**
 * A nationality code as its adjective ("deutsch", web/nationalities.ts). A
 * stored code of no state in the table (typed in before the list was
 * restricted to states) reads as its country; anything else unchanged.
 */
export function nationalityName(code: string, lang: Lang): string {
  return nationalityWords[code]?.[lang] ?? countryName(code, lang);
}

/** An identity attribute's value as the citizen reads it. */
export function displayValue(name: AttributeName, value: string, lang: Lang): string {
  switch (name) {
    case 'birthdate':
      return formatDate(value, lang);
    case 'country':
      return countryName(value, lang);
    case 'nationality':
      return nationalityName(value, lang);
    default:
      return value;
  }
}

/** A point in time as its day, in the same format as dates of birth (12.08.2024). */
export function formatDay(date: Date, lang: Lang): string {
  return formatDate(date.toISOString().slice(0, 10), lang);
}

/**
 * A date as people type it (12.08.1964, 12.8.1964) or as a date field sends
 * it (1964-08-12), as ISO 8601; undefined when neither or no such day.
 */
export function parseDate(value: string): string | undefined {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  const [, day = '', month = '', year = ''] = german ?? [];
  const iso = german ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : value.trim();
  if (!isoDate.test(iso)) return undefined;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

/** The countries as options for a select list, sorted by their name in the citizen's language. */
export function countryOptions(lang: Lang): { value: string; label: string }[] {
  const collator = new Intl.Collator(lang);
  return countryCodes()
    .map((code) => ({ value: code, label: countryName(code, lang) }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/**
 * The nationalities as options: "deutsch" first (most citizens), then the rest
 * by their adjective. A stored value that is no longer offered (a territory
 * chosen before) stays as an option, so saving the form does not drop it.
 */
export function nationalityOptions(lang: Lang, current = ''): { value: string; label: string }[] {
  const collator = new Intl.Collator(lang);
  const kept = isCountryCode(current) && !Object.hasOwn(nationalityWords, current) ? [current] : [];
  const rest = [...Object.keys(nationalityWords), ...kept]
    .filter((code) => code !== 'DE')
    .map((code) => ({ value: code, label: nationalityName(code, lang) }))
    .sort((a, b) => collator.compare(a.label, b.label));
  return [{ value: 'DE', label: nationalityName('DE', lang) }, ...rest];
}

const waitUnits = {
  de: { second: ['Sekunde', 'Sekunden'], minute: ['Minute', 'Minuten'], hour: ['Stunde', 'Stunden'] },
  en: { second: ['second', 'seconds'], minute: ['minute', 'minutes'], hour: ['hour', 'hours'] },
} as const;

/**
 * How long to wait, as people say it: "1 Sekunde", "45 Sekunden", "15 Minuten", "2 Stunden" (never "1 Sekunden" or
 * "3412 Sekunden"). Rounded up, so the citizen who waits as long as told is let in.
 */
export function formatWait(seconds: number, lang: Lang): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const [count, unit] =
    whole < 60
      ? [whole, 'second' as const]
      : whole <= 90 * 60
        ? [Math.ceil(whole / 60), 'minute' as const]
        : [Math.ceil(whole / 3600), 'hour' as const];
  const [one, many] = waitUnits[lang][unit];
  return `${count} ${count === 1 ? one : many}`;
}
