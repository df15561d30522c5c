import type { Messages } from './types.ts';

/**
 * The page when an account cannot reach the level a service needs (issue 15,
 * point 6): what the service needs, why the account does not reach it, and
 * the ways this installation offers.
 */
export const level = {
  'level.title': {
    de: 'Ihr Konto reicht für diesen Dienst noch nicht aus',
    en: 'Your account is not yet enough for this service',
  },
  'level.needs': {
    de: '„{service}“ braucht eine Anmeldung auf dem Vertrauensniveau „{level}“.',
    en: '"{service}" needs a login at trust level "{level}".',
  },
  'level.name.1': { de: 'Basisregistrierung', en: 'basic registration' },
  'level.name.2': { de: 'niedrig', en: 'low' },
  'level.name.3': { de: 'substanziell', en: 'substantial' },
  'level.name.4': { de: 'hoch', en: 'high' },
  'level.meaning.2': {
    de: 'Das heißt: Der Dienst muss sicher sein, dass die Angaben zu Ihrer Person stimmen.',
    en: 'This means: the service must be sure that the data about you are correct.',
  },
  'level.meaning.3': {
    de: 'Das heißt: Ihre Angaben zu Ihrer Person sind bestätigt, und Sie melden sich mit zwei Schritten an, zum Beispiel mit Passwort und Authenticator-App.',
    en: 'This means: the data about you are verified, and you log in with two steps, for example with password and authenticator app.',
  },
  'level.meaning.4': {
    de: 'Das heißt: Sie weisen sich mit Ihrem Ausweis aus, so sicher wie am Schalter einer Behörde.',
    en: 'This means: you prove who you are with your ID document, as safely as at the counter of a public office.',
  },
  'level.why.identity': {
    de: 'Ihren Namen und Ihr Geburtsdatum hat bisher niemand bestätigt: Sie haben sie selbst eingetragen, oder sie fehlen noch. Darum reicht Ihr Konto heute nur für das Vertrauensniveau „{reachable}“.',
    en: 'Nobody has verified your name and date of birth yet: you entered them yourself, or they are still missing. That is why your account is only enough for trust level "{reachable}" today.',
  },
  'level.why.means': {
    de: 'Ihre Angaben sind bestätigt. Aber Sie haben noch kein Anmeldemittel, das dieses Vertrauensniveau erreicht. Heute reicht Ihr Konto für das Vertrauensniveau „{reachable}“.',
    en: 'Your data are verified. But you do not yet have a way of logging in that reaches this trust level. Today your account is enough for trust level "{reachable}".',
  },
  'level.why.meansReset': {
    de: 'Sie haben Anmeldemittel über den Link in einer E-Mail gesperrt. Neu eingerichtete Anmeldemittel zählen dafür erst, wenn Sie sich wieder ausgewiesen haben.',
    en: 'You blocked means of login through the link in an e-mail. New means count for this only after you have proved who you are again.',
  },
  'level.ways': { de: 'So erreichen Sie das Vertrauensniveau', en: 'How to reach the trust level' },
  'level.noWay': {
    de: 'Hier gibt es dafür zurzeit leider keinen Weg. Fragen Sie beim Dienst nach, wie Sie ihn sonst nutzen können.',
    en: 'Unfortunately there is no way to do this here at the moment. Ask the service how else you can use it.',
  },
  'level.inPerson.title': { de: 'Im Bürgerbüro bestätigen lassen', en: 'Have it verified at a citizens’ office' },
  'level.inPerson.text': {
    de: 'Gehen Sie mit Ihrem Personalausweis, Reisepass oder Aufenthaltstitel zu einem Bürgerbüro Ihrer Stadt oder Gemeinde. Nennen Sie dort Ihren Benutzernamen. Die Mitarbeiterin oder der Mitarbeiter bestätigt Ihre Angaben im Konto.',
    en: 'Go to a citizens’ office of your town with your identity card, passport or residence permit. Tell them your username. The clerk verifies the data in your account.',
  },
  'level.afterwards': {
    de: 'Danach können Sie sich bei „{service}“ anmelden.',
    en: 'Afterwards you can log in to "{service}".',
  },
  'level.back.text': {
    de: 'Sie können auch jetzt zum Dienst zurückkehren. Er erfährt dann nur, dass Ihr Konto das Vertrauensniveau nicht erreicht hat.',
    en: 'You can also return to the service now. It then only learns that your account did not reach the trust level.',
  },
  'level.back': { de: 'Zurück zum Dienst', en: 'Back to the service' },
} satisfies Messages;
