import type { Messages } from './types.ts';

/** SMS-TAN: the message itself, the step-up and the set-up on "Mein Konto". */
export const sms = {
  'sms.text': {
    de: 'Ihr Servicekonto-Code: {tan}. Er gilt {minutes} Minuten. Geben Sie ihn niemandem weiter – auch nicht am Telefon.',
    en: 'Your Servicekonto code: {tan}. It is valid for {minutes} minutes. Never share it – not even on the phone.',
  },
  'sms.title': { de: 'SMS-TAN', en: 'SMS code' },
  'sms.use': { de: 'Code per SMS an {phone}', en: 'Code by SMS to {phone}' },
  'sms.willSend': {
    de: 'Wir senden Ihnen einen sechsstelligen Code per SMS an {phone}.',
    en: 'We will send you a six-digit code by SMS to {phone}.',
  },
  'sms.send': { de: 'Code senden', en: 'Send code' },
  'sms.resend': { de: 'Neuen Code senden', en: 'Send a new code' },
  'sms.sent': {
    de: 'Wir haben einen Code an {phone} gesendet. Er gilt 5 Minuten.',
    en: 'We sent a code to {phone}. It is valid for 5 minutes.',
  },
  'sms.resent': {
    de: 'Wir haben einen neuen Code an {phone} gesendet. Er gilt 5 Minuten. Der vorige Code gilt nicht mehr.',
    en: 'We sent a new code to {phone}. It is valid for 5 minutes. The previous code no longer works.',
  },
  'sms.tan': { de: 'Sechsstelliger Code aus der SMS', en: 'Six-digit code from the SMS' },
  'sms.tanHint': {
    de: 'Nach drei falschen Eingaben fordern Sie bitte einen neuen Code an.',
    en: 'After three wrong tries, please ask for a new code.',
  },
  'sms.invalid': {
    de: 'Der Code stimmt nicht oder ist abgelaufen. Bitte prüfen Sie die SMS oder fordern Sie einen neuen Code an.',
    en: 'The code is wrong or has expired. Please check the SMS or ask for a new code.',
  },
  'sms.failed': {
    de: 'Die SMS konnte gerade nicht gesendet werden. Bitte versuchen Sie es in einigen Minuten erneut oder verwenden Sie einen anderen zweiten Faktor.',
    en: 'The SMS could not be sent just now. Please try again in a few minutes or use another second factor.',
  },
  'sms.phone': { de: 'Mobilfunknummer', en: 'Mobile number' },
  'sms.phoneHint': {
    de: 'Zum Beispiel 0151 23456789 oder +49 151 23456789',
    en: 'For example 0151 23456789 or +49 151 23456789',
  },
  'sms.phoneInvalid': {
    de: 'Bitte geben Sie eine Telefonnummer ein, zum Beispiel 0151 23456789.',
    en: 'Please enter a phone number, for example 0151 23456789.',
  },
  'sms.phoneNotMobile': {
    de: 'Bitte geben Sie eine Mobilfunknummer ein: An Festnetznummern können wir keine SMS senden.',
    en: 'Please enter a mobile number: we cannot send SMS to landlines.',
  },
  'sms.add': { de: 'Mobilfunknummer für SMS-TAN hinzufügen', en: 'Add a mobile number for SMS codes' },
  'sms.addIntro': {
    de: 'Mit einem Code per SMS bestätigen Sie Ihre Anmeldung zusätzlich. Für das Vertrauensniveau „substanziell“ zählt die SMS-TAN nur, wenn Sie die Nummer hinzufügen, während Sie mit einem anderen zweiten Faktor angemeldet sind.',
    en: 'A code by SMS confirms your login as well. For trust level "substantial", SMS codes count only when you add the number while logged in with another second factor.',
  },
  'sms.confirmTitle': { de: 'Mobilfunknummer bestätigen', en: 'Confirm your mobile number' },
  'sms.added': { de: 'Die Mobilfunknummer {phone} ist eingerichtet.', en: 'The mobile number {phone} is set up.' },
  'sms.addedLow': {
    de: 'Die Mobilfunknummer {phone} ist eingerichtet. Sie gilt als zweiter Faktor, reicht aber nicht für das Vertrauensniveau „substanziell“, weil Sie sie ohne zweiten Faktor hinzugefügt haben.',
    en: 'The mobile number {phone} is set up. It counts as a second factor but not for trust level "substantial", because you added it without a second factor.',
  },
  'sms.levelLow': {
    de: 'Reicht nicht für „substanziell“ (ohne zweiten Faktor hinzugefügt).',
    en: 'Not enough for "substantial" (added without a second factor).',
  },
  'sms.notAvailable': {
    de: 'SMS-TAN ist bei diesem Servicekonto nicht eingerichtet.',
    en: 'SMS codes are not set up at this Servicekonto.',
  },
} satisfies Messages;
