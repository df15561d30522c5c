import type { Messages } from './types.ts';

/** Layout, navigation and generic words. */
export const common = {
  'app.name': { de: 'Servicekonto', en: 'Servicekonto' },
  'app.tagline': {
    de: 'Ein Konto für alle Online-Dienste der Verwaltung',
    en: 'One account for every online service of the administration',
  },
  'nav.skip': { de: 'Zum Inhalt springen', en: 'Skip to content' },
  'nav.home': { de: 'Startseite', en: 'Home' },
  'nav.account': { de: 'Mein Konto', en: 'My account' },
  'nav.login': { de: 'Anmelden', en: 'Log in' },
  'nav.register': { de: 'Registrieren', en: 'Register' },
  'nav.logout': { de: 'Abmelden', en: 'Log out' },
  'nav.language': { de: 'English', en: 'Deutsch' },
  'nav.main': { de: 'Hauptnavigation', en: 'Main navigation' },
  kopfzeile: {
    de: 'Offizielle Website – Servicekonto der Verwaltung',
    en: 'Official website – administration account',
  },
  'footer.text': {
    de: 'Servicekonto – Open-Source-Identitätsdienst für die Verwaltung',
    en: 'Servicekonto – open-source identity service for the administration',
  },
  'form.errorTitle': { de: 'Fehler', en: 'Error' },
  'form.errorSummary': { de: 'Bitte korrigieren Sie Folgendes:', en: 'Please correct the following:' },
  'form.optional': { de: '(optional)', en: '(optional)' },
  'form.save': { de: 'Speichern', en: 'Save' },
  'form.cancel': { de: 'Abbrechen', en: 'Cancel' },
  'form.back': { de: 'Zurück', en: 'Back' },
  'more.title': { de: 'Mehr erfahren', en: 'Learn more' },
  'form.required': { de: 'Bitte füllen Sie dieses Feld aus.', en: 'Please fill in this field.' },
  'form.tooLong': {
    de: 'Die Eingabe ist zu lang (höchstens {max} Zeichen).',
    en: 'The entry is too long (at most {max} characters).',
  },
  'home.title': { de: 'Willkommen beim Servicekonto', en: 'Welcome to the Servicekonto' },
  'home.intro': {
    de: 'Mit dem Servicekonto melden Sie sich bei allen angeschlossenen Online-Diensten von Land und Kommunen an – mit einem Konto und einem Passwort. Sie entscheiden, welche Daten ein Dienst erhält.',
    en: 'With the Servicekonto you log in to every connected online service of the state and its municipalities – with one account and one password. You decide which data a service receives.',
  },
  'home.pointsTitle': { de: 'Was Ihnen das Servicekonto bietet', en: 'What the Servicekonto offers you' },
  'home.point1': {
    de: 'Ein Konto und ein Passwort für alle angeschlossenen Online-Dienste.',
    en: 'One account and one password for every connected online service.',
  },
  'home.point2': {
    de: 'Sie sehen vor jeder Übermittlung, welche Daten ein Dienst erhält, und können Freigaben jederzeit widerrufen.',
    en: 'Before any transfer you see which data a service receives, and you can revoke releases at any time.',
  },
  'home.point3': {
    de: 'Jeder Dienst kennt Sie nur unter einem eigenen Pseudonym: Dienste können Ihre Daten nicht zusammenführen.',
    en: 'Each service knows you only by a pseudonym of its own: services cannot combine your data.',
  },
  'home.services': { de: 'Angeschlossene Online-Dienste', en: 'Connected online services' },
  'home.noServices': {
    de: 'Noch sind keine Online-Dienste angeschlossen.',
    en: 'No online services are connected yet.',
  },
  'home.loggedInAs': { de: 'Sie sind angemeldet als {username}.', en: 'You are logged in as {username}.' },
  'saml.post.title': { de: 'Weiter zum Online-Dienst', en: 'On to the online service' },
  'saml.post.noscript': {
    de: 'JavaScript ist ausgeschaltet. Bitte klicken Sie auf „Weiter“, um zum Online-Dienst zurückzukehren.',
    en: 'JavaScript is turned off. Please select "Continue" to return to the online service.',
  },
  'saml.post.continue': { de: 'Weiter', en: 'Continue' },
  'oidc.logoutPost.title': { de: 'Abmeldung', en: 'Logging out' },
  'oidc.logoutPost.noscript': {
    de: 'JavaScript ist ausgeschaltet. Bitte klicken Sie auf „Weiter“, um die Abmeldung abzuschließen.',
    en: 'JavaScript is turned off. Please select "Continue" to finish logging out.',
  },
} satisfies Messages;
