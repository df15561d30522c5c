import type { Messages } from './types.ts';

/** The warning before an unused account is deleted (identity/inactivity.ts, DESIGN.md §7). */
export const inactivity = {
  'mail.inactivity.subject': {
    de: 'Ihr Servicekonto wird am {date} gelöscht',
    en: 'Your Servicekonto will be deleted on {date}',
  },
  'mail.inactivity.body': {
    de: 'Sie haben Ihr Servicekonto „{username}“ zuletzt am {lastUsed} benutzt. Konten, die {months} Monate nicht benutzt werden, löschen wir mit allen Daten. Ihr Konto wird darum am {date} gelöscht. Möchten Sie Ihr Konto behalten? Dann melden Sie sich vorher einmal an. Das genügt, und das Konto bleibt. Brauchen Sie das Konto nicht mehr, müssen Sie nichts tun. Zur Anmeldung:',
    en: 'You last used your Servicekonto "{username}" on {lastUsed}. Accounts that are not used for {months} months are deleted with all their data. So your account will be deleted on {date}. Do you want to keep your account? Then log in once before that day. That is enough, and the account stays. If you no longer need the account, you need not do anything. To log in:',
  },
  'mail.inactivity.button': { de: 'Jetzt anmelden', en: 'Log in now' },
} satisfies Messages;
