// Sending email: nodemailer over the SMTP_URL of the configuration. The URL carries the SMTP
// password, so it is passed to nodemailer only, whose own logging stays off.
import nodemailer from 'nodemailer';

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
}

export interface Mailer {
  /** Resolves once the server accepted the message for delivery (its 250 to DATA). */
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export function smtpMailer(smtpUrl: string): Mailer {
  // nodemailer logs nothing unless asked (its logger option defaults to false).
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
