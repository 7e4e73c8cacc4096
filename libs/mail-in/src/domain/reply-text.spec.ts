import { extractReplyText } from './reply-text';

// Bodies as the clients produce them (plain-text parts, line endings as sent).
const OUTLOOK_DESKTOP = [
  'Thanks Sam, I agree the supervision template works well.',
  '',
  'We use it in our Talking Therapies team too.',
  '',
  'Kind regards',
  'Priya Shah',
  'Senior PWP | Example NHS Foundation Trust',
  '',
  '________________________________',
  'From: CoP Hub <no-reply@cophub.test>',
  'Sent: 26 November 2026 14:03',
  'To: Priya Shah <priya.shah@example.nhs.net>',
  'Subject: Sam mentioned you',
  '',
  'Hello Priya,',
  'Sam mentioned you in "Supervision templates":',
].join('\r\n');

const OUTLOOK_WEB = [
  'Yes - count me in for the next session.',
  '',
  'From: CoP Hub <no-reply@cophub.test>',
  'Date: Thursday, 26 November 2026 at 14:03',
  'To: Grace Lee <grace.lee@example.nhs.net>',
  'Subject: Re: Sam mentioned you',
  '',
  'Hello Grace,',
].join('\n');

const GMAIL = [
  'Here is the link to the slides from Tuesday.',
  '',
  'On Thu, 26 Nov 2026 at 14:03, CoP Hub <no-reply@cophub.test> wrote:',
  '',
  '> Hello Tom,',
  '> Sam mentioned you in "Kickstarter event":',
].join('\r\n');

const GMAIL_WRAPPED = [
  'Agreed.',
  '',
  'On Thu, 26 Nov 2026 at 14:03, CoP Hub Notifications <no-reply@cophub.test>',
  'wrote:',
  '',
  '> Hello Tom,',
].join('\n');

const APPLE_MAIL = [
  'Sounds good, thank you!',
  '',
  'Sent from my iPhone',
  '',
  'On 26 Nov 2026, at 14:03, CoP Hub <no-reply@cophub.test> wrote:',
  '',
  '> Hello Alex,',
].join('\n');

describe('extractReplyText', () => {
  it('keeps only the new text of an Outlook desktop reply (separator and header block)', () => {
    const text = extractReplyText(OUTLOOK_DESKTOP);
    expect(text).toContain('I agree the supervision template works well.');
    expect(text).toContain('We use it in our Talking Therapies team too.');
    expect(text).not.toMatch(/From: CoP Hub|Sent: 26 November|Hello Priya/);
  });

  it('keeps only the new text of an Outlook on the web reply', () => {
    expect(extractReplyText(OUTLOOK_WEB)).toBe('Yes - count me in for the next session.');
  });

  it('drops Gmail attribution and quoted lines, also when the attribution wraps', () => {
    expect(extractReplyText(GMAIL)).toBe('Here is the link to the slides from Tuesday.');
    expect(extractReplyText(GMAIL_WRAPPED)).toBe('Agreed.');
  });

  it('drops Apple Mail attribution and the mobile signature', () => {
    expect(extractReplyText(APPLE_MAIL)).toBe('Sounds good, thank you!');
  });

  it('drops a conventional "-- " signature', () => {
    expect(extractReplyText('Will do.\n\n-- \nAlex\nEMHP, Example MHST\n')).toBe('Will do.');
  });

  it('finds nothing new in a reply that only quotes', () => {
    expect(extractReplyText('> Hello\n> quoted only\n')).toBe('');
  });
});
