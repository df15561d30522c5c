import type { Messages } from './types.ts';

/** "Mein Konto": profile, password, e-mail, connected services, export, deletion. */
export const account = {
  'account.title': { de: 'Mein Konto', en: 'My account' },
  'account.welcome': { de: 'Angemeldet als {username} ({email})', en: 'Logged in as {username} ({email})' },
  'account.profile.title': { de: 'Persönliche Daten', en: 'Personal data' },
  'account.profile.intro': {
    de: 'Angaben ohne den Vermerk „Bestätigt“ haben Sie selbst eingetragen. Niemand hat sie geprüft, daher reichen sie nur für das Vertrauensniveau „Basisregistrierung“, die unterste Stufe. Alle Angaben werden nur an Dienste übermittelt, denen Sie zustimmen.',
    en: 'Entries without the note "Verified" were entered by you. Nobody has checked them, so they reach only the trust level "basic registration", the lowest one. All entries go only to services you agree to.',
  },
  'account.profile.saved': { de: 'Ihre Angaben sind gespeichert.', en: 'Your data are saved.' },
  'account.profile.verified': {
    de: 'Bestätigt – kann hier nicht geändert werden',
    en: 'Verified – cannot be changed here',
  },
  'attr.given_name': { de: 'Vorname(n)', en: 'Given name(s)' },
  'attr.family_name': { de: 'Familienname', en: 'Family name' },
  'attr.birthdate': { de: 'Geburtsdatum', en: 'Date of birth' },
  'attr.birth_family_name': { de: 'Geburtsname', en: 'Birth name' },
  'attr.place_of_birth': { de: 'Geburtsort', en: 'Place of birth' },
  'attr.nationality': { de: 'Staatsangehörigkeit', en: 'Nationality' },
  'attr.email': { de: 'E-Mail-Adresse', en: 'E-mail address' },
  'attr.choose': { de: 'Bitte wählen', en: 'Please choose' },
  'attr.birthdateHint': { de: 'Zum Beispiel 23.04.1980', en: 'For example 23/04/1980' },
  'attr.street_address': { de: 'Straße und Hausnummer', en: 'Street and number' },
  'attr.postal_code': { de: 'Postleitzahl', en: 'Postal code' },
  'attr.locality': { de: 'Ort', en: 'Town or city' },
  'attr.country': { de: 'Land', en: 'Country' },
  'attr.phone_number': { de: 'Telefonnummer', en: 'Telephone number' },
  'attr.invalidDate': {
    de: 'Geben Sie ein gültiges Geburtsdatum ein, zum Beispiel 23.04.1980.',
    en: 'Enter a valid date of birth, for example 23/04/1980.',
  },
  'attr.invalidCountry': {
    de: 'Wählen Sie ein Land aus der Liste.',
    en: 'Choose a country from the list.',
  },
  'attr.invalidPhone': {
    de: 'Bitte geben Sie eine Telefonnummer mit Ziffern ein, z. B. +49 211 123456.',
    en: 'Please enter a telephone number with digits, e.g. +49 211 123456.',
  },
  'attr.invalidText': { de: 'Bitte verwenden Sie keine Steuerzeichen.', en: 'Please do not use control characters.' },
  'account.password.title': { de: 'Passwort ändern', en: 'Change password' },
  'account.password.current': { de: 'Aktuelles Passwort', en: 'Current password' },
  'account.password.new': { de: 'Neues Passwort', en: 'New password' },
  'account.password.wrong': { de: 'Das aktuelle Passwort ist falsch.', en: 'The current password is wrong.' },
  'account.password.saved': { de: 'Ihr Passwort ist geändert.', en: 'Your password has been changed.' },
  'account.email.title': { de: 'E-Mail-Adresse ändern', en: 'Change e-mail address' },
  'account.email.new': { de: 'Neue E-Mail-Adresse', en: 'New e-mail address' },
  'account.email.hint': {
    de: 'Die neue Adresse gilt erst, wenn Sie den Link in der E-Mail an diese Adresse öffnen.',
    en: 'The new address applies only once you open the link in the e-mail sent to it.',
  },
  'account.email.sent': {
    de: 'Wir haben einen Bestätigungslink an {email} geschickt. Bis dahin bleibt Ihre bisherige Adresse gültig.',
    en: 'We sent a confirmation link to {email}. Until then your current address stays valid.',
  },
  'account.email.changed': {
    de: 'Ihre neue E-Mail-Adresse ist bestätigt.',
    en: 'Your new e-mail address is confirmed.',
  },
  'account.email.same': { de: 'Das ist schon Ihre E-Mail-Adresse.', en: 'This is already your e-mail address.' },
  'account.email.taken': {
    de: 'Diese E-Mail-Adresse gehört schon zu einem anderen Konto.',
    en: 'This e-mail address already belongs to another account.',
  },
  'account.services.title': { de: 'Verbundene Online-Dienste', en: 'Connected online services' },
  'account.services.none': {
    de: 'Sie haben noch keinem Online-Dienst Daten freigegeben.',
    en: 'You have not released data to any online service yet.',
  },
  'account.services.since': { de: 'Freigegeben am {date}', en: 'Released on {date}' },
  'account.services.revoke': { de: 'Freigabe widerrufen', en: 'Revoke release' },
  'account.services.revoked': {
    de: 'Die Freigabe für „{service}“ ist widerrufen. Der Dienst erhält keine Daten mehr, bis Sie erneut zustimmen.',
    en: 'The release for "{service}" is revoked. The service gets no more data until you agree again.',
  },
  'account.export.title': { de: 'Meine Daten herunterladen', en: 'Download my data' },
  'account.export.intro': {
    de: 'Alle Daten, die das Servicekonto über Sie speichert, in einer Datei zum Herunterladen.',
    en: 'All data the Servicekonto holds about you, in one file to download.',
  },
  'account.export.more': {
    de: 'Sie haben das Recht, Ihre Daten zu erhalten und mitzunehmen (Art. 15 und 20 Datenschutz-Grundverordnung). Die Datei ist im Format JSON, das auch andere Programme lesen können.',
    en: 'You have the right to receive your data and take them with you (Art. 15 and 20 General Data Protection Regulation). The file is in the JSON format, which other programs can read too.',
  },
  'account.export.button': { de: 'Daten herunterladen', en: 'Download data' },
  'account.delete.title': { de: 'Konto löschen', en: 'Delete account' },
  'account.delete.intro': {
    de: 'Wenn Sie Ihr Konto löschen, werden alle Ihre Daten und Freigaben gelöscht. Online-Dienste können Sie danach nicht mehr mit diesem Konto nutzen. Das lässt sich nicht rückgängig machen.',
    en: 'Deleting your account removes all your data and releases. You can no longer use online services with this account. This cannot be undone.',
  },
  // Each confirmation names its form: a page may hold several, and a screen reader lists the fields by label.
  'account.confirmPassword.delete': {
    de: 'Ihr Passwort, um das Konto zu löschen',
    en: 'Your password, to delete the account',
  },
  'account.confirmPassword.email': {
    de: 'Ihr Passwort, um die E-Mail-Adresse zu ändern',
    en: 'Your password, to change the e-mail address',
  },
  'account.confirmPassword.renew': {
    de: 'Ihr Passwort, um neue Wiederherstellungscodes zu erstellen',
    en: 'Your password, to create new recovery codes',
  },
  'account.confirmPassword.remove': {
    de: 'Ihr Passwort, um „{means}“ zu entfernen',
    en: 'Your password, to remove "{means}"',
  },
  'account.delete.button': { de: 'Konto endgültig löschen', en: 'Delete account for good' },
  'account.delete.doneTitle': { de: 'Konto gelöscht', en: 'Account deleted' },
  'account.delete.done': {
    de: 'Ihr Servicekonto und alle Ihre Daten sind gelöscht.',
    en: 'Your Servicekonto and all your data have been deleted.',
  },
  'account.welcomeShort': { de: 'Angemeldet als {username}', en: 'Logged in as {username}' },
  'account.confirm.title': { de: 'Bitte bestätigen Sie Ihre Anmeldung', en: 'Please confirm your login' },
  'account.confirm.intro': {
    de: 'Ihr Konto ist mit einem zweiten Faktor geschützt. Sie haben sich nur mit dem Passwort angemeldet. Um Ihre Daten zu sehen oder zu ändern, bestätigen Sie Ihre Anmeldung bitte mit Ihrem zweiten Faktor.',
    en: 'Your account is protected by a second factor. You logged in with your password only. To see or change your data, please confirm your login with your second factor.',
  },
  'account.secondFactorLogin.title': { de: 'Zweiter Faktor bei der Anmeldung', en: 'Second factor at login' },
  'account.secondFactorLogin.legend': {
    de: 'Wann fragen wir nach Ihrem zweiten Faktor?',
    en: 'When do we ask for your second factor?',
  },
  'account.secondFactorLogin.always': { de: 'Bei jeder Anmeldung (empfohlen)', en: 'At every login (recommended)' },
  'account.secondFactorLogin.notForLow': {
    de: 'Nicht bei Online-Diensten, die nur das Vertrauensniveau „Basisregistrierung“ oder „niedrig“ brauchen',
    en: 'Not for online services that need only trust level "basic registration" or "low"',
  },
  'account.secondFactorLogin.warningTitle': {
    de: 'Achtung: Dann genügt dort Ihr Passwort allein',
    en: 'Caution: your password alone is then enough there',
  },
  'account.secondFactorLogin.warning': {
    de: 'Wer Ihr Passwort kennt, kann sich dann bei diesen Online-Diensten als Sie anmelden. Für „Mein Konto“ und für Dienste mit höherem Vertrauensniveau fragen wir immer nach dem zweiten Faktor.',
    en: 'Anyone who knows your password can then log in to these online services as you. For "My account" and for services with a higher trust level we always ask for the second factor.',
  },
  'account.secondFactorLogin.savedOn': {
    de: 'Wir fragen jetzt bei jeder Anmeldung nach Ihrem zweiten Faktor.',
    en: 'We now ask for your second factor at every login.',
  },
  'account.secondFactorLogin.savedOff': {
    de: 'Bei Online-Diensten mit Vertrauensniveau „Basisregistrierung“ oder „niedrig“ genügt jetzt Ihr Passwort. Wir haben Ihnen dazu eine E-Mail geschickt.',
    en: 'For online services at trust level "basic registration" or "low" your password is now enough. We sent you an e-mail about it.',
  },
} satisfies Messages;
