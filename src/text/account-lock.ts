import type { Messages } from './types.ts';

/**
 * An account the operator locked (`servicekonto user lock`): the login says so, once the password was right, and
 * names who can help, since the citizen cannot lift the lock.
 */
export const accountLock = {
  'login.locked': {
    de: 'Ihr Konto ist gesperrt. Wenden Sie sich an die Stelle, die dieses Servicekonto betreibt (Kontakt im Impressum), wenn Sie wissen möchten, warum, oder die Sperre aufheben lassen möchten.',
    en: 'Your account is locked. Contact the body that runs this Servicekonto (contact in the legal notice) to learn why or to have the lock lifted.',
  },
  'error.accountLocked': {
    de: 'Ihr Konto ist gesperrt, deshalb können Sie sich nicht anmelden. Wenden Sie sich an die Stelle, die dieses Servicekonto betreibt (Kontakt im Impressum).',
    en: 'Your account is locked, so you cannot log in. Contact the body that runs this Servicekonto (contact in the legal notice).',
  },
} satisfies Messages;
