export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox row, so a message sent twice after a crash is recognisably the same message. */
  messageId: string;
  headers?: Record<string, string>;
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  /** SMTP envelope sender (where bounces go) when it differs from `from`. */
  envelopeFrom?: string;
}

/** Where mail goes. The worker picks SMTP when `SMTP_URL` is set, otherwise the local outbox. */
export interface MailDriver {
  readonly transport: 'smtp' | 'local';
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

export const MAIL_DRIVER = Symbol('MAIL_DRIVER');
