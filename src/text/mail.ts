import type { Messages } from './types.ts';

/** Mail texts; `{link}` and the like are filled in by src/platform/mail/compose.ts. */
export const mail = {
  'mail.greeting': { de: 'Guten Tag,', en: 'Hello,' },
  'mail.signature': { de: 'Ihr Servicekonto', en: 'Your Servicekonto' },
  'mail.notYou': {
    de: 'Wenn Sie das nicht veranlasst haben, können Sie diese E-Mail ignorieren.',
    en: 'If you did not ask for this, you can ignore this e-mail.',
  },
  'mail.verify.subject': { de: 'Bitte bestätigen Sie Ihre E-Mail-Adresse', en: 'Please confirm your e-mail address' },
  'mail.verify.body': {
    de: 'Sie haben ein Servicekonto mit dem Benutzernamen „{username}“ angelegt. Bitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link. Er gilt {hours} Stunden und nur einmal:',
    en: 'You created a Servicekonto with the username "{username}". Please confirm your e-mail address with this link. It is valid for {hours} hours and only once:',
  },
  'mail.verify.button': { de: 'E-Mail-Adresse bestätigen', en: 'Confirm e-mail address' },
  'mail.already.subject': { de: 'Sie haben schon ein Servicekonto', en: 'You already have a Servicekonto' },
  'mail.already.body': {
    de: 'Gerade wollte jemand – vielleicht Sie – mit dieser E-Mail-Adresse ein neues Servicekonto anlegen. Zu dieser Adresse gibt es schon ein Konto mit dem Benutzernamen „{username}“. Wenn Sie Ihr Passwort nicht mehr wissen, legen Sie mit diesem Link ein neues fest. Er gilt {minutes} Minuten und nur einmal:',
    en: 'Someone – perhaps you – just tried to create a new Servicekonto with this e-mail address. There is already an account with the username "{username}" for this address. If you do not remember your password, set a new one with this link. It is valid for {minutes} minutes and only once:',
  },
  'mail.reset.subject': { de: 'Neues Passwort für Ihr Servicekonto', en: 'New password for your Servicekonto' },
  'mail.reset.body': {
    de: 'Sie können mit diesem Link ein neues Passwort für Ihr Servicekonto „{username}“ festlegen. Er gilt {minutes} Minuten und nur einmal:',
    en: 'You can set a new password for your Servicekonto "{username}" with this link. It is valid for {minutes} minutes and only once:',
  },
  'mail.reset.button': { de: 'Neues Passwort festlegen', en: 'Set a new password' },
  'mail.username.subject': { de: 'Ihr Benutzername im Servicekonto', en: 'Your Servicekonto username' },
  'mail.username.body': { de: 'Ihr Benutzername lautet: {username}', en: 'Your username is: {username}' },
  'mail.username.login': { de: 'Zur Anmeldung:', en: 'To log in:' },
  'mail.changeEmail.subject': {
    de: 'Bitte bestätigen Sie Ihre neue E-Mail-Adresse',
    en: 'Please confirm your new e-mail address',
  },
  'mail.changeEmail.body': {
    de: 'Sie möchten die E-Mail-Adresse Ihres Servicekontos „{username}“ auf diese Adresse ändern. Bitte bestätigen Sie das mit diesem Link. Er gilt {hours} Stunden und nur einmal:',
    en: 'You want to change the e-mail address of your Servicekonto "{username}" to this address. Please confirm with this link. It is valid for {hours} hours and only once:',
  },
  'mail.changeEmail.button': { de: 'Neue E-Mail-Adresse bestätigen', en: 'Confirm new e-mail address' },
  'mail.passwordChanged.subject': { de: 'Ihr Passwort wurde geändert', en: 'Your password was changed' },
  'mail.passwordChanged.body': {
    de: 'Das Passwort Ihres Servicekontos „{username}“ wurde soeben geändert. Wenn Sie das nicht waren, setzen Sie es bitte sofort über „Passwort vergessen“ zurück.',
    en: 'The password of your Servicekonto "{username}" was just changed. If this was not you, please reset it at once with "Forgot password".',
  },
  'mail.emailChanged.subject': {
    de: 'Die E-Mail-Adresse Ihres Servicekontos wurde geändert',
    en: 'The e-mail address of your Servicekonto was changed',
  },
  'mail.emailChanged.body': {
    de: 'Die E-Mail-Adresse Ihres Servicekontos „{username}“ lautet jetzt {email}. Wenn Sie das nicht waren, wenden Sie sich bitte an den Support.',
    en: 'The e-mail address of your Servicekonto "{username}" is now {email}. If this was not you, please contact support.',
  },
  'mail.recoveryCodesRenewed.subject': { de: 'Neue Wiederherstellungscodes', en: 'New recovery codes' },
  'mail.recoveryCodesRenewed.body': {
    de: 'Für Ihr Servicekonto „{username}“ wurden soeben neue Wiederherstellungscodes erstellt; die bisherigen gelten nicht mehr. Wenn Sie das nicht waren, sperren Sie bitte sofort Ihre Anmeldemittel über „Zweiten Faktor verloren?“ und ändern Sie Ihr Passwort.',
    en: 'New recovery codes were just made for your Servicekonto "{username}"; the earlier ones no longer work. If this was not you, please block your login methods at once with "Lost your second factor?" and change your password.',
  },
  'mail.meansAdded.subject': { de: 'Neues Anmeldemittel', en: 'New login method' },
  'mail.meansAdded.body': {
    de: 'Zu Ihrem Servicekonto „{username}“ wurde soeben ein Anmeldemittel hinzugefügt: {means}. Wenn Sie das nicht waren, sperren Sie es bitte sofort über „Zweiten Faktor verloren?“ und ändern Sie Ihr Passwort.',
    en: 'A login method was just added to your Servicekonto "{username}": {means}. If this was not you, please block it at once with "Lost your second factor?" and change your password.',
  },
  'mail.meansRemoved.subject': { de: 'Anmeldemittel entfernt', en: 'Login method removed' },
  'mail.meansRemoved.body': {
    de: 'Aus Ihrem Servicekonto „{username}“ wurde soeben ein Anmeldemittel entfernt: {means}. Wenn Sie das nicht waren, ändern Sie bitte sofort Ihr Passwort und wenden Sie sich an den Support.',
    en: 'A login method was just removed from your Servicekonto "{username}": {means}. If this was not you, please change your password at once and contact support.',
  },
  'mail.secondFactorOff.subject': {
    de: 'Anmeldung ohne zweiten Faktor erlaubt',
    en: 'Login without second factor allowed',
  },
  'mail.secondFactorOff.body': {
    de: 'In Ihrem Servicekonto „{username}“ wurde soeben eingestellt, dass für Online-Dienste mit dem Vertrauensniveau „Basisregistrierung“ oder „niedrig“ das Passwort allein genügt. Wenn Sie das nicht waren, schalten Sie den zweiten Faktor unter „Mein Konto“ wieder ein und ändern Sie Ihr Passwort.',
    en: 'Your Servicekonto "{username}" was just set so that the password alone is enough for online services at trust level "basic registration" or "low". If this was not you, switch the second factor back on in "My account" and change your password.',
  },
  'mail.means.totp': { de: 'Authenticator-App', en: 'authenticator app' },
  'mail.means.webauthn': { de: 'Sicherheitsschlüssel oder Passkey', en: 'security key or passkey' },
  'mail.means.sms': { de: 'Mobilfunknummer für SMS-Codes', en: 'mobile number for SMS codes' },
  'mail.means.eid': { de: 'Online-Ausweis', en: 'online ID card' },
} satisfies Messages;
