import type { Messages } from './types.ts';

/** The consent page: which data go to which service, in plain language. */
export const consent = {
  'consent.title': { de: 'Daten freigeben', en: 'Release data' },
  'consent.intro': {
    de: '„{service}“ erhält diese Daten aus Ihrem Servicekonto, wenn Sie zustimmen:',
    en: '"{service}" receives these data from your Servicekonto if you agree:',
  },
  'consent.operator': { de: 'Betreiber: {operator}', en: 'Operator: {operator}' },
  'consent.remember': {
    de: 'Wir merken uns Ihre Zustimmung. Sie können sie unter „Mein Konto“ jederzeit widerrufen.',
    en: 'We remember your consent. You can revoke it under "My account" at any time.',
  },
  'consent.allow': { de: 'Zustimmen und weiter', en: 'Agree and continue' },
  'consent.deny': { de: 'Ablehnen', en: 'Decline' },
  'consent.source.typed': {
    de: 'Angaben ohne Vermerk haben Sie selbst eingetragen; niemand hat sie geprüft.',
    en: 'Entries without a note were entered by you; nobody has checked them.',
  },
  'consent.always': { de: 'Außerdem bei jeder Anmeldung', en: 'Also with every login' },
  'consent.absent': {
    de: 'Angefragt, aber nicht in Ihrem Konto hinterlegt und daher nicht übermittelt: {data}.',
    en: 'Asked for, but not in your account and therefore not sent: {data}.',
  },
  'consent.rememberGroups': {
    de: 'Wir merken uns Ihre Zustimmung für diese Arten von Daten: {groups}. Sie können sie unter „Mein Konto“ jederzeit widerrufen.',
    en: 'We remember your consent for these kinds of data: {groups}. You can revoke it under "My account" at any time.',
  },
  'consent.group.profile': { de: 'persönliche Daten', en: 'personal data' },
  'consent.group.email': { de: 'E-Mail-Adresse', en: 'e-mail address' },
  'consent.group.address': { de: 'Anschrift', en: 'postal address' },
  'consent.group.phone': { de: 'Telefonnummer', en: 'telephone number' },
  'consent.scope.openid': {
    de: 'Ein Pseudonym, das nur dieser Dienst kennt (kein Name)',
    en: 'A pseudonym only this service knows (no name)',
  },
  'consent.scope.profile': {
    de: 'Name, Geburtsdatum, Geburtsname, Geburtsort und Staatsangehörigkeit',
    en: 'Name, date of birth, birth name, place of birth and nationality',
  },
  'consent.scope.email': { de: 'E-Mail-Adresse', en: 'E-mail address' },
  'consent.scope.address': { de: 'Anschrift', en: 'Postal address' },
  'consent.scope.phone': { de: 'Telefonnummer', en: 'Telephone number' },
  'consent.scope.verified_claims': {
    de: 'Ob und wie diese Daten geprüft wurden (Art des Nachweises, prüfende Stelle, Datum, Vertrauensniveau)',
    en: 'Whether and how these data were verified (kind of evidence, verifying office, date, trust level)',
  },
  'consent.verified.clerk': {
    de: 'vor Ort anhand eines Ausweisdokuments geprüft am {date}',
    en: 'checked in person against an identity document on {date}',
  },
  'consent.verified.eid': {
    de: 'mit der Online-Ausweisfunktion gelesen am {date}',
    en: 'read with the online ID function on {date}',
  },
  'consent.verified.upstream': {
    de: 'aus einem anderen Nutzerkonto übernommen am {date}',
    en: 'taken over from another user account on {date}',
  },
  'consent.verified.wallet': {
    de: 'aus der EUDI-Wallet übernommen am {date}',
    en: 'taken over from the EUDI Wallet on {date}',
  },
  'consent.scope.offline_access': {
    de: 'Zugriff, solange Sie nicht angemeldet sind',
    en: 'Access while you are not logged in',
  },
} satisfies Messages;
