import type { Messages } from './types.ts';

/** Managing the means on "Mein Konto", and blocking a lost one by e-mail link. */
export const means = {
  'means.name': { de: 'Name', en: 'Name' },
  'means.rename': { de: 'Umbenennen', en: 'Rename' },
  'means.renamed': { de: 'Der Name ist jetzt „{name}“.', en: 'The name is now "{name}".' },
  'means.nameInvalid': {
    de: 'Bitte geben Sie einen Namen mit höchstens 60 Zeichen ein.',
    en: 'Please enter a name of at most 60 characters.',
  },
  'means.remove': { de: 'Entfernen', en: 'Remove' },
  'means.removed': {
    de: 'Das Anmeldemittel ist entfernt. Ohne zweiten Faktor erreichen Sie höchstens das Vertrauensniveau „niedrig“.',
    en: 'The login method is removed. Without a second factor you reach at most trust level "low".',
  },
  'means.block': { de: 'Als verloren sperren', en: 'Block as lost' },
  'means.blockIntro': {
    de: 'Verloren oder gestohlen? Sperren beendet außerdem alle anderen Anmeldungen. Ein gesperrtes Mittel lässt sich nicht wieder freischalten.',
    en: 'Lost or stolen? Blocking also ends every other login. A blocked method cannot be unblocked.',
  },
  'means.blocked': {
    de: 'Das Anmeldemittel ist gesperrt. Alle anderen Anmeldungen sind beendet.',
    en: 'The login method is blocked. Every other login has ended.',
  },
  'means.blockedBadge': { de: 'Gesperrt am {date}', en: 'Blocked on {date}' },
  'means.levelLow': {
    de: 'Reicht nicht für „substanziell“: nach einer Sperre per E-Mail-Link ohne zweiten Faktor eingerichtet.',
    en: 'Not enough for "substantial": set up without a second factor after a block by e-mail link.',
  },
  'means.needsConfirm': {
    de: 'Bitte bestätigen Sie zuerst Ihre Anmeldung mit Ihrem zweiten Faktor.',
    en: 'Please first confirm your login with your second factor.',
  },
  'means.confirmTitle': { de: 'Änderungen nur nach Bestätigung', en: 'Changes only after confirmation' },
  'means.confirmIntro': {
    de: 'Um Anmeldemittel hinzuzufügen, zu entfernen oder zu sperren, bestätigen Sie bitte zuerst Ihre Anmeldung mit Ihrem zweiten Faktor.',
    en: 'To add, remove or block login methods, please first confirm your login with your second factor.',
  },
  'means.confirm': { de: 'Anmeldung bestätigen', en: 'Confirm login' },
  'means.lostLink': {
    de: 'Zweiten Faktor verloren? Per E-Mail-Link sperren',
    en: 'Lost your second factor? Block it by e-mail link',
  },
  'sms.change': { de: 'Andere Mobilfunknummer verwenden', en: 'Use another mobile number' },
  'lost.title': { de: 'Zweiten Faktor verloren', en: 'Lost second factor' },
  'lost.intro': {
    de: 'Haben Sie Ihr Smartphone, Ihren Sicherheitsschlüssel oder Ihre Wiederherstellungscodes verloren? Wir senden Ihnen einen Link, mit dem Sie das verlorene Anmeldemittel sperren – ohne es zu benutzen.',
    en: 'Did you lose your phone, your security key or your recovery codes? We send you a link to block the lost login method – without using it.',
  },
  'lost.identifier': { de: 'Benutzername oder E-Mail-Adresse', en: 'Username or e-mail address' },
  'lost.submit': { de: 'Link senden', en: 'Send link' },
  'lost.sent': {
    de: 'Wenn es ein Konto zu Ihrer Angabe gibt, haben wir eine E-Mail mit dem Link gesendet. Er gilt 24 Stunden und nur einmal.',
    en: 'If there is an account for what you entered, we sent an e-mail with the link. It is valid for 24 hours and only once.',
  },
  'lost.chooseTitle': { de: 'Anmeldemittel sperren', en: 'Block login methods' },
  'lost.chooseIntro': {
    de: 'Wählen Sie, was Sie sperren möchten. Danach sind Sie überall abgemeldet. Richten Sie neue Mittel ein, erreichen diese das Vertrauensniveau „substanziell“ erst, wenn Sie sich mit einem verbliebenen starken Mittel, Ihrem Ausweis oder vor Ort bei einer Behörde ausweisen.',
    en: 'Choose what to block. Afterwards you are logged out everywhere. New methods you set up reach trust level "substantial" only once you prove yourself with a remaining strong method, your ID card or in person at an office.',
  },
  'lost.none': {
    de: 'Ihr Konto hat keinen zweiten Faktor, der gesperrt werden kann.',
    en: 'Your account has no second factor that can be blocked.',
  },
  'lost.block': { de: 'Ausgewählte sperren', en: 'Block selected' },
  'lost.nothingChosen': {
    de: 'Bitte wählen Sie mindestens ein Anmeldemittel.',
    en: 'Please choose at least one login method.',
  },
  'lost.done': {
    de: 'Gesperrt. Sie sind überall abgemeldet. Melden Sie sich mit Ihrem Passwort wieder an.',
    en: 'Blocked. You are logged out everywhere. Log in again with your password.',
  },
  'mail.lost.subject': { de: 'Anmeldemittel sperren', en: 'Block login methods' },
  'mail.lost.body': {
    de: 'Mit diesem Link sperren Sie verlorene Anmeldemittel Ihres Servicekontos „{username}“. Er gilt {hours} Stunden und nur einmal:',
    en: 'With this link you block lost login methods of your Servicekonto "{username}". It is valid for {hours} hours and only once:',
  },
  'mail.lost.button': { de: 'Anmeldemittel sperren', en: 'Block login methods' },
  'mail.meansBlocked.subject': { de: 'Anmeldemittel gesperrt', en: 'Login methods blocked' },
  'mail.meansBlocked.body': {
    de: 'In Ihrem Servicekonto „{username}“ wurden soeben {count} Anmeldemittel gesperrt und alle anderen Anmeldungen beendet. Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort und wenden Sie sich an den Support.',
    en: 'In your Servicekonto "{username}", {count} login methods were just blocked and every other login ended. If this was not you, please change your password at once and contact support.',
  },
} satisfies Messages;
