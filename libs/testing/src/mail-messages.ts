import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';

/** Builds the RFC 5322 message nodemailer would send. */
export function compose(mail: Mail.Options): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    new MailComposer(mail).compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );
}
