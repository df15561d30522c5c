import { html, trustedMarkup } from '../../web/html.ts';
import { translator, type Language, type MessageId } from '../../text/index.ts';

/** The mails the Servicekonto sends; each is plain text plus HTML, in the citizen's language. */
export type MailTemplate =
  | 'verify'
  | 'already'
  | 'reset'
  | 'username'
  | 'changeEmail'
  | 'passwordChanged'
  | 'emailChanged'
  | 'lost'
  | 'meansBlocked'
  | 'recoveryCodesRenewed'
  | 'meansAdded'
  | 'meansRemoved'
  | 'secondFactorOff'
  | 'inactivityWarning';

export interface MailRequest {
  to: string;
  lang: Language;
  template: MailTemplate;
  params: Record<string, string | number>;
  /** Action link, when the mail has one. */
  link?: string;
}

export interface ComposedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const parts: Record<MailTemplate, { subject: MessageId; body: MessageId; button?: MessageId; notYou: boolean }> = {
  verify: { subject: 'mail.verify.subject', body: 'mail.verify.body', button: 'mail.verify.button', notYou: true },
  already: { subject: 'mail.already.subject', body: 'mail.already.body', button: 'mail.reset.button', notYou: true },
  reset: { subject: 'mail.reset.subject', body: 'mail.reset.body', button: 'mail.reset.button', notYou: true },
  username: {
    subject: 'mail.username.subject',
    body: 'mail.username.body',
    button: 'mail.username.login',
    notYou: true,
  },
  changeEmail: {
    subject: 'mail.changeEmail.subject',
    body: 'mail.changeEmail.body',
    button: 'mail.changeEmail.button',
    notYou: true,
  },
  passwordChanged: { subject: 'mail.passwordChanged.subject', body: 'mail.passwordChanged.body', notYou: false },
  emailChanged: { subject: 'mail.emailChanged.subject', body: 'mail.emailChanged.body', notYou: false },
  lost: { subject: 'mail.lost.subject', body: 'mail.lost.body', button: 'mail.lost.button', notYou: true },
  meansBlocked: { subject: 'mail.meansBlocked.subject', body: 'mail.meansBlocked.body', notYou: false },
  recoveryCodesRenewed: {
    subject: 'mail.recoveryCodesRenewed.subject',
    body: 'mail.recoveryCodesRenewed.body',
    notYou: false,
  },
  meansAdded: { subject: 'mail.meansAdded.subject', body: 'mail.meansAdded.body', notYou: false },
  meansRemoved: { subject: 'mail.meansRemoved.subject', body: 'mail.meansRemoved.body', notYou: false },
  secondFactorOff: { subject: 'mail.secondFactorOff.subject', body: 'mail.secondFactorOff.body', notYou: false },
  inactivityWarning: {
    subject: 'mail.inactivity.subject',
    body: 'mail.inactivity.body',
    button: 'mail.inactivity.button',
    notYou: false,
  },
};

export function composeMail(request: MailRequest): ComposedMail {
  const t = translator(request.lang);
  const p = parts[request.template];
  const body = t(p.body, request.params);
  const subject = t(p.subject, request.params);
  const lines = [t('mail.greeting'), '', body];
  if (request.link) lines.push('', request.link);
  if (p.notYou) lines.push('', t('mail.notYou'));
  lines.push('', t('mail.signature'));
  const markup = html`<!doctype html><html lang="${request.lang}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: 'Fira Sans', Arial, sans-serif; line-height: 1.5; color: #171a2b">
<p>${t('mail.greeting')}</p>
<p>${body}</p>
${request.link ? html`<p><a href="${request.link}">${p.button ? t(p.button) : request.link}</a></p><p style="font-size: 14px">${request.link}</p>` : trustedMarkup('')}
${p.notYou ? html`<p>${t('mail.notYou')}</p>` : ''}
<p>${t('mail.signature')}</p>
</body></html>`;
  return { to: request.to, subject, text: lines.join('\n'), html: markup.value };
}
