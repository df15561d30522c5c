import type { Messages } from './types.ts';

/** Login, registration, recovery and logout. */
export const auth = {
  'login.title': { de: 'Anmelden', en: 'Log in' },
  'login.forService': { de: 'Anmeldung für „{service}“', en: 'Log in to "{service}"' },
  'login.methodsTitle': { de: 'Wie möchten Sie sich anmelden?', en: 'How would you like to log in?' },
  'login.password.title': { de: 'Mit Benutzername und Passwort', en: 'With username and password' },
  'login.password.hint': {
    de: 'Für die meisten Online-Dienste. Sie brauchen nur Ihren Benutzernamen oder Ihre E-Mail-Adresse.',
    en: 'For most online services. You only need your username or e-mail address.',
  },
  'login.methodsIntro': {
    de: 'Wählen Sie, wie Sie sich ausweisen möchten.',
    en: 'Choose how you would like to identify yourself.',
  },
  'login.username': { de: 'Benutzername oder E-Mail-Adresse', en: 'Username or e-mail address' },
  'login.password': { de: 'Passwort', en: 'Password' },
  'login.submit': { de: 'Anmelden', en: 'Log in' },
  'login.invalid': { de: 'Benutzername oder Passwort ist falsch.', en: 'The username or password is wrong.' },
  'login.unverified': {
    de: 'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Den Link dazu haben wir Ihnen geschickt; Sie können ihn erneut anfordern.',
    en: 'Please confirm your e-mail address first. We sent you the link; you can request it again.',
  },
  'login.resend': { de: 'Bestätigungs-E-Mail erneut senden', en: 'Send the confirmation e-mail again' },
  'login.otherMethod': { de: 'Andere Anmeldeart wählen', en: 'Choose another way to log in' },
  'login.forgotPassword': { de: 'Passwort vergessen?', en: 'Forgot your password?' },
  'login.forgotUsername': { de: 'Benutzername vergessen?', en: 'Forgot your username?' },
  'login.noAccount': { de: 'Noch kein Servicekonto?', en: 'No Servicekonto yet?' },
  'login.register': { de: 'Jetzt registrieren', en: 'Register now' },
  'login.cancel': {
    de: 'Anmeldung abbrechen und zurück zum Online-Dienst',
    en: 'Cancel and return to the online service',
  },
  'register.title': { de: 'Servicekonto anlegen', en: 'Create a Servicekonto' },
  'register.intro': {
    de: 'Sie brauchen nur einen Benutzernamen, Ihre E-Mail-Adresse und ein Passwort.',
    en: 'You only need a username, your e-mail address and a password.',
  },
  'register.username': { de: 'Benutzername', en: 'Username' },
  'register.usernameHint': {
    de: '3 bis 64 Zeichen: Buchstaben, Ziffern, Punkt, Bindestrich oder Unterstrich.',
    en: '3 to 64 characters: letters, digits, dot, hyphen or underscore.',
  },
  'register.email': { de: 'E-Mail-Adresse', en: 'E-mail address' },
  'register.password': { de: 'Passwort', en: 'Password' },
  'register.passwordHint': {
    de: 'Mindestens 10 Zeichen. Ein langer Satz ist gut zu merken und sicher.',
    en: 'At least 10 characters. A long sentence is easy to remember and safe.',
  },
  'register.passwordRepeat': { de: 'Passwort wiederholen', en: 'Repeat password' },
  'register.submit': { de: 'Konto anlegen', en: 'Create account' },
  'register.usernameInvalid': {
    de: 'Der Benutzername darf nur Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich enthalten (3 bis 64 Zeichen).',
    en: 'The username may contain only letters, digits, dot, hyphen and underscore (3 to 64 characters).',
  },
  'register.usernameTaken': { de: 'Dieser Benutzername ist schon vergeben.', en: 'This username is already taken.' },
  'register.emailInvalid': {
    de: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.',
    en: 'Please enter a valid e-mail address, e.g. name@example.com.',
  },
  'register.passwordMismatch': {
    de: 'Die beiden Passwörter stimmen nicht überein.',
    en: 'The two passwords do not match.',
  },
  'register.sentTitle': { de: 'Bitte bestätigen Sie Ihre E-Mail-Adresse', en: 'Please confirm your e-mail address' },
  'register.sent': {
    de: 'Wir haben eine E-Mail an {email} geschickt. Öffnen Sie den Link darin, um Ihr Konto zu aktivieren. Sehen Sie bitte auch im Spam-Ordner nach.',
    en: 'We sent an e-mail to {email}. Open the link in it to activate your account. Please also look in your spam folder.',
  },
  'register.resendIntro': {
    de: 'Keine E-Mail bekommen? Geben Sie Ihre E-Mail-Adresse ein, wir senden den Link erneut.',
    en: 'No e-mail? Enter your e-mail address and we will send the link again.',
  },
  'register.resent': {
    de: 'Wenn zu dieser Adresse ein unbestätigtes Konto gehört, ist eine neue E-Mail unterwegs.',
    en: 'If an unconfirmed account belongs to this address, a new e-mail is on its way.',
  },
  'password.tooShort': {
    de: 'Das Passwort muss mindestens 10 Zeichen lang sein.',
    en: 'The password must be at least 10 characters long.',
  },
  'password.tooLong': {
    de: 'Das Passwort darf höchstens 256 Zeichen lang sein.',
    en: 'The password may be at most 256 characters long.',
  },
  'password.common': {
    de: 'Dieses Passwort ist zu bekannt und leicht zu erraten. Bitte wählen Sie ein anderes.',
    en: 'This password is too common and easy to guess. Please choose another one.',
  },
  'password.likeUsername': {
    de: 'Das Passwort darf nicht Ihr Benutzername oder Ihre E-Mail-Adresse sein.',
    en: 'The password must not be your username or e-mail address.',
  },
  'forgotPassword.title': { de: 'Passwort vergessen', en: 'Forgot password' },
  'forgotPassword.intro': {
    de: 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.',
    en: 'Enter your username or e-mail address. We will send you a link to set a new password.',
  },
  'forgotPassword.submit': { de: 'Link senden', en: 'Send link' },
  'forgotPassword.sent': {
    de: 'Wenn ein Konto zu Ihrer Eingabe gehört, haben wir eine E-Mail an die hinterlegte Adresse geschickt. Der Link darin gilt 60 Minuten.',
    en: 'If an account matches your entry, we sent an e-mail to its address. The link in it is valid for 60 minutes.',
  },
  'forgotUsername.title': { de: 'Benutzername vergessen', en: 'Forgot username' },
  'forgotUsername.intro': {
    de: 'Geben Sie Ihre E-Mail-Adresse ein. Wir senden Ihnen Ihren Benutzernamen.',
    en: 'Enter your e-mail address. We will send you your username.',
  },
  'forgotUsername.submit': { de: 'Benutzername senden', en: 'Send username' },
  'forgotUsername.sent': {
    de: 'Wenn ein Konto zu dieser E-Mail-Adresse gehört, haben wir Ihnen den Benutzernamen geschickt.',
    en: 'If an account belongs to this e-mail address, we sent you its username.',
  },
  'reset.title': { de: 'Neues Passwort festlegen', en: 'Set a new password' },
  'reset.password': { de: 'Neues Passwort', en: 'New password' },
  'reset.submit': { de: 'Passwort speichern', en: 'Save password' },
  'reset.done': {
    de: 'Ihr neues Passwort ist gespeichert. Aus Sicherheitsgründen wurden Sie überall abgemeldet. Bitte melden Sie sich neu an.',
    en: 'Your new password is saved. For your security you were logged out everywhere. Please log in again.',
  },
  'logout.title': { de: 'Abmelden', en: 'Log out' },
  'logout.question': {
    de: 'Möchten Sie sich vom Servicekonto abmelden?',
    en: 'Do you want to log out of the Servicekonto?',
  },
  'logout.fromService': {
    de: '„{service}“ möchte Sie abmelden. Damit endet auch Ihre Anmeldung beim Servicekonto.',
    en: '"{service}" wants to log you out. This also ends your Servicekonto login.',
  },
  'logout.confirm': { de: 'Ja, abmelden', en: 'Yes, log out' },
  'logout.stay': { de: 'Nein, angemeldet bleiben', en: 'No, stay logged in' },
  'logout.doneTitle': { de: 'Abgemeldet', en: 'Logged out' },
  'logout.done': { de: 'Sie sind jetzt abgemeldet.', en: 'You are now logged out.' },
} satisfies Messages;
