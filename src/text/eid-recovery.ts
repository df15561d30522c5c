import type { Messages } from './types.ts';

/** Recovering an account with the card (TR-03160-1 re-verification; design notes §6). */
export const eidRecovery = {
  'recoverEid.link': { de: 'Mit dem Online-Ausweis wiederherstellen', en: 'Recover with the online ID' },
  'recoverEid.linkIntro': {
    de: 'Ist Ihr Online-Ausweis mit Ihrem Servicekonto verbunden? Dann legen Sie sofort ein neues Passwort fest und sperren verlorene zweite Faktoren – ohne E-Mail.',
    en: 'Is your online ID linked to your account? Then set a new password and block lost second factors at once – without an e-mail.',
  },
  'recoverEid.title': {
    de: 'Servicekonto mit Online-Ausweis wiederherstellen',
    en: 'Recover your account with the online ID',
  },
  'recoverEid.formIntro': {
    de: 'Ihr Ausweis gehört zum Servicekonto „{username}“. Legen Sie ein neues Passwort fest. Alle bisherigen Anmeldungen an diesem Konto werden beendet.',
    en: 'Your ID belongs to the account "{username}". Set a new password. Every current login to this account will end.',
  },
  'recoverEid.blockFactors': { de: 'Alle zweiten Faktoren sperren', en: 'Block all second factors' },
  'recoverEid.blockFactorsHint': {
    de: 'Authenticator-App mit Wiederherstellungscodes, Sicherheitsschlüssel und SMS. Wählen Sie das, wenn Sie einen zweiten Faktor verloren haben oder jemand anderes ihn haben könnte. Neue richten Sie danach sofort unter „Mein Konto“ ein.',
    en: 'Authenticator app with recovery codes, security keys and SMS. Choose this if you lost a second factor or someone else may have it. You can set up new ones under "My account" right afterwards.',
  },
  'recoverEid.submit': { de: 'Konto wiederherstellen', en: 'Recover the account' },
  'recoverEid.noLink.title': {
    de: 'Dieser Ausweis ist mit keinem Servicekonto verbunden',
    en: 'This ID is not linked to an account',
  },
  'recoverEid.noLink.text': {
    de: 'Die Wiederherstellung mit dem Online-Ausweis braucht einen Ausweis, der mit dem Servicekonto verbunden ist, oder Daten im Servicekonto, die mit dem Vertrauensniveau hoch geprüft wurden. Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse an: Dann vergleichen wir Namen und Geburtsdatum vom Ausweis mit den geprüften Daten des Kontos.',
    en: 'Recovery with the online ID needs an ID linked to the account, or data in the account verified at trust level high. Enter your username or e-mail address: we then compare the names and date of birth on the ID with the verified data of the account.',
  },
  'recoverEid.identify': { de: 'Daten vergleichen', en: 'Compare the data' },
  'recoverEid.mismatch': {
    de: 'Die Daten vom Ausweis passen nicht zu geprüften Daten eines Servicekontos. Setzen Sie Ihr Passwort bitte über den Link per E-Mail zurück.',
    en: 'The data on the ID do not match the verified data of an account. Please reset your password with the link by e-mail.',
  },
  'recoverEid.viaEmail': { de: 'Passwort per E-Mail zurücksetzen', en: 'Reset the password by e-mail' },
} satisfies Messages;
