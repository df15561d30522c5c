import { account } from './account.ts';
import { accountLock } from './account-lock.ts';
import { accountArea } from './account-area.ts';
import { auth } from './auth.ts';
import { common } from './common.ts';
import { consent } from './consent.ts';
import { errors } from './errors.ts';
import { forms } from './forms.ts';
import { mail } from './mail.ts';
import { secondFactor } from './second-factor.ts';
import { sms } from './sms.ts';
import { recoveryKeep } from './recovery-keep.ts';
import { passkey } from './passkey.ts';
import { means } from './means.ts';
import { eid } from './eid.ts';
import { eidAccount } from './eid-account.ts';
import { eidGuest } from './eid-guest.ts';
import { eidRecovery } from './eid-recovery.ts';
import { eidReauth } from './eid-reauth.ts';
import { inactivity } from './inactivity.ts';
import { site } from './site.ts';
import { level } from './level.ts';
import { registration } from './registration.ts';
import type { Language, Messages } from './types.ts';
// Types only: the development texts' ids (src/dev/text.ts); their texts load with the dev pages.
import type { devTexts } from '../dev/text.ts';

export type { Language } from './types.ts';
export { languages } from './types.ts';

/** The message catalogue (STYLE.md habit 5): pages, errors and mails use these ids. */
export const catalogue = {
  ...common,
  ...errors,
  ...forms,
  ...auth,
  ...account,
  ...accountArea,
  ...consent,
  ...accountLock,
  ...mail,
  ...secondFactor,
  ...sms,
  ...recoveryKeep,
  ...passkey,
  ...means,
  ...eid,
  ...eidAccount,
  ...eidGuest,
  ...eidRecovery,
  ...eidReauth,
  ...inactivity,
  ...site,
  ...level,
  ...registration,
};

type DevMessageId = keyof typeof devTexts;

/**
 * The ids a method brings with it (`AuthenticationMethod.texts`): a method
 * added as a folder and a registry line names its own texts, without an
 * edit to this catalogue (STYLE.md "A method is a folder and a registry line").
 */
export type MethodMessageId = `method.${string}`;

/**
 * Every id a page may use; a development id resolves once its page loaded the texts (`loadDevTexts`), a method's once
 * it is registered (`loadMethodTexts`).
 */
export type MessageId = keyof typeof catalogue | DevMessageId | MethodMessageId;

/**
 * The development pages' texts, added by src/dev when a development page is
 * registered: production never imports src/dev (eslint.config.js), so its
 * catalogue holds only what production shows.
 */
const devCatalogue: Messages = {};

export function loadDevTexts(texts: Record<DevMessageId, Messages[string]>): void {
  Object.assign(devCatalogue, texts);
}

/** Called by the registry (methods/registry.ts) for every method that brings texts; loading twice is harmless. */
export function loadMethodTexts(texts: Readonly<Partial<Record<MethodMessageId, Messages[string]>>>): void {
  Object.assign(methodCatalogue, texts);
}

/** The texts of registered methods that bring their own (`loadMethodTexts`). */
const methodCatalogue: Messages = {};

function entryOf(id: MessageId): Messages[string] {
  const entry = Object.hasOwn(catalogue, id)
    ? catalogue[id as keyof typeof catalogue]
    : (devCatalogue[id] ?? methodCatalogue[id]);
  // Only a development id whose page is not registered, or a method's that is not, can miss: a programming error.
  if (!entry) throw new Error(`Message ${id} is not loaded`);
  return entry;
}

export type Translate = (id: MessageId, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  return (id, params) => {
    const template = entryOf(id)[lang];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

export function isMessageId(id: string): id is MessageId {
  return Object.hasOwn(catalogue, id) || Object.hasOwn(devCatalogue, id) || Object.hasOwn(methodCatalogue, id);
}

/**
 * Picks de or en: the citizen's own choice (cookie) first, then the
 * language a service asked for (OIDC `ui_locales`, oidc/ui-locales.ts),
 * then Accept-Language; German is the default.
 */
export function negotiateLanguage(
  cookie: string | undefined,
  acceptLanguage: string | undefined,
  serviceHint?: string,
): Language {
  if (cookie === 'de' || cookie === 'en') return cookie;
  if (serviceHint === 'de' || serviceHint === 'en') return serviceHint;
  if (!acceptLanguage) return 'de';
  const ranked = acceptLanguage
    .split(',')
    .slice(0, 20)
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag === 'de' || entry.tag === 'en')
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.tag as Language | undefined) ?? 'de';
}
