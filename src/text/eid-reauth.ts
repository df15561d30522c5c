import type { Messages } from './types.ts';

/**
 * "Mein Konto" for an account without a password: a fresh eID login confirms changes; the first password
 * (flows/settings/reauth.ts).
 */
export const eidReauth = {
  'eidReauth.fresh': {
    de: 'Ihr Servicekonto hat kein Passwort. Sie haben sich vor höchstens {minutes} Minuten mit dem Online-Ausweis angemeldet, das genügt als Bestätigung.',
    en: 'Your account has no password. You logged in with the online ID no more than {minutes} minutes ago; that is confirmation enough.',
  },
  'eidReauth.stale': {
    de: 'Ihr Servicekonto hat kein Passwort. Bestätigen Sie diese Änderung mit dem Online-Ausweis: Nach der Anmeldung damit haben Sie {minutes} Minuten Zeit.',
    en: 'Your account has no password. Confirm this change with the online ID: after logging in with it you have {minutes} minutes.',
  },
  'eidReauth.link': { de: 'Mit Online-Ausweis bestätigen', en: 'Confirm with the online ID' },
  'eidReauth.needed': {
    de: 'Ihre Anmeldung mit dem Online-Ausweis liegt mehr als {minutes} Minuten zurück. Bitte bestätigen Sie die Änderung mit dem Online-Ausweis und versuchen Sie es dann noch einmal.',
    en: 'You logged in with the online ID more than {minutes} minutes ago. Please confirm the change with the online ID and then try again.',
  },
  'eidReauth.set.title': { de: 'Passwort festlegen', en: 'Set a password' },
  'eidReauth.set.intro': {
    de: 'Sie melden sich mit dem Online-Ausweis an. Mit einem Passwort können Sie sich zusätzlich auch ohne Ausweis anmelden, mit dem Vertrauensniveau „niedrig“.',
    en: 'You log in with the online ID. With a password you can also log in without the ID, at trust level "low".',
  },
  'eidReauth.set.saved': { de: 'Ihr Passwort ist festgelegt.', en: 'Your password has been set.' },
  'eidReauth.set.savedUnconfirmed': {
    de: 'Ihr Passwort ist festgelegt. Mit dem Passwort anmelden können Sie sich, sobald Sie Ihre E-Mail-Adresse mit dem Link in unserer E-Mail bestätigt haben.',
    en: 'Your password has been set. You can log in with it once you have confirmed your e-mail address with the link in our e-mail.',
  },
} satisfies Messages;
