import type { Transporter } from 'nodemailer';
import type { ComposedMail } from './compose.ts';

export interface MailTransport {
  send(mail: ComposedMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer when SMTP_URL is set. */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  // nodemailer is loaded with the first mail: the server's idle memory counts (issue 7).
  let transporter: Promise<Transporter> | undefined;
  const connect = async (): Promise<Transporter> => (await import('nodemailer')).default.createTransport(smtpUrl);
  return {
    async send(mail) {
      transporter ??= connect();
      await (
        await transporter
      ).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close: () =>
      void transporter?.then(
        (t) => t.close(),
        () => undefined,
      ),
  };
}
