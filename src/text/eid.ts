import type { Messages } from './types.ts';

/** What went wrong with the ID card, in plain language (the outcome table of docs/eid-design-notes.md §3). */
export const eid = {
  'eid.choice.title': { de: 'Mit Online-Ausweis', en: 'With the online ID' },
  'eid.choice.hint': {
    de: 'Personalausweis, elektronischer Aufenthaltstitel oder Smart-eID mit PIN – das höchste Vertrauensniveau.',
    en: 'ID card, electronic residence permit or Smart-eID with PIN – the highest trust level.',
  },
  'eid.handover.title': { de: 'Mit Online-Ausweis fortfahren', en: 'Continue with the online ID' },
  'eid.handover.intro': {
    de: 'Sie brauchen Ihren Ausweis mit Online-Funktion, Ihre 6-stellige PIN und die AusweisApp auf diesem Gerät oder auf Ihrem Smartphone.',
    en: 'You need your ID with the online function, your 6-digit PIN and the AusweisApp on this device or on your smartphone.',
  },
  'eid.handover.start': { de: 'Ausweis jetzt auslesen', en: 'Read the ID now' },
  'eid.handover.after': {
    de: 'Die AusweisApp öffnet sich. Nach der PIN-Eingabe kommen Sie automatisch hierher zurück.',
    en: 'The AusweisApp opens. After you enter the PIN you come back here automatically.',
  },
  'eid.handover.dataTitle': { de: 'Diese Daten werden ausgelesen', en: 'These data are read' },
  'eid.handover.optional': { de: '(freiwillig)', en: '(optional)' },
  'eid.handover.why.login': {
    de: 'Damit wir Ihr Servicekonto finden. Es wird nichts gespeichert, was nicht schon in Ihrem Konto steht.',
    en: 'So that we can find your account. Nothing is stored that is not in your account already.',
  },
  'eid.handover.why.register': {
    de: 'Diese Daten werden in Ihrem neuen Servicekonto gespeichert, mit dem Vertrauensniveau hoch.',
    en: 'These data are stored in your new account, at trust level high.',
  },
  'eid.handover.why.link': {
    de: 'Sie sehen die Daten vom Ausweis neben Ihren bisherigen Angaben, bevor etwas gespeichert wird.',
    en: 'You see the data from the ID next to what you entered before anything is stored.',
  },
  'eid.handover.why.recover': {
    de: 'Damit wir prüfen können, dass das Servicekonto Ihnen gehört.',
    en: 'So that we can check that the account is yours.',
  },
  'eid.handover.why.guest': {
    de: 'Die Daten gehen nur an diesen Online-Dienst. Es wird kein Servicekonto angelegt und nichts gespeichert.',
    en: 'The data go to this online service only. No account is created and nothing is stored.',
  },
  'eid.handover.otherMethod': { de: 'Andere Anmeldeart wählen', en: 'Choose another way to log in' },
  'eid.handover.back': { de: 'Zurück', en: 'Back' },
  'eid.op.DocumentType': { de: 'Dokumentart', en: 'Document type' },
  'eid.op.IssuingState': { de: 'Ausstellender Staat', en: 'Issuing state' },
  'eid.op.DateOfExpiry': { de: 'Gültig bis', en: 'Valid until' },
  'eid.op.GivenNames': { de: 'Vornamen', en: 'Given names' },
  'eid.op.FamilyNames': { de: 'Familienname', en: 'Family name' },
  'eid.op.ArtisticName': { de: 'Ordensname oder Künstlername', en: 'Religious or stage name' },
  'eid.op.AcademicTitle': { de: 'Doktorgrad', en: 'Doctoral degree' },
  'eid.op.DateOfBirth': { de: 'Geburtsdatum', en: 'Date of birth' },
  'eid.op.PlaceOfBirth': { de: 'Geburtsort', en: 'Place of birth' },
  'eid.op.Nationality': { de: 'Staatsangehörigkeit', en: 'Nationality' },
  'eid.op.BirthName': { de: 'Geburtsname', en: 'Birth name' },
  'eid.op.PlaceOfResidence': { de: 'Anschrift', en: 'Address' },
  'eid.op.CommunityID': { de: 'Gemeindeschlüssel', en: 'Municipality code' },
  'eid.op.ResidencePermitI': { de: 'Nebenbestimmungen zum Aufenthaltstitel', en: 'Conditions of the residence permit' },
  'eid.op.RestrictedID': {
    de: 'Pseudonym des Ausweises (nur für das Servicekonto)',
    en: 'Pseudonym of the ID (for the account only)',
  },
  'eid.op.AgeVerification': { de: 'Altersbestätigung', en: 'Age confirmation' },
  'eid.op.PlaceVerification': { de: 'Wohnortbestätigung', en: 'Place of residence confirmation' },
  'eid.failed.title': { de: 'Der Ausweis konnte nicht gelesen werden', en: 'The ID could not be read' },
  'eid.retry': { de: 'Erneut versuchen', en: 'Try again' },
  'eid.pending.title': { de: 'Der Ausweis wird noch gelesen', en: 'The ID is still being read' },
  'eid.pending.text': {
    de: 'Bitte schließen Sie das Auslesen in der AusweisApp ab und wählen Sie dann „Weiter“.',
    en: 'Please finish reading in the AusweisApp, then choose “Continue”.',
  },
  'eid.pending.continue': { de: 'Weiter', en: 'Continue' },
  'eid.otherBrowser.title': {
    de: 'Bitte kehren Sie zum ersten Browser zurück',
    en: 'Please go back to the first browser',
  },
  'eid.otherBrowser.text': {
    de: 'Das Auslesen wurde in einem anderen Browser begonnen. Aus Sicherheitsgründen geht es nur dort weiter. Wechseln Sie bitte zu dem Browser, in dem Sie angefangen haben.',
    en: 'Reading was started in another browser. For your security it can only continue there. Please switch to the browser where you started.',
  },
  'eid.expired.title': { de: 'Dieser Vorgang ist abgelaufen', en: 'This attempt has expired' },
  'eid.levelWay.link.title': { de: 'Online-Ausweis mit dem Konto verbinden', en: 'Link your online ID to the account' },
  'eid.levelWay.link.text': {
    de: 'Mit dem Personalausweis, dem elektronischen Aufenthaltstitel, der eID-Karte oder der Smart-eID und der AusweisApp. Ihre Angaben werden dabei aus dem Ausweis übernommen und gelten als bestätigt.',
    en: 'With the identity card, the electronic residence permit, the eID card or the Smart-eID and the AusweisApp. Your data are taken over from the ID and count as verified.',
  },
  'eid.levelWay.login.title': { de: 'Mit Online-Ausweis anmelden', en: 'Log in with the online ID' },
  'eid.levelWay.login.text': {
    de: 'Ihre Angaben sind schon bestätigt. Melden Sie sich mit Ihrem Ausweis und der AusweisApp an; der Ausweis wird dabei mit Ihrem Konto verbunden.',
    en: 'Your data are already verified. Log in with your ID and the AusweisApp; the ID is linked to your account on the way.',
  },
  'eid.unknownCard.title': {
    de: 'Zu diesem Ausweis gibt es noch kein Servicekonto',
    en: 'There is no account for this ID yet',
  },
  'eid.unknownCard.text': {
    de: 'Sie können mit dem Ausweis ein neues Servicekonto anlegen. Haben Sie schon ein Servicekonto mit Benutzername und Passwort, melden Sie sich damit an und verbinden Sie den Ausweis unter „Mein Konto“.',
    en: 'You can create a new account with the ID. If you already have an account with username and password, log in with it and link the ID under “My account”.',
  },
  'eid.unknownCard.offer': {
    de: 'Legen Sie jetzt ein Servicekonto an. Ihr Ausweis ist schon ausgelesen: Sie brauchen die PIN nicht noch einmal.',
    en: 'Create an account now. Your ID has been read already: you do not need the PIN again.',
  },
  'eid.unknownCard.dataIntro': {
    de: 'Diese Daten werden in Ihrem Servicekonto gespeichert, mit dem Vertrauensniveau „hoch“. Ihre Anschrift und weitere Angaben können Sie später unter „Mein Konto“ mit dem Ausweis ergänzen.',
    en: 'These data are stored in your account, at trust level "high". You can add your address and further details from the ID later under "My account".',
  },
  'eid.unknownCard.haveAccount': { de: 'Sie haben schon ein Servicekonto?', en: 'You already have an account?' },
  'eid.unknownCard.haveAccountText': {
    de: 'Melden Sie sich mit Benutzername und Passwort an und verbinden Sie den Ausweis danach unter „Mein Konto“.',
    en: 'Log in with username and password and then link the ID under “My account”.',
  },
  'eid.unknownCard.register': { de: 'Mit Online-Ausweis registrieren', en: 'Register with your online ID' },
  'eid.unknownCard.password': { de: 'Mit Benutzername und Passwort anmelden', en: 'Log in with username and password' },
  'eid.blockedCard.title': { de: 'Dieser Ausweis ist gesperrt', en: 'This ID is blocked' },
  'eid.blockedCard.text': {
    de: 'Sie haben diesen Ausweis für Ihr Servicekonto gesperrt. Melden Sie sich bitte anders an, oder verbinden Sie unter „Mein Konto“ einen neuen Ausweis.',
    en: 'You blocked this ID for your account. Please log in another way, or link a new ID under “My account”.',
  },
  'eid.accountLocked': {
    de: 'Das Servicekonto zu diesem Ausweis ist gesperrt. Bitte wenden Sie sich an Ihre Servicekonto-Stelle.',
    en: 'The account of this ID is locked. Please contact your account office.',
  },
  'eid.lowLevel': {
    de: 'Dieser Ausweis erreicht nicht das nötige Vertrauensniveau. Bitte verwenden Sie Ihren Ausweis als Karte: Personalausweis, elektronischen Aufenthaltstitel oder eID-Karte.',
    en: 'This ID does not reach the required trust level. Please use your ID as a card: identity card, electronic residence permit or eID card.',
  },
  'eid.error.cancelled': {
    de: 'Sie haben das Auslesen des Ausweises abgebrochen. Sie können es jederzeit erneut versuchen.',
    en: 'You cancelled reading the ID card. You can try again at any time.',
  },
  'eid.error.interrupted': {
    de: 'Die Verbindung zum Ausweis wurde unterbrochen, oder die PIN war falsch. Bitte legen Sie den Ausweis ruhig auf und versuchen Sie es erneut.',
    en: 'The connection to the ID card was interrupted, or the PIN was wrong. Please hold the card still and try again.',
  },
  'eid.error.card': {
    de: 'Der Ausweis kann gerade nicht gelesen werden. Ist die PIN gesperrt, entsperren Sie sie mit der PUK aus dem PIN-Brief, zum Beispiel in der AusweisApp.',
    en: 'The ID card cannot be read right now. If the PIN is blocked, unblock it with the PUK from your PIN letter, for example in the AusweisApp.',
  },
  'eid.error.expired': {
    de: 'Dieser Ausweis ist abgelaufen. Bitte verwenden Sie einen gültigen Ausweis.',
    en: 'This ID card has expired. Please use a valid ID card.',
  },
  'eid.error.invalid': {
    de: 'Dieser Ausweis wurde nicht angenommen, zum Beispiel weil er gesperrt ist. Bitte wenden Sie sich an Ihre Ausweisbehörde.',
    en: 'This ID card was not accepted, for example because it is blocked. Please contact your ID card office.',
  },
  'eid.error.typeDenied': {
    de: 'Diese Art von Ausweis reicht für diesen Online-Dienst nicht aus. Bitte verwenden Sie Ihren Personalausweis oder Ihren elektronischen Aufenthaltstitel.',
    en: 'This kind of ID is not enough for this online service. Please use your ID card or your electronic residence permit.',
  },
  'eid.error.timeout': {
    de: 'Das Auslesen hat zu lange gedauert. Bitte versuchen Sie es erneut.',
    en: 'Reading took too long. Please try again.',
  },
  'eid.error.busy': {
    de: 'Der Ausweis-Dienst ist gerade stark ausgelastet. Bitte versuchen Sie es in einigen Minuten erneut.',
    en: 'The ID card service is very busy right now. Please try again in a few minutes.',
  },
  'eid.error.technical': {
    de: 'Beim Auslesen ist ein technischer Fehler aufgetreten. Ihre Daten sind sicher. Bitte versuchen Sie es später erneut.',
    en: 'A technical error occurred while reading. Your data are safe. Please try again later.',
  },
} satisfies Messages;
