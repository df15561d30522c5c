import type { Messages } from '../../text/types.ts';

/**
 * The simulated eID client (src/dev/eid-client, development only): the
 * AusweisApp's stand-in. The data labels follow the AusweisApp's German
 * wording, in plain language.
 */
export const eidClientTexts = {
  'eidClient.title': {
    de: 'Ausweisen mit dem Online-Ausweis (Simulation)',
    en: 'Identify with the online ID (simulation)',
  },
  'eidClient.banner.title': {
    de: 'Nur für die Entwicklung: Ersatz für die AusweisApp',
    en: 'Development only: a stand-in for the AusweisApp',
  },
  'eidClient.banner.body': {
    de: 'Diese Seite spielt beim Entwickeln und Testen die AusweisApp nach. Sie liest keinen echten Ausweis: Die Karten und die PIN sind Testdaten des eID-Simulators.',
    en: 'This page plays the part of the AusweisApp during development and tests. It reads no real ID card: the cards and the PIN are test data of the eID simulator.',
  },
  'eidClient.service': { de: 'Angaben des Online-Dienstes', en: 'Information from the online service' },
  'eidClient.requested': {
    de: 'Diese Daten werden aus dem Ausweis gelesen',
    en: 'These data will be read from the ID card',
  },
  'eidClient.requiredNone': {
    de: 'Der Online-Dienst verlangt keine Daten.',
    en: 'The online service asks for no data.',
  },
  'eidClient.optional': {
    de: 'Freiwillige Angaben: Entfernen Sie den Haken bei allem, was nicht übermittelt werden soll.',
    en: 'Optional data: untick everything that shall not be sent.',
  },
  'eidClient.card': { de: 'Testkarte', en: 'Test card' },
  'eidClient.cardMissing': { de: 'Bitte wählen Sie eine Testkarte.', en: 'Please choose a test card.' },
  'eidClient.pin': { de: 'PIN (6 Ziffern)', en: 'PIN (6 digits)' },
  'eidClient.pinHint': { de: 'Jede Testkarte hat die PIN {pin}.', en: 'Every test card has the PIN {pin}.' },
  'eidClient.pinMissing': { de: 'Bitte geben Sie die PIN ein.', en: 'Please enter the PIN.' },
  'eidClient.pinWrong': {
    de: 'Die PIN ist falsch. Sie haben noch {tries} Versuche.',
    en: 'The PIN is wrong. You have {tries} tries left.',
  },
  'eidClient.pinWrongLast': {
    de: 'Die PIN ist falsch. Sie haben noch einen Versuch; danach ist die PIN gesperrt.',
    en: 'The PIN is wrong. You have one try left; after that the PIN is blocked.',
  },
  'eidClient.submit': { de: 'Ausweisen', en: 'Identify' },
  'eidClient.cancel': { de: 'Abbrechen', en: 'Cancel' },
  'eidClient.problem.title': { de: 'Der Ausweisvorgang kann nicht beginnen', en: 'Identification cannot start' },
  'eidClient.problem.ownOrigin': {
    de: 'Die Adresse des TC-Tokens fehlt oder ist nicht erlaubt: Dieser Ersatz für die AusweisApp lädt TC-Tokens nur von der eigenen Adresse des Servicekontos.',
    en: "The TC token address is missing or not allowed: this stand-in for the AusweisApp loads TC tokens only from the Servicekonto's own address.",
  },
  'eidClient.problem.token': {
    de: 'Das TC-Token konnte nicht geladen oder gelesen werden.',
    en: 'The TC token could not be loaded or read.',
  },
  'eidClient.problem.expired': {
    de: 'Dieser Ausweisvorgang ist abgelaufen oder unbekannt. Bitte starten Sie die Anmeldung beim Online-Dienst neu.',
    en: 'This identification has expired or is unknown. Please start the login at the online service again.',
  },
  'eidClient.problem.reason': { de: 'Grund', en: 'Reason' },
  'eidClient.op.DocumentType': { de: 'Dokumentart', en: 'Document type' },
  'eidClient.op.IssuingState': { de: 'Ausstellender Staat', en: 'Issuing state' },
  'eidClient.op.DateOfExpiry': { de: 'Gültig bis', en: 'Valid until' },
  'eidClient.op.GivenNames': { de: 'Vorname(n)', en: 'Given name(s)' },
  'eidClient.op.FamilyNames': { de: 'Familienname', en: 'Family name' },
  'eidClient.op.ArtisticName': { de: 'Ordens- oder Künstlername', en: 'Religious or artistic name' },
  'eidClient.op.AcademicTitle': { de: 'Doktorgrad', en: 'Doctoral degree' },
  'eidClient.op.DateOfBirth': { de: 'Geburtsdatum', en: 'Date of birth' },
  'eidClient.op.PlaceOfBirth': { de: 'Geburtsort', en: 'Place of birth' },
  'eidClient.op.Nationality': { de: 'Staatsangehörigkeit', en: 'Nationality' },
  'eidClient.op.BirthName': { de: 'Geburtsname', en: 'Birth name' },
  'eidClient.op.PlaceOfResidence': { de: 'Anschrift', en: 'Address' },
  'eidClient.op.CommunityID': {
    de: 'Gemeindeschlüssel des Wohnorts',
    en: 'Municipality code of the place of residence',
  },
  'eidClient.op.ResidencePermitI': {
    de: 'Nebenbestimmungen zum Aufenthaltstitel',
    en: 'Conditions of the residence permit',
  },
  'eidClient.op.RestrictedID': {
    de: 'Pseudonym (dienste- und kartenspezifisches Kennzeichen)',
    en: 'Pseudonym (an identifier specific to the service and the card)',
  },
  'eidClient.op.AgeVerification': { de: 'Bestätigung des Alters', en: 'Confirmation of age' },
  'eidClient.op.PlaceVerification': { de: 'Bestätigung des Wohnorts', en: 'Confirmation of the place of residence' },
} satisfies Messages;
