import type { Messages } from '../../text/types.ts';

/** The development outbox pages (/dev/mail, /dev/sms). */
export const outboxTexts = {
  'dev.mail.title': { de: 'Entwicklungs-Postausgang', en: 'Development outbox' },
  'dev.mail.intro': {
    de: 'Ohne SMTP_URL landen E-Mails hier statt beim Empfänger. Diese Seite gibt es nur außerhalb des Produktivbetriebs.',
    en: 'Without SMTP_URL mails land here instead of with the recipient. This page exists only outside production.',
  },
  'dev.mail.empty': { de: 'Noch keine E-Mails.', en: 'No mails yet.' },
  'dev.mail.to': { de: 'An', en: 'To' },
  'dev.sms.title': { de: 'Entwicklungs-SMS', en: 'Development SMS' },
  'dev.sms.intro': {
    de: 'Ohne SMS_GATEWAY_URL landen SMS hier statt beim Empfänger. Diese Seite gibt es nur außerhalb des Produktivbetriebs.',
    en: 'Without SMS_GATEWAY_URL SMS land here instead of with the recipient. This page exists only outside production.',
  },
  'dev.sms.empty': { de: 'Noch keine SMS.', en: 'No SMS yet.' },
} satisfies Messages;
