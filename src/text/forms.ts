import type { Messages } from './types.ts';

/**
 * What is missing, named per field (issue 15 point 3, GOV.UK "Error
 * messages": say what to enter, not that a field is empty). Keyed by the
 * form field's name; a field not listed gets the general `form.required`.
 */
export const forms = {
  'form.missing.username': { de: 'Geben Sie einen Benutzernamen ein.', en: 'Enter a username.' },
  'form.missing.password': { de: 'Geben Sie Ihr Passwort ein.', en: 'Enter your password.' },
  'form.missing.password2': {
    de: 'Geben Sie das Passwort ein zweites Mal ein.',
    en: 'Enter the password a second time.',
  },
  'form.missing.email': { de: 'Geben Sie Ihre E-Mail-Adresse ein.', en: 'Enter your e-mail address.' },
  'form.missing.identifier': {
    de: 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein.',
    en: 'Enter your username or e-mail address.',
  },
  'form.missing.current_password': {
    de: 'Geben Sie Ihr bisheriges Passwort ein.',
    en: 'Enter your current password.',
  },
  'form.missing.new_password': { de: 'Geben Sie ein neues Passwort ein.', en: 'Enter a new password.' },
  'form.missing.new_email': {
    de: 'Geben Sie die neue E-Mail-Adresse ein.',
    en: 'Enter the new e-mail address.',
  },
  'form.missing.confirmPassword': {
    de: 'Geben Sie zur Bestätigung Ihr Passwort ein.',
    en: 'Enter your password to confirm.',
  },
  'form.missing.phone': { de: 'Geben Sie Ihre Mobilfunknummer ein.', en: 'Enter your mobile number.' },
  'form.missing.name': { de: 'Geben Sie einen Namen ein.', en: 'Enter a name.' },
} satisfies Messages;
