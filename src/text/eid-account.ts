import type { Messages } from './types.ts';

/**
 * Registering with the eID, linking it on "Mein Konto", refreshing the data, blocking a card (docs/eid-design-notes.md
 * §6).
 */
export const eidAccount = {
  'eidAccount.register.offer': { de: 'Mit Online-Ausweis registrieren', en: 'Register with your online ID' },
  'eidAccount.register.offerHint': {
    de: 'Mit der Online-Ausweisfunktion (Personalausweis, elektronischer Aufenthaltstitel oder Smart-eID) und Ihrer PIN. Ihre Daten kommen direkt vom Ausweis und gelten als bestätigt, mit dem Vertrauensniveau hoch. Sie brauchen kein Passwort.',
    en: 'With the online ID function (ID card, electronic residence permit or Smart-eID) and your PIN. Your data come straight from the ID and count as verified, at trust level high. You need no password.',
  },
  'eidAccount.register.orPassword': { de: 'Oder mit Benutzername und Passwort', en: 'Or with username and password' },
  'eidAccount.register.handoverTitle': { de: 'Mit Online-Ausweis registrieren', en: 'Register with the online ID' },
  'eidAccount.register.back': { de: 'Zurück zur Registrierung', en: 'Back to registration' },
  'eidAccount.register.title': {
    de: 'Servicekonto mit Online-Ausweis anlegen',
    en: 'Create an account with the online ID',
  },
  'eidAccount.register.intro': {
    de: 'Diese Daten wurden von Ihrem Ausweis gelesen. Sie werden in Ihrem Servicekonto gespeichert, mit dem Vertrauensniveau hoch.',
    en: 'These data were read from your ID. They are stored in your account, at trust level high.',
  },
  'eidAccount.register.dataTitle': { de: 'Daten vom Ausweis', en: 'Data from the ID' },
  'eidAccount.register.formTitle': { de: 'Ihre Kontaktdaten', en: 'Your contact details' },
  'eidAccount.register.emailHint': {
    de: 'Wir schicken Ihnen einen Link, mit dem Sie die Adresse bestätigen. Mit dem Ausweis anmelden können Sie sich schon vorher. Bestätigen Sie die Adresse innerhalb von 7 Tagen, sonst löschen wir das Servicekonto wieder.',
    en: 'We send you a link to confirm the address. You can log in with your ID before that. Confirm the address within 7 days, or we delete the account again.',
  },
  'eidAccount.register.usernameHint': {
    de: 'Freiwillig. Lassen Sie das Feld leer, vergeben wir einen Namen für Sie. Erlaubt sind 3 bis 64 Buchstaben, Ziffern, Punkt, Bindestrich und Unterstrich.',
    en: 'Optional. Leave it empty and we choose a name for you. 3 to 64 letters, digits, dot, hyphen and underscore are allowed.',
  },
  'eidAccount.register.submit': { de: 'Servicekonto anlegen', en: 'Create account' },
  'eidAccount.exists.title': {
    de: 'Für diesen Ausweis gibt es schon ein Servicekonto',
    en: 'There is already an account for this ID',
  },
  'eidAccount.exists.text': {
    de: 'Ein Ausweis gehört zu höchstens einem Servicekonto. Melden Sie sich mit dem Ausweis an; Sie sind dann in Ihrem bestehenden Servicekonto.',
    en: 'An ID belongs to one account at most. Log in with the ID; you are then in your existing account.',
  },
  'eidAccount.exists.login': { de: 'Mit Online-Ausweis anmelden', en: 'Log in with the online ID' },
  'eidAccount.expired.text': {
    de: 'Die Daten vom Ausweis werden nur wenige Minuten aufbewahrt und nur einmal verwendet. Bitte lesen Sie den Ausweis erneut aus.',
    en: 'The data from the ID are kept for a few minutes only and used once. Please read the ID again.',
  },
  'eidAccount.document.idcard': { de: 'Personalausweis', en: 'ID card' },
  'eidAccount.document.residence-permit': { de: 'Elektronischer Aufenthaltstitel', en: 'Electronic residence permit' },
  'eidAccount.type.card': { de: 'Online-Ausweisfunktion der Karte', en: 'Online function of the card' },
  'eidAccount.type.smart': { de: 'Smart-eID auf dem Smartphone', en: 'Smart-eID on the smartphone' },
  'eidAccount.section.title': { de: 'Online-Ausweis', en: 'Online ID' },
  'eidAccount.section.intro': {
    de: 'Mit einem verbundenen Ausweis melden Sie sich mit dem Vertrauensniveau hoch an, und Ihre Daten vom Ausweis gelten als bestätigt.',
    en: 'With a linked ID you log in at trust level high, and your data from the ID count as verified.',
  },
  'eidAccount.section.none': { de: 'Sie haben noch keinen Ausweis verbunden.', en: 'You have not linked an ID yet.' },
  'eidAccount.section.confirmFirst': {
    de: 'Um einen Ausweis zu verbinden, Daten zu aktualisieren oder einen Ausweis zu sperren, bestätigen Sie bitte zuerst Ihre Anmeldung.',
    en: 'To link an ID, refresh your data or block an ID, please first confirm your login.',
  },
  'eidAccount.section.link': { de: 'Online-Ausweis verbinden', en: 'Link the online ID' },
  'eidAccount.section.refresh': { de: 'Daten mit Ausweis aktualisieren', en: 'Refresh data with the ID' },
  'eidAccount.card.since': { de: 'Verbunden am {date}', en: 'Linked on {date}' },
  'eidAccount.card.lastUsed': { de: 'zuletzt benutzt am {date}', en: 'last used on {date}' },
  'eidAccount.card.blockIntro': {
    de: 'Ausweis verloren oder gestohlen? Nach dem Sperren kann sich damit niemand mehr in Ihrem Servicekonto anmelden, und alle anderen Anmeldungen enden. Die Sperre lässt sich nicht aufheben; einen neuen Ausweis können Sie jederzeit verbinden.',
    en: 'ID lost or stolen? After blocking, nobody can log in to your account with it, and every other login ends. The block cannot be lifted; you can link a new ID at any time.',
  },
  'eidAccount.card.block': { de: 'Ausweis sperren', en: 'Block the ID' },
  'eidAccount.blocked': {
    de: 'Der Ausweis ist für Ihr Servicekonto gesperrt. Alle anderen Anmeldungen sind beendet.',
    en: 'The ID is blocked for your account. Every other login has ended.',
  },
  'eidAccount.link.title': { de: 'Online-Ausweis verbinden', en: 'Link the online ID' },
  'eidAccount.refresh.title': { de: 'Daten mit Ausweis aktualisieren', en: 'Refresh data with the ID' },
  'eidAccount.back': { de: 'Zurück zu Mein Konto', en: 'Back to My account' },
  'eidAccount.compare.title': { de: 'Daten vom Ausweis übernehmen', en: 'Take over the data from the ID' },
  'eidAccount.compare.caption': {
    de: 'Ihre bisherigen Angaben und die Daten vom Ausweis',
    en: 'Your data so far and the data from the ID',
  },
  'eidAccount.compare.attribute': { de: 'Angabe', en: 'Item' },
  'eidAccount.compare.stored': { de: 'Ihre Angabe', en: 'Your entry' },
  'eidAccount.compare.card': { de: 'Auf dem Ausweis', en: 'On the ID' },
  'eidAccount.compare.status': { de: 'Status', en: 'Status' },
  'eidAccount.compare.empty': { de: 'keine Angabe', en: 'none' },
  'eidAccount.compare.same': { de: 'gleich', en: 'same' },
  'eidAccount.compare.different': { de: 'abweichend', en: 'different' },
  'eidAccount.compare.new': { de: 'neu', en: 'new' },
  'eidAccount.compare.kept': { de: 'bleibt (nicht auf dem Ausweis)', en: 'stays (not on the ID)' },
  'eidAccount.compare.note': {
    de: 'Die Daten vom Ausweis ersetzen Ihre Angaben und gelten dann als bestätigt (Vertrauensniveau hoch). Angaben, die nicht auf dem Ausweis stehen, bleiben unverändert.',
    en: 'The data from the ID replace your entries and then count as verified (trust level high). Entries that are not on the ID stay unchanged.',
  },
  'eidAccount.compare.changedHolder': {
    de: 'Name oder Geburtsdatum auf diesem Ausweis weichen von den bestätigten Daten Ihres Servicekontos ab, zum Beispiel nach einer Heirat. Bitte prüfen Sie die Unterschiede und bestätigen Sie ausdrücklich, dass es Ihr Ausweis ist.',
    en: 'Name or date of birth on this ID differ from the verified data of your account, for example after a marriage. Please check the differences and confirm expressly that this is your ID.',
  },
  'eidAccount.compare.really': {
    de: 'Ja, das ist mein Ausweis. Die geänderten Daten sollen übernommen werden.',
    en: 'Yes, this is my ID. The changed data shall be taken over.',
  },
  'eidAccount.compare.reallyMissing': {
    de: 'Bitte bestätigen Sie, dass es Ihr Ausweis ist.',
    en: 'Please confirm that this is your ID.',
  },
  'eidAccount.compare.confirmLink': {
    de: 'Daten übernehmen und Ausweis verbinden',
    en: 'Take over the data and link the ID',
  },
  'eidAccount.compare.confirmRefresh': { de: 'Daten übernehmen', en: 'Take over the data' },
  'eidAccount.compare.cancel': { de: 'Abbrechen, nichts speichern', en: 'Cancel, store nothing' },
  'eidAccount.linked': {
    de: 'Ihr Online-Ausweis ist verbunden. Ihre Daten vom Ausweis sind jetzt mit dem Vertrauensniveau hoch bestätigt.',
    en: 'Your online ID is linked. Your data from the ID are now verified at trust level high.',
  },
  'eidAccount.cardAdded': {
    de: 'Der Ausweis ist mit Ihrem Servicekonto verbunden.',
    en: 'The ID is linked to your account.',
  },
  'eidAccount.refreshed': {
    de: 'Ihre Daten sind mit dem Ausweis aktualisiert.',
    en: 'Your data are refreshed from the ID.',
  },
  'eidAccount.doneTitle': { de: 'Erledigt', en: 'Done' },
  'eidAccount.toAccount': { de: 'Zu Mein Konto', en: 'To My account' },
  'eidAccount.toWaitingLogin': { de: 'Weiter zur Anmeldung beim Dienst', en: 'Continue the login at the service' },
  'eidAccount.refused.title': {
    de: 'Dieser Ausweis gehört zu einem anderen Servicekonto',
    en: 'This ID belongs to another account',
  },
  'eidAccount.refused.text': {
    de: 'Ein Ausweis kann nur mit einem Servicekonto verbunden sein. Es wurde nichts gespeichert. Melden Sie sich mit dem Ausweis an, um das andere Servicekonto zu verwenden.',
    en: 'An ID can be linked to one account only. Nothing was stored. Log in with the ID to use the other account.',
  },
  'eidAccount.notLinked.title': {
    de: 'Dieser Ausweis ist nicht mit Ihrem Servicekonto verbunden',
    en: 'This ID is not linked to your account',
  },
  'eidAccount.notLinked.text': {
    de: 'Zum Aktualisieren verwenden Sie bitte einen Ausweis, der mit Ihrem Servicekonto verbunden ist. Einen neuen Ausweis verbinden Sie mit „Online-Ausweis verbinden“. Es wurde nichts gespeichert.',
    en: 'To refresh, please use an ID that is linked to your account. Link a new ID with “Link the online ID”. Nothing was stored.',
  },
  'eidAccount.confirm.title': {
    de: 'Bitte bestätigen Sie zuerst Ihre Anmeldung',
    en: 'Please confirm your login first',
  },
  'eidAccount.eidFirst.text': {
    de: 'Mit Ihrem Servicekonto ist ein Ausweis verbunden. Ausweise verbinden, sperren und Ihre Daten damit ändern können Sie nur nach einer Anmeldung mit diesem Ausweis.',
    en: 'An ID is linked to your account. You can link or block IDs and change your data with them only after logging in with that ID.',
  },
  'eidAccount.eidFirst.login': { de: 'Mit Online-Ausweis anmelden', en: 'Log in with the online ID' },
  'eidAccount.eidFirst.lost': {
    de: 'Ausweis verloren? Lassen Sie ihn beim Sperrnotruf 116 116 sperren. Ein gesperrter Ausweis kann nicht mehr verwendet werden, auch nicht für Ihr Servicekonto.',
    en: 'Lost your ID? Have it blocked through the blocking hotline 116 116. A blocked ID can no longer be used, not for your account either.',
  },
  'eidAccount.otherHolder.title': {
    de: 'Dieser Ausweis gehört zu einer anderen Person',
    en: 'This ID belongs to another person',
  },
  'eidAccount.otherHolder.text': {
    de: 'Vornamen und Geburtsdatum auf dem Ausweis stimmen nicht mit Ihren geprüften Daten überein. Es wurde nichts gespeichert. Wenn sich Ihre Daten geändert haben, wenden Sie sich bitte an Ihre Servicekonto-Stelle.',
    en: 'The given names and date of birth on the ID do not match your verified data. Nothing was stored. If your data have changed, please contact your account office.',
  },
  'eidAccount.source': { de: 'Vom Online-Ausweis, gelesen am {date}', en: 'From the online ID, read on {date}' },
} satisfies Messages;
