import type { Messages } from './types.ts';

/** Messages of the error catalogue (src/platform/http/errors.ts). */
export const errors = {
  'error.title': { de: 'Das hat leider nicht geklappt', en: 'Something went wrong' },
  'error.code': { de: 'Fehlercode', en: 'Error code' },
  'error.toHome': { de: 'Zur Startseite', en: 'To the home page' },
  'error.notFound': {
    de: 'Diese Seite gibt es nicht. Bitte prüfen Sie die Adresse.',
    en: 'This page does not exist. Please check the address.',
  },
  'error.badRequest': {
    de: 'Die Anfrage ist ungültig. Bitte versuchen Sie es erneut.',
    en: 'The request is invalid. Please try again.',
  },
  'error.csrf': {
    de: 'Das Formular ist abgelaufen oder wurde nicht von dieser Seite gesendet. Bitte laden Sie die Seite neu und senden Sie es erneut.',
    en: 'The form has expired or was not sent from this page. Please reload the page and send it again.',
  },
  'error.tooLarge': { de: 'Die Eingaben sind zu groß.', en: 'The input is too large.' },
  'error.unsupportedMedia': {
    de: 'Dieses Datenformat wird hier nicht angenommen.',
    en: 'This data format is not accepted here.',
  },
  'error.rateLimited': {
    de: 'Zu viele Versuche. Bitte warten Sie {wait} und versuchen Sie es dann erneut.',
    en: 'Too many attempts. Please wait {wait} and try again.',
  },
  'error.linkInvalid': {
    de: 'Dieser Link ist abgelaufen oder wurde schon benutzt. Fordern Sie bitte einen neuen an.',
    en: 'This link has expired or has already been used. Please request a new one.',
  },
  'error.interactionExpired': {
    de: 'Die Anmeldung hat zu lange gedauert oder wurde schon abgeschlossen. Bitte kehren Sie zum Online-Dienst zurück und starten Sie die Anmeldung erneut.',
    en: 'The login took too long or was already completed. Please return to the online service and start the login again.',
  },
  'error.sessionExpired': {
    de: 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an; Ihre Eingaben wurden nicht gespeichert.',
    en: 'Your login has expired. Please log in again; your input was not saved.',
  },
  'error.oidc': {
    de: 'Der Online-Dienst hat eine fehlerhafte Anmeldeanfrage gesendet. Bitte kehren Sie zum Online-Dienst zurück und versuchen Sie es dort erneut.',
    en: 'The online service sent an invalid login request. Please return to the online service and try again there.',
  },
  'error.samlRequest': {
    de: 'Der Online-Dienst hat eine Anmeldeanfrage gesendet, die wir nicht annehmen können. Bitte kehren Sie zum Online-Dienst zurück und versuchen Sie es dort erneut. (Technische Angabe für den Betreiber: {detail})',
    en: 'The online service sent a login request we cannot accept. Please return to the online service and try again there. (Technical detail for the operator: {detail})',
  },
  'error.samlLogout': {
    de: 'Der Online-Dienst hat eine Abmeldung gesendet, die wir nicht annehmen können. Vielleicht sind Sie deshalb noch angemeldet: Schließen Sie im Zweifel den Browser. (Technische Angabe für den Betreiber: {detail})',
    en: 'The online service sent a logout we cannot accept. You may therefore still be logged in: if in doubt, close the browser. (Technical detail for the operator: {detail})',
  },
  'error.samlAlgorithm': {
    de: 'Der Online-Dienst hat seine Nachricht mit einem Verfahren unterschrieben, das wir nicht annehmen: {algorithm}. Wir nehmen an: {accepted}. Bitte kehren Sie zum Online-Dienst zurück. (Technische Angabe für den Betreiber: {detail})',
    en: 'The online service signed its message with a method we do not accept: {algorithm}. We accept: {accepted}. Please return to the online service. (Technical detail for the operator: {detail})',
  },
  'error.technicalDetail': {
    de: 'Technische Angabe für den Betreiber des Online-Dienstes:',
    en: 'Technical detail for the operator of the online service:',
  },
  'error.internal': {
    de: 'Ein interner Fehler ist aufgetreten. Ihre Daten sind sicher. Bitte versuchen Sie es später erneut.',
    en: 'An internal error occurred. Your data are safe. Please try again later.',
  },
  'error.busy': {
    de: 'Das Servicekonto ist gerade sehr beschäftigt. Ihre Eingabe wurde nicht geprüft. Bitte versuchen Sie es in {wait} noch einmal.',
    en: 'The Servicekonto is very busy right now. Your entry was not checked. Please try again in {wait}.',
  },
  'error.unavailable': {
    de: 'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut.',
    en: 'The service is unavailable right now. Please try again later.',
  },
} satisfies Messages;
