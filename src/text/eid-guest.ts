import type { Messages } from './types.ts';

/**
 * The guest login with the eID (design notes §6): once, without an account.
 */
export const eidGuest = {
  'guest.choice.heading': { de: 'Ohne Servicekonto', en: 'Without a Servicekonto' },
  'guest.choice.title': {
    de: 'Ohne Konto mit Online-Ausweis fortfahren',
    en: 'Continue with the online ID without an account',
  },
  'guest.choice.hint': {
    de: 'Nur für diese eine Anmeldung: Es wird kein Servicekonto angelegt, und nur die Daten, die der Online-Dienst braucht, werden vom Ausweis gelesen.',
    en: 'For this one login only: no account is created, and only the data the online service needs are read from the ID.',
  },
  'guest.consent.intro': {
    de: '„{service}“ möchte diese Daten von Ihrem Ausweis erhalten:',
    en: '"{service}" would like to receive these data from your ID:',
  },
  'guest.consent.none': {
    de: 'Der Online-Dienst erhält keine Daten vom Ausweis, nur die Bestätigung, dass Sie sich mit dem Online-Ausweis ausgewiesen haben.',
    en: 'The online service receives no data from the ID, only the confirmation that you identified yourself with the online ID.',
  },
  'guest.consent.note': {
    de: 'Es wird kein Servicekonto angelegt und nichts gespeichert. Der Online-Dienst erhält eine Kennung, die nur für diese eine Anmeldung gilt; beim nächsten Mal erkennt er Sie daran nicht wieder.',
    en: 'No account is created and nothing is stored. The online service receives an identifier for this one login only; it will not recognise you by it next time.',
  },
  'guest.consent.notOnCard': { de: '(nicht auf dem Ausweis)', en: '(not on the ID)' },
} satisfies Messages;
