import type { Messages } from './types.ts';

/** Step-up to level substanziell with a second factor (software token). */
export const secondFactor = {
  'stepUp.title': { de: 'Zweiter Faktor', en: 'Second factor' },
  'stepUp.why': {
    de: '„{service}“ braucht eine Anmeldung auf dem Vertrauensniveau „substanziell“. Dafür bestätigen Sie Ihre Anmeldung zusätzlich mit Ihrem zweiten Faktor. Ihr Passwort brauchen Sie nicht noch einmal.',
    en: '"{service}" needs a login at trust level "substantial". For this, confirm your login with your second factor as well. You do not need your password again.',
  },
  'stepUp.whyAccount': {
    de: 'Ihr Konto ist mit einem zweiten Faktor geschützt. Um Ihre Daten zu sehen oder zu ändern, bestätigen Sie Ihre Anmeldung bitte mit einem Ihrer zweiten Faktoren. So kommt niemand, der nur Ihr Passwort kennt, an Ihr Konto.',
    en: 'Your account is protected by a second factor. To see or change your data, please confirm your login with one of your second factors. That way nobody who only knows your password gets into your account.',
  },
  'stepUp.whyProtected': {
    de: 'Ihr Konto ist mit einem zweiten Faktor geschützt. Bitte bestätigen Sie Ihre Anmeldung bei „{service}“ damit. Ihr Passwort brauchen Sie nicht noch einmal.',
    en: 'Your account is protected by a second factor. Please confirm your login at "{service}" with it. You do not need your password again.',
  },
  'stepUp.choose': { de: 'Womit möchten Sie bestätigen?', en: 'How do you want to confirm?' },
  'stepUp.other': { de: 'Einen anderen zweiten Faktor verwenden', en: 'Use another second factor' },
  'totp.code': { de: 'Sechsstelliger Code aus der App', en: 'Six-digit code from the app' },
  'totp.codeHint': { de: 'Der Code wechselt alle 30 Sekunden.', en: 'The code changes every 30 seconds.' },
  'totp.submit': { de: 'Bestätigen', en: 'Confirm' },
  'code.format': {
    de: 'Der Code hat sechs Ziffern. Bitte geben Sie alle sechs Ziffern ein.',
    en: 'The code has six digits. Please enter all six digits.',
  },
  'totp.invalid': {
    de: 'Der Code stimmt nicht oder wurde schon benutzt. Bitte geben Sie den aktuellen Code ein.',
    en: 'The code is wrong or was already used. Please enter the current code.',
  },
  'totp.setupTitle': { de: 'Authenticator-App einrichten', en: 'Set up an authenticator app' },
  'totp.setupIntro': {
    de: '„{service}“ braucht eine Anmeldung auf dem Vertrauensniveau „substanziell“. Richten Sie dafür einmalig eine Authenticator-App ein (zum Beispiel FreeOTP, Aegis oder Google Authenticator).',
    en: '"{service}" needs a login at trust level "substantial". For this, set up an authenticator app once (for example FreeOTP, Aegis or Google Authenticator).',
  },
  'totp.setupStep1': { de: 'Scannen Sie den QR-Code mit der App.', en: 'Scan the QR code with the app.' },
  'totp.sameDevice': {
    de: 'Die App ist auf diesem Gerät?',
    en: 'The app is on this device?',
  },
  'totp.openInApp': { de: 'Schlüssel in der App öffnen', en: 'Open the key in the app' },
  'totp.setupStep2': { de: 'Oder geben Sie diesen Schlüssel in der App ein:', en: 'Or enter this key in the app:' },
  'totp.setupStep3': {
    de: 'Geben Sie zur Bestätigung den Code ein, den die App anzeigt.',
    en: 'To confirm, enter the code the app shows.',
  },
  'totp.setupIntroAccount': {
    de: 'Mit einer Authenticator-App (zum Beispiel FreeOTP, Aegis oder Google Authenticator) melden Sie sich mit zwei Faktoren an. Sind Ihre Identitätsdaten bestätigt, erreichen Sie so das Vertrauensniveau „substanziell“.',
    en: 'With an authenticator app (for example FreeOTP, Aegis or Google Authenticator) you log in with two factors. When your identity data are verified, this reaches trust level "substantial".',
  },
  'recovery.title': { de: 'Ihre Wiederherstellungscodes', en: 'Your recovery codes' },
  'recovery.intro': {
    de: 'Mit diesen Codes melden Sie sich an, wenn Sie Ihre Authenticator-App nicht zur Hand haben. Jeder Code gilt nur einmal. Drucken Sie sie aus oder schreiben Sie sie ab und bewahren Sie sie sicher auf: Wir zeigen sie nur dieses eine Mal.',
    en: 'Use these codes to log in when you do not have your authenticator app at hand. Each code works once. Print or copy them and keep them safe: we show them only this once.',
  },
  'recovery.continue': { de: 'Ich habe die Codes notiert – weiter', en: 'I have saved the codes – continue' },
  'recovery.use': {
    de: 'App nicht zur Hand? Wiederherstellungscode verwenden',
    en: 'App not at hand? Use a recovery code',
  },
  'recovery.code': { de: 'Wiederherstellungscode', en: 'Recovery code' },
  'recovery.codeHint': { de: 'Zehn Zeichen, zum Beispiel K7QX2-MP9RT', en: 'Ten characters, for example K7QX2-MP9RT' },
  'recovery.invalid': {
    de: 'Dieser Code stimmt nicht oder wurde schon benutzt.',
    en: 'This code is wrong or was already used.',
  },
  'recovery.remaining': { de: 'Noch {count} Wiederherstellungscodes übrig.', en: '{count} recovery codes left.' },
  'recovery.renew': { de: 'Neue Wiederherstellungscodes erzeugen', en: 'Create new recovery codes' },
  'webauthn.title': { de: 'Sicherheitsschlüssel oder Passkey', en: 'Security key or passkey' },
  'webauthn.use': {
    de: 'Mit Sicherheitsschlüssel oder Passkey bestätigen',
    en: 'Confirm with security key or passkey',
  },
  'webauthn.add': { de: 'Sicherheitsschlüssel oder Passkey hinzufügen', en: 'Add a security key or passkey' },
  'webauthn.addIntro': {
    de: 'Ein Sicherheitsschlüssel (USB oder NFC) oder ein Passkey auf Ihrem Gerät ist ein zweiter Faktor für das Vertrauensniveau „substanziell“. Fragt Ihr Gerät dabei nach PIN, Fingerabdruck oder Gesicht, melden Sie sich damit auch ganz ohne Passwort an: „Mit Passkey anmelden“.',
    en: 'A security key (USB or NFC) or a passkey on your device is a second factor for trust level "substantial". If your device asks for a PIN, fingerprint or face, it also logs you in without any password: "Log in with a passkey".',
  },
  'webauthn.name': { de: 'Name für diesen Schlüssel', en: 'Name for this key' },
  'webauthn.nameHint': {
    de: 'Damit Sie ihn in der Liste wiederfinden, z. B. „Schlüssel am Schlüsselbund“.',
    en: 'So you recognise it in the list, e.g. "key on my key ring".',
  },
  'webauthn.waiting': {
    de: 'Bitte bestätigen Sie mit Ihrem Schlüssel oder Gerät …',
    en: 'Please confirm with your key or device …',
  },
  'webauthn.failed': {
    de: 'Das hat nicht geklappt. Bitte versuchen Sie es erneut.',
    en: 'That did not work. Please try again.',
  },
  'webauthn.unsupported': {
    de: 'Dieser Browser unterstützt keine Sicherheitsschlüssel, oder JavaScript ist ausgeschaltet.',
    en: 'This browser does not support security keys, or JavaScript is turned off.',
  },
  'webauthn.invalid': {
    de: 'Der Schlüssel konnte nicht geprüft werden. Bitte versuchen Sie es erneut.',
    en: 'The key could not be checked. Please try again.',
  },
  'webauthn.added': { de: 'Der Schlüssel „{name}“ ist hinzugefügt.', en: 'The key "{name}" is added.' },
  'webauthn.removed': { de: 'Der Schlüssel ist entfernt.', en: 'The key is removed.' },
  'webauthn.remove': { de: 'Schlüssel entfernen', en: 'Remove key' },
  'webauthn.useApp': { de: 'Stattdessen die Authenticator-App verwenden', en: 'Use the authenticator app instead' },
  'means.needsMfa': {
    de: 'Um ein weiteres Anmeldemittel hinzuzufügen, melden Sie sich bitte zuerst mit Ihrem zweiten Faktor an.',
    en: 'To add another login method, please log in with your second factor first.',
  },
  'means.title': { de: 'Anmeldemittel', en: 'Login methods' },
  'means.password': { de: 'Passwort', en: 'Password' },
  'means.totp': { de: 'Authenticator-App', en: 'Authenticator app' },
  'means.since': { de: 'Eingerichtet am {date}', en: 'Set up on {date}' },
  'means.lastUsed': { de: 'Zuletzt benutzt am {date}', en: 'Last used on {date}' },
  'means.neverUsed': { de: 'Noch nicht benutzt', en: 'Not used yet' },
  'means.addTotp': { de: 'Authenticator-App einrichten', en: 'Set up an authenticator app' },
  'means.removeTotp': { de: 'Authenticator-App entfernen', en: 'Remove authenticator app' },
  'means.totpAdded': { de: 'Die Authenticator-App ist eingerichtet.', en: 'The authenticator app is set up.' },
  'means.totpRemoved': {
    de: 'Die Authenticator-App ist entfernt. Für das Vertrauensniveau „substanziell“ richten Sie bitte wieder ein Anmeldemittel ein.',
    en: 'The authenticator app is removed. For trust level "substantial", please set up a login method again.',
  },
  'totp.qrAlt': {
    de: 'QR-Code mit dem Schlüssel für Ihre Authenticator-App',
    en: 'QR code with the key for your authenticator app',
  },
} satisfies Messages;
