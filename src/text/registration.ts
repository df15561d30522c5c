import type { Messages } from './types.ts';

/**
 * The confirmation of a registration (issue 15, point 1): the page behind
 * the mailed link, its button, the "already active" answer and the notice
 * on the login afterwards; and the acceptance of the terms of use.
 */
export const registration = {
  'confirm.title': { de: 'Konto bestätigen', en: 'Confirm your account' },
  'confirm.intro': {
    de: 'Sie haben ein Servicekonto für den Benutzernamen „{username}“ angelegt. Bestätigen Sie jetzt Ihre E-Mail-Adresse, dann ist Ihr Konto aktiv.',
    en: 'You created a Servicekonto with the username "{username}". Confirm your e-mail address now and your account is active.',
  },
  'confirm.button': { de: 'Konto bestätigen', en: 'Confirm account' },
  'confirm.activeTitle': { de: 'Ihr Konto ist schon aktiv', en: 'Your account is already active' },
  'confirm.active': {
    de: 'Sie haben Ihre E-Mail-Adresse schon bestätigt. Sie können sich anmelden.',
    en: 'You have already confirmed your e-mail address. You can log in.',
  },
  'confirm.login': { de: 'Jetzt anmelden', en: 'Log in now' },
  'confirm.activated': {
    de: 'Ihr Konto ist aktiv. Melden Sie sich jetzt an.',
    en: 'Your account is active. Log in now.',
  },
  // The label holds the link to the terms: its text before and after it.
  'terms.acceptBefore': { de: 'Ich akzeptiere die', en: 'I accept the' },
  'terms.link': { de: 'Nutzungsbedingungen', en: 'terms of use' },
  'terms.newTab': { de: '(öffnet in neuem Tab)', en: '(opens in a new tab)' },
  'terms.acceptAfter': { de: '.', en: '.' },
  'terms.missing': {
    de: 'Bitte akzeptieren Sie die Nutzungsbedingungen, um ein Konto anzulegen.',
    en: 'Please accept the terms of use to create an account.',
  },
} satisfies Messages;
