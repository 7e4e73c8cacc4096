import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ICAL from 'ical.js';
import { ParsedMail, simpleParser } from 'mailparser';
import { DigestService } from '@cophub/notifications';
import { PollJobs } from '@cophub/polls';
import {
  addMembership,
  createCommunity,
  createMember,
  createUser,
  eventually,
  linkToken,
  registration,
  ReceivedMail,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { createPoll, openPoll } from './polls.helpers';

const HOUR = 3_600_000;
const WEB_SRC = resolve(__dirname, '../../apps/web/src');

/** Every path pattern the web app's router knows (`path: '/c/:slug/t/:threadId'`), as regular expressions. */
function webRoutes(): RegExp[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
    });
  const patterns = new Set<string>();
  for (const file of files(WEB_SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/path: '(\/[^'*]*)'/g)) patterns.add(match[1]);
  }
  return [...patterns].map((p) => new RegExp(`^${p.replace(/:[A-Za-z]+/g, '[^/]+')}/?$`));
}

/** One received message as mailparser reads it from the bytes the SMTP server got. */
interface Parsed {
  text: string;
  html: string;
  headers: ParsedMail['headers'];
  attachments: ParsedMail['attachments'];
  messageId: string;
}

async function parse(mail: ReceivedMail): Promise<Parsed> {
  const parsed = await simpleParser(mail.raw!);
  return {
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headers: parsed.headers,
    attachments: parsed.attachments,
    messageId: parsed.messageId ?? '',
  };
}

/** Every link in a message: hrefs in the HTML and addresses in the plain text. */
function linksIn(mail: Parsed): string[] {
  const links = new Set<string>();
  for (const m of mail.html.matchAll(/href="([^"]+)"/g)) links.add(m[1].replace(/&amp;/g, '&'));
  for (const m of mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)) links.add(m[0].replace(/[.,)]+$/, ''));
  return [...links];
}

const NOTIFICATION_KINDS = [
  'membership.requested',
  'membership.approved',
  'membership.rejected',
  'events.rsvp-confirmed',
  'events.changed',
  'events.promoted',
  'events.cancelled',
  'events.reminder',
  'forum.notification',
  'forum.flagged',
  'poll.invitation',
  'poll.reminder',
  'notifications.digest',
];
const ACCOUNT_KINDS = [
  'identity.verify-email',
  'identity.password-reset',
  'identity.password-changed',
  'identity.registration-attempt',
];

/**
 * Drives every kind of email the product sends through the worker to a real SMTP server, parses each
 * with mailparser, and checks what a reader depends on: notification emails can be unsubscribed from
 * in one click (RFC 8058) and link to the settings page; every link is absolute and lands somewhere
 * that exists (a route of the web app, or an API address that answers 2xx/3xx); every time carries
 * its zone.
 */
describe('every kind of email', () => {
  let stack: TestStack;
  let webRoot: string;
  let community: TestCommunity;
  let coChair: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let second: TestUser;
  const byTemplate = new Map<string, Parsed[]>();
  const routes = webRoutes();

  beforeAll(async () => {
    // A stand-in web build: the API serves index.html for every page path, as in production.
    webRoot = mkdtempSync(join(tmpdir(), 'cophub-web-stub-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>CoP Hub</title><div id="root"></div>');
    stack = await TestStack.start({
      env: { WEB_ROOT: webRoot, RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '1000', DIGEST_HOUR: '0' },
    });
    community = await createCommunity(stack, { name: 'North West CoP' });
    coChair = await createMember(stack, community, 'co_chair');
    moderator = await createMember(stack, community, 'moderator', { displayName: 'Mo Derator' });
    member = await createMember(stack, community, 'member', { displayName: 'Sam Oneill' });
    second = await createMember(stack, community);
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  /** Waits for one message of `template` to `to` and keeps it for the checks below. */
  async function received(template: string, to: string): Promise<Parsed> {
    const find = () => stack.smtp!.to(to).find((m) => m.headers.get('x-cop-hub-template') === template);
    await stack.smtp!.waitFor(() => Boolean(find()), 30_000, `${template} to ${to}`);
    const mail = await parse(find()!);
    byTemplate.set(template, [...(byTemplate.get(template) ?? []), mail]);
    return mail;
  }

  it('sends each kind of email', async () => {
    // Account mail: verification, password reset, password changed.
    const email = 'new-reader@example.org';
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send(registration(email, { displayName: 'New Reader', profession: 'MHWP', careerStage: 'trainee' }))
      .expect(202);
    const verify = await received('identity.verify-email', email);
    await stack
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ token: linkToken(verify.text, '/verify-email') })
      .expect(200);
    await stack.http().post('/api/v1/auth/password-reset').send({ email }).expect(202);
    const reset = await received('identity.password-reset', email);
    await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: linkToken(reset.text, '/reset-password'), password: 'Amber-Kestrel-Meadow-7' })
      .expect(204);
    await received('identity.password-changed', email);
    // Registering the address again tells its owner, with a way back in.
    await stack
      .http()
      .post('/api/v1/auth/register')
      .send({
        email,
        password: 'Quiet-Harbour-Lantern-9',
        displayName: 'Someone Else',
        profession: 'PWP',
        careerStage: 'trainee',
        region: 'london',
      })
      .expect(202);
    await received('identity.registration-attempt', email);

    // Membership: a request to the co-chairs, an approval, a rejection.
    const [newUser] = await stack.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
    const joiner: TestUser = {
      id: newUser.id,
      email,
      displayName: 'New Reader',
      token: await stack.tokenFor(newUser.id),
    };
    await stack.http().post(`/api/v1/communities/${community.slug}/join`).set(auth(joiner)).expect(201);
    await received('membership.requested', coChair.email);
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${joiner.id}/approve`)
      .set(auth(coChair))
      .expect((r) => expect(r.status).toBeLessThan(300));
    await received('membership.approved', email);
    const refused = await createUser(stack);
    await addMembership(stack, community, refused, { status: 'pending' });
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${refused.id}/reject`)
      .set(auth(coChair))
      .expect((r) => expect(r.status).toBeLessThan(300));
    await received('membership.rejected', refused.email);

    // Events: RSVP confirmation with the .ics, change (old → new), waitlist promotion, reminder, cancellation.
    const startsAt = new Date(stack.clock.now().getTime() + 24 * HOUR + 4_000);
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(auth(coChair))
      .send({
        title: 'Supervision skills workshop',
        description: 'Agenda:\n1. Welcome\n2. Casework',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/workshop',
        capacity: 1,
        reminderOffsets: [1440],
      })
      .expect(201);
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(auth(member))
      .send({ status: 'going' })
      .expect(200);
    const confirmation = await received('events.rsvp-confirmed', member.email);
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(auth(second))
      .send({ status: 'going' })
      .expect(200);
    await received('events.rsvp-confirmed', second.email);
    await received('events.reminder', member.email);
    const moved = await stack
      .http()
      .patch(`/api/v1/events/${event.body.id}`)
      .set(auth(coChair))
      .send({ venue: 'Room 4, Bridgewater House', locationKind: 'in_person' });
    expect(moved.status).toBe(200);
    const changed = await received('events.changed', member.email);
    await stack
      .http()
      .put(`/api/v1/events/${event.body.id}/rsvp`)
      .set(auth(member))
      .send({ status: 'not_going' })
      .expect(200);
    await received('events.promoted', second.email);
    await stack
      .http()
      .post(`/api/v1/events/${event.body.id}/cancel`)
      .set(auth(coChair))
      .send({ message: 'The speaker is unwell; we will rearrange in the new year.' })
      .expect(200);
    const cancelled = await received('events.cancelled', second.email);

    // Forum: a mention, and a report that reaches moderators.
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(auth(coChair))
      .send({ name: 'General' });
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(second))
      .send({ categoryId: category.body.id, title: 'Supervision ratios', body: 'What does @samoneill think?' })
      .expect(201);
    await received('forum.notification', member.email);
    const [post] = await stack.query<{ id: string }>('SELECT id FROM forum_posts WHERE thread_id = $1', [
      thread.body.id,
    ]);
    await stack
      .http()
      .post(`/api/v1/posts/${post.id}/flags`)
      .set(auth(member))
      .send({ reason: 'Off topic' })
      .expect(201);
    await received('forum.flagged', moderator.email);

    // The digest, for someone who chose it for replies.
    await stack
      .http()
      .put('/api/v1/me/notification-preferences')
      .set(auth(coChair))
      .send({ forum_reply: 'digest' })
      .expect(200);
    await stack
      .http()
      .put(`/api/v1/threads/${thread.body.id}/subscription`)
      .set(auth(coChair))
      .send({ level: 'watching' })
      .expect((r) => expect(r.status).toBeLessThan(300));
    await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(auth(second))
      .send({ body: 'A reply' })
      .expect(201);
    // Watchers are notified by the fan-out job after the reply commits: wait for it before the digest.
    await eventually(
      async () => !(await stack.query('SELECT 1 FROM forum_post_fanouts LIMIT 1')).length,
      'forum fan-out',
    );
    expect(await stack.worker!.get(DigestService).runOnce()).toBeGreaterThanOrEqual(1);
    await received('notifications.digest', coChair.email);

    // Polls: an invitation when it opens, a reminder later for those who have not answered.
    const poll = await createPoll(stack, community, coChair);
    const t = stack.clock.now().getTime();
    await openPoll(stack, poll.id, coChair, {
      remindAt: new Date(t + HOUR).toISOString(),
      closesAt: new Date(t + 48 * HOUR).toISOString(),
    });
    await received('poll.invitation', member.email);
    stack.clock.advance(HOUR + 1_000);
    try {
      await stack.worker!.get(PollJobs).runOnce();
      await received('poll.reminder', member.email);
    } finally {
      stack.clock.advance(-(HOUR + 1_000));
    }

    expect([...byTemplate.keys()].sort()).toEqual([...NOTIFICATION_KINDS, ...ACCOUNT_KINDS].sort());

    // A few kinds checked for their own content.
    expect(confirmation.attachments.map((a) => a.filename)).toEqual(['Supervision-skills-workshop.ics']);
    expect(changed.text).toMatch(/Place: Online → Room 4, Bridgewater House/);
    expect(cancelled.text).toContain('Their message: The speaker is unwell; we will rearrange in the new year.');
    expect(cancelled.text).toContain(`${stack.config.publicUrl}/c/${community.slug}/events`);
  });

  it('carries List-Unsubscribe (one-click) and a settings link on every notification email, and none on account email', () => {
    for (const template of NOTIFICATION_KINDS) {
      for (const mail of byTemplate.get(template) ?? []) {
        const list = mail.headers.get('list') as {
          unsubscribe?: { url: string };
          'unsubscribe-post'?: { name: string };
        };
        expect({ template, post: list?.['unsubscribe-post']?.name }).toEqual({
          template,
          post: 'List-Unsubscribe=One-Click',
        });
        expect(list.unsubscribe!.url.startsWith(`${stack.config.publicUrl}/api/v1/unsubscribe?`)).toBe(true);
        const settings = `${stack.config.publicUrl}/settings/notifications`;
        expect({
          template,
          text: mail.text.includes(settings),
          html: mail.html.includes(`href="${settings}"`),
        }).toEqual({ template, text: true, html: true });
      }
    }
    for (const template of ACCOUNT_KINDS) {
      for (const mail of byTemplate.get(template) ?? []) expect(mail.headers.get('list')).toBeUndefined();
    }
  });

  it('has only absolute links, each landing on a web route or an API address that answers', async () => {
    const publicUrl = stack.config.publicUrl;
    const checked: string[] = [];
    for (const [template, mails] of byTemplate) {
      for (const mail of mails) {
        for (const link of linksIn(mail)) {
          const url = new URL(link); // throws on a relative link
          expect({ template, link, absolute: /^https?:$/.test(url.protocol) }).toEqual({
            template,
            link,
            absolute: true,
          });
          if (`${url.protocol}//${url.host}` !== publicUrl) {
            // Add-to-calendar links and the event's own join link: outside the product, checked for shape.
            expect(['calendar.google.com', 'outlook.office.com', 'meet.example.nhs.uk']).toContain(url.hostname);
            continue;
          }
          if (!url.pathname.startsWith('/api/')) {
            expect({ template, link, route: routes.some((r) => r.test(url.pathname)) }).toEqual({
              template,
              link,
              route: true,
            });
          }
          const response = await stack.http().get(`${url.pathname}${url.search}`);
          expect({ template, link, status: response.status < 400 }).toEqual({ template, link, status: true });
          checked.push(link);
        }
      }
    }
    expect(checked.length).toBeGreaterThan(30);
  });

  it('writes every time with its zone', () => {
    let times = 0;
    for (const [template, mails] of byTemplate) {
      for (const mail of mails) {
        const text = mail.text.replace(/https?:\/\/\S+/g, '');
        for (const match of text.matchAll(/\b\d{1,2}:\d{2}\b(?! ?(GMT|BST))/g)) {
          throw new Error(`${template}: "${match[0]}" has no zone in:\n${text}`);
        }
        times += [...text.matchAll(/\b\d{2}:\d{2} (GMT|BST)\b/g)].length;
      }
    }
    expect(times).toBeGreaterThan(8);
    const [reminder] = byTemplate.get('events.reminder')!;
    // An event that ends the next day (the test's event starts 24 hours from now, so after 22:00 it does) names
    // the end date too.
    expect(reminder.text).toMatch(
      /\w{3} \d{1,2} \w+ \d{4}, \d{2}:\d{2} (GMT|BST) to (\w{3} \d{1,2} \w+ \d{4}, )?\d{2}:\d{2} (GMT|BST)/,
    );
  });

  it('attaches the event as an .ics to the RSVP confirmation, with the same time in the same words', () => {
    const [mail] = byTemplate.get('events.rsvp-confirmed')!;
    const attachment = mail.attachments.find((a) => a.filename?.endsWith('.ics'));
    expect(attachment?.contentType).toBe('text/calendar');
    const calendar = new ICAL.Component(ICAL.parse(attachment!.content.toString('utf8')));
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(vevent.summary).toBe('Supervision skills workshop');
    expect(vevent.description).toMatch(/Agenda:\n+1. Welcome\n2. Casework/);
    const when = /When: (.+)/.exec(mail.text)![1];
    expect(vevent.description).toContain(`When: ${when}`);
  });
});
