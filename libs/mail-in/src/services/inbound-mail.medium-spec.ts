import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type Mail from 'nodemailer/lib/mailer';
import { SqlPort } from '@cophub/core';
import { CategoryService, ReplyAddressService, ThreadService } from '@cophub/forum';
import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import {
  addMembership,
  compose,
  countRows,
  createCommunity,
  createMember,
  createUser,
  MediumModule,
  mediumModule,
  TestCommunity,
  TestUser,
} from '@cophub/testing';
import { MailInErrorCode } from '../errors/mail-in.error';
import { MailInModule } from '../mail-in.module';
import { InboundMailService } from './inbound-mail.service';
import { Received, receivedMessage } from './inbound-mail.types';
import { ReplyConfirmationService } from './reply-confirmation.service';
import type { AuthVerdict } from './sender-authentication';

const DOMAIN = 'in.cophub.test';
const SENDER_DOMAIN = 'trust.example';
/** A message its sender's domain vouches for (DMARC and an aligned DKIM signature pass). */
const PROVEN: AuthVerdict = {
  spf: 'pass',
  spfDomain: SENDER_DOMAIN,
  dkim: [{ domain: SENDER_DOMAIN, result: 'pass', aligned: true }],
  dmarc: 'pass',
  dmarcPolicy: 'reject',
  arc: 'none',
  header: '',
  signedRecipients: null,
};
/** A message nothing vouches for (no DKIM signature, no DMARC policy to fail). */
const UNPROVEN: AuthVerdict = { ...PROVEN, spf: 'none', spfDomain: null, dkim: [], dmarc: 'none', dmarcPolicy: null };
const FILING_TABLES = ['mail_submissions', 'mail_submission_attachments', 'mail_outbox', 'forum_posts'];

/** Filing inbound mail on a real database, from the parsed message on: submissions, held mail and emailed replies. */
describe('inbound mail filing', () => {
  let medium: MediumModule;
  let inbound: InboundMailService;
  let north: TestCommunity;
  let south: TestCommunity;
  let alice: TestUser;
  let threads: { first: string; second: string };

  beforeAll(async () => {
    medium = await mediumModule({ imports: [MailInModule.forRoot()], env: { MAIL_IN_DOMAIN: DOMAIN } });
    inbound = medium.get(InboundMailService);
    north = await createCommunity(medium);
    south = await createCommunity(medium);
    alice = await createMember(medium, north, 'member', {
      email: `alice-${randomUUID().slice(0, 8)}@${SENDER_DOMAIN}`,
    });
    await addMembership(medium, south, alice);
    const coChair = await createMember(medium, south, 'co_chair');
    const context = await medium
      .get(CommunityAccessService)
      .byId(medium.caller(coChair), south.id, CommunityRole.CoChair);
    const category = await medium.get(CategoryService).create(context, { name: 'General' });
    const thread = (title: string) =>
      medium.get(ThreadService).create(context, { categoryId: category.id, title, body: `About ${title}` });
    threads = { first: (await thread('Caseload limits')).id, second: (await thread('Group supervision')).id };
  });

  afterAll(async () => {
    await medium?.close();
  });

  /** A message as the SMTP listener hands it on: composed, parsed, its sender's checks done. */
  async function message(
    mail: Mail.Options & { rcptTo: string[]; from?: string },
    verdict: AuthVerdict = PROVEN,
  ): Promise<Received> {
    const { rcptTo, from = alice.email, ...content } = mail;
    const raw = await compose({ from, messageId: `<${randomUUID()}@${SENDER_DOMAIN}>`, subject: 'Shared', ...content });
    const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
    return receivedMessage(raw, { source: 'smtp', mailFrom: from, rcptTo }, parsed, verdict, DOMAIN);
  }

  const share = (community: TestCommunity) => `share+${community.slug}@${DOMAIN}`;
  const notes = { filename: 'notes.txt', content: Buffer.from('Session notes template\n') };
  const storedFiles = () =>
    readdirSync(medium.config.files.storageDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())
      .length;

  const submissionsOf = (community: TestCommunity) =>
    medium.rows<{ id: string; sender_id: string | null; status: string; hold_reason: string | null; files: number }>(
      `SELECT s.id, s.sender_id, s.status, s.hold_reason,
              (SELECT count(*)::int FROM mail_submission_attachments a WHERE a.submission_id = s.id) AS files
         FROM mail_submissions s WHERE s.community_id = $1 ORDER BY s.created_at`,
      [community.id],
    );

  it("files a member's message to the community it was sent to, with its attachment, once", async () => {
    const mail = await message({ to: share(south), rcptTo: [share(south)], attachments: [notes] });
    const result = await inbound.handle(mail);
    expect(result).toMatchObject({ kind: 'submission', outcome: 'submitted', duplicate: false });
    expect(await submissionsOf(south)).toEqual([
      { id: result.submissionId, sender_id: alice.id, status: 'pending', hold_reason: null, files: 1 },
    ]);
    expect(await submissionsOf(north)).toEqual([]);
    const [row] = await medium.rows('SELECT community_id, user_id, outcome FROM inbound_messages WHERE id = $1', [
      result.id,
    ]);
    expect(row).toEqual({ community_id: south.id, user_id: alice.id, outcome: 'submitted' });
    const acknowledged = await medium.rows(`SELECT recipient FROM mail_outbox WHERE template = 'mailin.received'`);
    expect(acknowledged).toEqual([{ recipient: alice.email }]);

    // The same message delivered again is recognised by its Message-ID: still one submission, one file.
    const files = storedFiles();
    expect(files).toBeGreaterThan(0);
    expect(await inbound.handle(mail)).toMatchObject({ duplicate: true });
    expect(await submissionsOf(south)).toHaveLength(1);
    expect(storedFiles()).toBe(files);
  });

  it('holds a message the sender did not address to the community, without its attachments or an answer', async () => {
    const before = await countRows(medium, FILING_TABLES);
    const files = storedFiles();
    // Sent to a colleague, and to the community only in the envelope (a Bcc, or a re-sent copy).
    const mail = await message({
      to: 'colleague@elsewhere.example',
      cc: 'team@elsewhere.example',
      rcptTo: [share(north)],
      attachments: [notes],
    });
    const result = await inbound.handle(mail);
    expect(result).toMatchObject({ outcome: 'held', reason: 'not_addressed_here' });
    expect(await submissionsOf(north)).toEqual([
      { id: result.submissionId, sender_id: null, status: 'held', hold_reason: 'not_addressed_here', files: 0 },
    ]);
    expect(storedFiles()).toBe(files);
    const after = await countRows(medium, FILING_TABLES);
    expect(after).toEqual({ ...before, mail_submissions: before.mail_submissions + 1 });

    // In Cc it was addressed here.
    const copied = await message({ to: 'colleague@elsewhere.example', cc: share(north), rcptTo: [share(north)] });
    expect(await inbound.handle(copied)).toMatchObject({ outcome: 'submitted' });
  });

  it('holds mail from an address no verified member has, without linking it to anyone', async () => {
    const unverified = await createUser(medium, { verified: false, email: `bob@${SENDER_DOMAIN}` });
    const mail = await message({
      from: unverified.email,
      to: share(north),
      rcptTo: [share(north)],
      attachments: [notes],
    });
    const result = await inbound.handle(mail);
    expect(result).toMatchObject({ outcome: 'held', reason: 'not_a_member' });
    const [held] = (await submissionsOf(north)).filter((s) => s.id === result.submissionId);
    expect(held).toMatchObject({ sender_id: null, files: 0 });
  });

  /** The member's reply address for a thread, as a notification about it would carry. */
  async function replyAddress(threadId: string): Promise<string> {
    const addresses = await medium
      .get(ReplyAddressService)
      .issue(medium.get(SqlPort), [alice.id], { id: threadId, communityId: south.id });
    return addresses.get(alice.id)!;
  }

  const postsBy = (threadId: string) =>
    medium.rows<{ body_source: string }>(
      'SELECT body_source FROM forum_posts WHERE thread_id = $1 AND author_id = $2 ORDER BY post_number',
      [threadId, alice.id],
    );

  it("posts an emailed reply in its token's thread, once however often it is delivered", async () => {
    const address = await replyAddress(threads.second);
    const mail = await message({ to: address, rcptTo: [address], text: 'We cap groups at eight.' });
    const result = await inbound.handle(mail);
    expect(result).toMatchObject({ kind: 'reply', outcome: 'posted' });
    expect(await postsBy(threads.second)).toEqual([{ body_source: 'We cap groups at eight.' }]);
    expect(await postsBy(threads.first)).toEqual([]);

    const again = await Promise.all([inbound.handle(mail), inbound.handle(mail)]);
    expect(again.map((r) => r.duplicate)).toEqual([true, true]);
    expect(await postsBy(threads.second)).toHaveLength(1);
  });

  it('refuses a reply to an expired or made-up reply address, and posts nothing', async () => {
    const address = await replyAddress(threads.first);
    await medium.rows(
      `UPDATE forum_reply_tokens SET expires_at = now() - interval '1 day' WHERE user_id = $1 AND thread_id = $2`,
      [alice.id, threads.first],
    );
    const expired = await inbound.handle(await message({ to: address, rcptTo: [address], text: 'Too late?' }));
    expect(expired).toMatchObject({ outcome: 'reply_refused', reason: expect.stringMatching(/expired/) });

    // A token of the right shape whose signature does not match: someone else's thread, or invented.
    const token = /^reply\+([a-z2-7]{42})@/.exec(address)![1];
    const forgedToken = token.slice(0, 26) + (token[26] === 'a' ? 'b' : 'a') + token.slice(27);
    const forged = `reply+${forgedToken}@${DOMAIN}`;
    const invented = await inbound.handle(await message({ to: forged, rcptTo: [forged], text: 'Let me in' }));
    expect(invented).toMatchObject({ outcome: 'reply_refused', reason: expect.stringMatching(/not a valid/) });
    expect(await postsBy(threads.first)).toEqual([]);
  });

  it("an unproven reply waits for the member's one-time confirmation; a used or expired link is refused", async () => {
    const confirmations = medium.get(ReplyConfirmationService);
    const address = await replyAddress(threads.first);
    const linkOf = async (inboundId: string) => {
      const [row] = await medium.rows<{ url: string }>(
        `SELECT params->>'url' AS url FROM mail_outbox WHERE dedupe_key = $1`,
        [`mailin.confirm-reply:${inboundId}`],
      );
      return new URL(row.url).searchParams.get('token')!;
    };
    const waiting = await inbound.handle(
      await message({ to: address, rcptTo: [address], text: 'Sent from my phone.' }, UNPROVEN),
    );
    expect(waiting).toMatchObject({ outcome: 'awaiting_confirmation' });
    expect(await postsBy(threads.first)).toEqual([]);

    const token = await linkOf(waiting.id!);
    const clicks = await Promise.allSettled([confirmations.confirm(token), confirmations.confirm(token)]);
    expect(clicks.filter((c) => c.status === 'fulfilled')).toHaveLength(1);
    expect(clicks.find((c): c is PromiseRejectedResult => c.status === 'rejected')?.reason).toMatchObject({
      code: MailInErrorCode.ConfirmationUsed,
    });
    expect(await postsBy(threads.first)).toEqual([{ body_source: 'Sent from my phone.' }]);

    const late = await inbound.handle(
      await message({ to: address, rcptTo: [address], text: 'And another thing.' }, UNPROVEN),
    );
    await medium.rows(
      `UPDATE mail_reply_confirmations SET expires_at = now() - interval '1 minute' WHERE inbound_message_id = $1`,
      [late.id],
    );
    await expect(confirmations.confirm(await linkOf(late.id!))).rejects.toMatchObject({
      code: MailInErrorCode.ConfirmationExpired,
    });
    expect(await postsBy(threads.first)).toHaveLength(1);
  });
});
