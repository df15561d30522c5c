import type { Messages } from './types.ts';

/** What went wrong with the ID card, in plain language (the outcome table of docs/eid-design-notes.md §3). */
export const eid = {
  'eid.error.cancelled': { de: 'Sie haben das Auslesen des Ausweises abgebrochen. Sie können es jederzeit erneut versuchen.', en: 'You cancelled reading the ID card. You can try again at any time.' },
  'eid.error.interrupted': {
    de: 'Die Verbindung zum Ausweis wurde unterbrochen, oder die PIN war falsch. Bitte legen Sie den Ausweis ruhig auf und versuchen Sie es erneut.',
    en: 'The connection to the ID card was interrupted, or the PIN was wrong. Please hold the card still and try again.',
  },
  'eid.error.card': {
    de: 'Der Ausweis kann gerade nicht gelesen werden. Ist die PIN gesperrt, entsperren Sie sie mit der PUK aus dem PIN-Brief, zum Beispiel in der AusweisApp.',
    en: 'The ID card cannot be read right now. If the PIN is blocked, unblock it with the PUK from your PIN letter, for example in the AusweisApp.',
  },
  'eid.error.expired': { de: 'Dieser Ausweis ist abgelaufen. Bitte verwenden Sie einen gültigen Ausweis.', en: 'This ID card has expired. Please use a valid ID card.' },
  'eid.error.invalid': {
    de: 'Dieser Ausweis wurde nicht angenommen, zum Beispiel weil er gesperrt ist. Bitte wenden Sie sich an Ihre Ausweisbehörde.',
    en: 'This ID card was not accepted, for example because it is blocked. Please contact your ID card office.',
  },
  'eid.error.typeDenied': {
    de: 'Diese Art von Ausweis reicht für diesen Online-Dienst nicht aus. Bitte verwenden Sie Ihren Personalausweis oder Ihren elektronischen Aufenthaltstitel.',
    en: 'This kind of ID is not enough for this online service. Please use your ID card or your electronic residence permit.',
  },
  'eid.error.timeout': { de: 'Das Auslesen hat zu lange gedauert. Bitte versuchen Sie es erneut.', en: 'Reading took too long. Please try again.' },
  'eid.error.busy': { de: 'Der Ausweis-Dienst ist gerade stark ausgelastet. Bitte versuchen Sie es in einigen Minuten erneut.', en: 'The ID card service is very busy right now. Please try again in a few minutes.' },
  'eid.error.technical': {
    de: 'Beim Auslesen ist ein technischer Fehler aufgetreten. Ihre Daten sind sicher. Bitte versuchen Sie es später erneut.',
    en: 'A technical error occurred while reading. Your data are safe. Please try again later.',
  },
} satisfies Messages;
