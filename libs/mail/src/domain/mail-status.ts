/** Where an outbox message stands. */
export enum MailStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Dead = 'dead',
  /** Not sent because the address hard-bounced (see `mail_suppressions`). */
  Suppressed = 'suppressed',
}
