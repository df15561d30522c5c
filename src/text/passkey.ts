import type { Messages } from './types.ts';

/** Logging in with a passkey, without a password (issue 15, point 8). */
export const passkey = {
  'passkey.title': { de: 'Mit Passkey anmelden', en: 'Log in with a passkey' },
  'passkey.hint': {
    de: 'Ohne Passwort: Ihr Smartphone oder Computer fragt nach Ihrer PIN, Ihrem Fingerabdruck oder Ihrem Gesicht. Den Passkey richten Sie vorher unter „Mein Konto“ ein.',
    en: 'Without a password: your phone or computer asks for your PIN, fingerprint or face. Set up the passkey first on "My account".',
  },
  'passkey.orHeading': { de: 'Ohne Passwort anmelden', en: 'Log in without a password' },
  'passkey.orIntro': {
    de: 'Haben Sie einen Passkey eingerichtet? Dann brauchen Sie kein Passwort.',
    en: 'Have you set up a passkey? Then you need no password.',
  },
  'passkey.invalid': {
    de: 'Die Anmeldung mit dem Passkey hat nicht geklappt. Bitte versuchen Sie es erneut, oder melden Sie sich mit Ihrem Passwort an. Einen Passkey, den Sie nur als zweiten Faktor eingerichtet haben, oder einen ohne PIN oder Fingerabdruck können Sie nicht ohne Passwort verwenden.',
    en: 'Logging in with the passkey did not work. Please try again, or log in with your password. A passkey set up only as a second factor, or one without a PIN or fingerprint, cannot be used without the password.',
  },
  'passkey.withPassword': { de: 'Mit Benutzername und Passwort anmelden', en: 'Log in with username and password' },
} satisfies Messages;
