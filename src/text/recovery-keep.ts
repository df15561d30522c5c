import type { Messages } from './types.ts';

/** Keeping recovery codes: the download as a text file and the print view (issue 15, point 8). */
export const recoveryKeep = {
  'recovery.keepTitle': { de: 'Codes aufbewahren', en: 'Keep the codes' },
  'recovery.download': { de: 'Als Textdatei herunterladen', en: 'Download as a text file' },
  'recovery.print': { de: 'Druckansicht öffnen (neues Fenster)', en: 'Open the print view (new window)' },
  'recovery.printTitle': { de: 'Wiederherstellungscodes zum Ausdrucken', en: 'Recovery codes to print' },
  'recovery.printNow': { de: 'Drucken', en: 'Print' },
  'recovery.printHint': {
    de: 'Drucken Sie diese Seite über die Druckfunktion Ihres Browsers, zum Beispiel mit Strg+P. Schließen Sie danach das Fenster.',
    en: 'Print this page with your browser’s print function, for example Ctrl+P. Then close this window.',
  },
  'recovery.fileHeading': {
    de: 'Wiederherstellungscodes für das Servicekonto',
    en: 'Recovery codes for the Servicekonto',
  },
  'recovery.fileAccount': { de: 'Benutzername: {username}', en: 'Username: {username}' },
  'recovery.fileDate': { de: 'Erstellt am: {date}', en: 'Created on: {date}' },
  'recovery.fileIntro': {
    de: 'Jeder Code gilt nur einmal. Sie brauchen einen Code, wenn Sie Ihre Authenticator-App nicht zur Hand haben. Bewahren Sie diese Codes sicher auf und geben Sie sie niemandem weiter. Neue Codes erzeugen Sie unter „Mein Konto“; dann gelten diese nicht mehr.',
    en: 'Each code works once. You need one when you do not have your authenticator app at hand. Keep these codes safe and never share them. You can create new codes on "My account"; these then stop working.',
  },
  'recovery.fileName': { de: 'servicekonto-wiederherstellungscodes.txt', en: 'servicekonto-recovery-codes.txt' },
} satisfies Messages;
