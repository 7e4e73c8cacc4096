import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  addMembership,
  createCommunity,
  createMember,
  createUser,
  TEST_PASSWORD,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { makePdf, multipart } from './resources.helpers';

/**
 * The authorisation matrix, generated from the OpenAPI document (`/api/docs-json`): every operation is
 * called as every kind of caller, with every path parameter filled with a real item made for the test
 * in community A. Community B has the same items, used for the cross-community checks: A's items under
 * B's address (as B's co-chair, A's co-chair and an admin), and B's items named in the body of an
 * operation on A's items (a thread moved into B's category, a ballot for B's question…).
 *
 * Who may reach an operation comes from what its route declares (`x-access`: `public`, `signed-in`,
 * `admin`, `community:<role>`, written into the document from the guards' decorators), and for routes
 * that decide from the item itself (`/threads/:id`, `/polls/:id`…) from the table `ITEM_RULES`, with a
 * reason where the answer is not plain membership. A caller who may not reach an operation must be
 * refused (401, 403 or 404, or a listed 4xx); one who may must not be (and a read must succeed, which
 * proves the item is real). Besides the status, no answer to someone outside A may contain A's marker
 * text (every item of A carries it in its title or body), none outside B may contain B's, and no one
 * but the member may see the member's own CPD entry. Page routes run twice: on a members-only page and
 * on a page made public after a members-only draft.
 *
 * A route whose path parameter has no filler, or a `signed-in`/`public` route about an item with no
 * rule, fails the suite until one is added. The order is safe for a shared stack: reads first, then
 * changes, then destructive operations on throwaway items, then leaving, joining, signing out, changing
 * the password and closing the account, each called by a new account of the caller's standing.
 */

type Actor =
  'signedOut' | 'nonMember' | 'pending' | 'suspended' | 'otherCoChair' | 'member' | 'moderator' | 'coChair' | 'admin';
/** Least to most privileged: within an operation the refused callers go first, so a change made by an
 * allowed caller cannot turn a refused caller's answer into a false pass. */
const ACTORS: Actor[] = [
  'signedOut',
  'nonMember',
  'pending',
  'suspended',
  'otherCoChair',
  'member',
  'moderator',
  'coChair',
  'admin',
];
const RANK: Partial<Record<Actor, number>> = { member: 1, moderator: 2, coChair: 3 };
const OUTSIDE_A: Actor[] = ['signedOut', 'nonMember', 'pending', 'suspended', 'otherCoChair'];

interface Rule {
  allowed: Actor[];
  /** Refusals other than 401/403/404 that a refused caller may get (e.g. 409 "already a member"). */
  refusals?: number[];
  why?: string;
}

const everyone = (why?: string): Rule => ({ allowed: ACTORS, why });
const signedIn = (why?: string): Rule => ({ allowed: ACTORS.filter((a) => a !== 'signedOut'), why });
/** Approved members of A with at least this rank; admins too unless `admin` is false. */
const inA = (rank: number, admin = true, why?: string): Rule => ({
  allowed: ACTORS.filter((a) => (RANK[a] ?? 0) >= rank || (admin && a === 'admin')),
  why,
});
const only = (actors: Actor[], why: string, refusals?: number[]): Rule => ({ allowed: actors, why, refusals });
const nobody = (why: string, refusals: number[] = []): Rule => ({ allowed: [], why, refusals });

/**
 * Routes whose guard declaration (`public` or `signed-in`) does not say who reaches the data: the
 * service decides from the item (its community, its owner). Keyed `METHOD path` as in the document.
 */
const ITEM_RULES: Record<string, Rule> = {
  // Accounts and sign-in: the body carries the credential, not the caller's token.
  'POST /api/v1/auth/verify-email': nobody('a made-up verification token is refused', [400]),
  'POST /api/v1/auth/refresh': nobody('a made-up refresh token is refused', [400]),
  'POST /api/v1/auth/password-reset/confirm': nobody('a made-up reset token is refused', [400]),
  // Token links: the signed link is the credential; a made-up signature reaches nothing.
  'GET /api/v1/unsubscribe': nobody('a made-up unsubscribe signature is refused', [400]),
  'POST /api/v1/unsubscribe': nobody('a made-up unsubscribe signature is refused', [400]),
  'POST /api/v1/unsubscribe/undo': nobody('a made-up undo signature is refused', [400]),
  'GET /api/v1/mail-status/confirm': nobody('a made-up confirmation token is refused', [400]),
  'POST /api/v1/mail-status/confirm': nobody('a made-up confirmation token is refused', [400]),
  'GET /api/v1/mail-in/confirm-reply': nobody('a made-up "post this reply" token is refused', [400]),
  'POST /api/v1/mail-in/confirm-reply': nobody('a made-up "post this reply" token is refused', [400]),
  'POST /api/v1/mail-in/messages': nobody('the provider webhook needs its own credential, not a user token', [400]),
  'GET /dev/mail': nobody('the local mail viewer exists only with no SMTP server configured (this suite has one)'),
  'GET /dev/mail/{id}': nobody('the local mail viewer exists only with no SMTP server configured (this suite has one)'),
  'GET /api/v1/calendar/feeds/{token}': everyone('the private feed URL is the credential (events its owner goes to)'),
  // Communities.
  'GET /api/v1/communities/{slug}': signedIn('the summary card a visitor reads before asking to join'),
  'POST /api/v1/communities/{slug}/join': only(
    ['nonMember', 'otherCoChair', 'admin'],
    'anyone not already in A may ask; pending and approved members get 409, a suspended member 403',
    [409],
  ),
  'DELETE /api/v1/communities/{slug}/membership': only(
    ['pending', 'member', 'moderator', 'coChair'],
    'leaving (or withdrawing a request) is for those with a membership; the last co-chair gets 409',
    [409],
  ),
  'GET /api/v1/profiles/{handle}': only(
    ['member', 'moderator', 'coChair'],
    "a profile card is shown to those who share an approved community with its owner (A's members); " +
      'to anyone else, admins included, it is "not found"',
  ),
  // Pages (public routes: the page filled in is members-only).
  'GET /api/v1/communities/{slug}/pages': everyone('lists public pages to outsiders (the marker check proves which)'),
  'GET /api/v1/communities/{slug}/pages/{pageSlug}': inA(1, true, 'a members-only page'),
  'GET /api/v1/communities/{slug}/pages/{pageSlug}/revisions': inA(1, true, 'a members-only page'),
  'GET /api/v1/communities/{slug}/pages/{pageSlug}/diff': inA(1, true, 'a members-only page'),
  // Events (the event filled in is members-only; public events are covered by events.e2e).
  'GET /api/v1/public/communities/{slug}/events': everyone('public events only (the marker check proves which)'),
  'GET /api/v1/public/communities/{slug}/events/calendar': everyone('public events only'),
  'GET /api/v1/public/communities/{slug}/calendar.ics': everyone('public events only'),
  'GET /api/v1/events/{id}': inA(1),
  'GET /api/v1/events/{id}/event.ics': inA(1),
  'PATCH /api/v1/events/{id}': inA(3),
  'POST /api/v1/events/{id}/cancel': inA(3),
  'PUT /api/v1/events/{id}/rsvp': inA(1),
  'GET /api/v1/events/{id}/attendees': inA(3),
  'POST /api/v1/events/{id}/attendance': inA(3),
  'POST /api/v1/events/{id}/check-in': inA(1),
  // The member's own CPD record: its owner only; anyone else gets 404.
  'GET /api/v1/me/cpd/activities/{id}': only(['member'], 'an entry is its owner’s alone'),
  'PATCH /api/v1/me/cpd/activities/{id}': only(['member'], 'an entry is its owner’s alone'),
  'DELETE /api/v1/me/cpd/activities/{id}': only(['member'], 'an entry is its owner’s alone'),
  'PUT /api/v1/me/cpd/events/{eventId}/reflection': only(['member'], 'only the member who attended reflects on it'),
  // Resources.
  'POST /api/v1/communities/{slug}/resources': inA(
    3,
    true,
    'declared for members, but only co-chairs and the members they make contributors add resources',
  ),
  'GET /api/v1/resources/{id}': inA(1),
  'PATCH /api/v1/resources/{id}': inA(3),
  'POST /api/v1/resources/{id}/archive': inA(3),
  'POST /api/v1/resources/{id}/restore': inA(3),
  'POST /api/v1/resources/{id}/versions': inA(3),
  'GET /api/v1/resources/{id}/versions/{n}/download': inA(1),
  // Forum.
  'POST /api/v1/categories/{id}/merge': inA(3),
  'PATCH /api/v1/categories/{id}': inA(3),
  'DELETE /api/v1/categories/{id}': inA(3),
  'GET /api/v1/threads/{id}': inA(1),
  'PUT /api/v1/threads/{id}/read': inA(1),
  'PUT /api/v1/threads/{id}/subscription': inA(1),
  'PUT /api/v1/threads/{id}/pin': inA(2),
  'PUT /api/v1/threads/{id}/lock': inA(2),
  'POST /api/v1/threads/{id}/move': inA(2),
  'GET /api/v1/threads/{id}/posts': inA(1),
  'POST /api/v1/threads/{id}/posts': inA(1),
  'GET /api/v1/posts/{id}': inA(1),
  'PATCH /api/v1/posts/{id}': inA(2, true, 'the author (another member) or a moderator'),
  'DELETE /api/v1/posts/{id}': inA(2, true, 'the author (another member) or a moderator'),
  'GET /api/v1/posts/{id}/revisions': inA(1),
  'PUT /api/v1/posts/{id}/reactions/{kind}': inA(1),
  'DELETE /api/v1/posts/{id}/reactions/{kind}': inA(1),
  'PUT /api/v1/posts/{id}/bookmark': inA(1),
  'DELETE /api/v1/posts/{id}/bookmark': inA(1),
  'POST /api/v1/posts/{id}/flags': inA(1),
  'PUT /api/v1/posts/{id}/hidden': inA(2),
  // Polls (the poll filled in is open to every member of A).
  'GET /api/v1/polls/{id}': inA(1),
  'PATCH /api/v1/polls/{id}': inA(3),
  'POST /api/v1/polls/{id}/schedule': inA(3),
  'POST /api/v1/polls/{id}/open': inA(3),
  'POST /api/v1/polls/{id}/close': inA(3),
  'POST /api/v1/polls/{id}/remind': inA(3),
  'POST /api/v1/polls/{id}/responses': inA(1, false, 'the electorate is the approved members when it opened'),
  'GET /api/v1/polls/{id}/named-responses': inA(3),
  'GET /api/v1/polls/{id}/results': inA(1),
  'GET /api/v1/polls/{id}/results.csv': inA(3),
  'GET /api/v1/polls/{id}/summary': inA(3),
  'GET /api/v1/polls/{id}/report.pdf': inA(3),
};

/**
 * The same page routes on a page drafted members-only and then made public: anyone reads the page and
 * its history (the draft's title, author and note withheld), but only members compare against the draft.
 * On the previous page code (history judged by the page's current visibility) this variant fails with
 * 5 breaks and 10 leaks: every outsider read the draft's title through `revisions` and its text through `diff`.
 */
const PUBLISHED_PAGE_RULES: Record<string, Rule> = {
  'GET /api/v1/communities/{slug}/pages/{pageSlug}': everyone('a public page'),
  'GET /api/v1/communities/{slug}/pages/{pageSlug}/revisions': everyone('a public page, members-only drafts withheld'),
  'GET /api/v1/communities/{slug}/pages/{pageSlug}/diff': inA(1, true, 'revision 1 was a members-only draft'),
};

/** Operations whose body names other items (which must belong to the community of the address). */
const BODY_REFERENCES: Record<string, string> = {
  'POST /api/v1/communities/{slug}/threads': 'categoryId',
  'POST /api/v1/threads/{id}/move': 'categoryId',
  'POST /api/v1/categories/{id}/merge': 'into',
  'PUT /api/v1/communities/{slug}/categories/order': 'categoryIds',
  'POST /api/v1/polls/{id}/responses': 'questionId, optionIds',
  'POST /api/v1/communities/{slug}/mail-submissions/{id}/publish-thread': 'categoryId',
  'POST /api/v1/communities/{slug}/resources': 'eventId',
  'PATCH /api/v1/resources/{id}': 'eventId',
  'POST /api/v1/threads/{id}/posts': 'quotePostId',
};

/**
 * Operations that, given another community's item under a community's address, answer 2xx because
 * they change nothing.
 */
const CROSS_NO_OPS: Record<string, string> = {
  'DELETE /api/v1/communities/{slug}/resource-contributors/{userId}':
    'removing a contributor grant the person does not hold in that community is an idempotent no-op (204)',
};

/**
 * Reads, then changes, then destructive operations, then those that end a membership or a session (leaving
 * before asking to join, so a request made by `join` is not what `leave` withdraws; closing the account last).
 */
function phase(method: string, path: string): number {
  const last = ['/membership', '/join', '/auth/logout', '/me/password', '/me/close'].findIndex((end) =>
    path.endsWith(end),
  );
  if (last >= 0) return 3 + last;
  if (
    method === 'delete' ||
    /\/(cancel|close|archive|merge|decline|publish-thread|publish-resource|hidden|resolve)$/.test(path) ||
    path.endsWith('/{decision}') ||
    path.endsWith('/role')
  ) {
    return 2;
  }
  return method === 'get' ? 0 : 1;
}

interface World {
  slug: string;
  id: string;
  marker: string;
  categoryId: string;
  spareCategoryId: string;
  threadId: string;
  postId: string;
  flagId: string;
  eventId: string;
  pollId: string;
  questionId: string;
  optionId: string;
  resourceId: string;
  pageSlug: string;
  /** A page drafted members-only (its draft carries the marker) and then made public without it. */
  publishedPageSlug: string;
  submissionId: string;
}

describe('authorisation matrix generated from the OpenAPI document', () => {
  let stack: TestStack;
  let doc: {
    paths: Record<
      string,
      Record<
        string,
        {
          'x-access'?: string;
          parameters?: Array<{ name: string; in: string; required?: boolean }>;
          requestBody?: unknown;
        }
      >
    >;
  };
  const users = {} as Record<Exclude<Actor, 'signedOut'>, TestUser>;
  let a: World;
  let b: World;
  let communityA: TestCommunity;
  let communityB: TestCommunity;
  let applicant: TestUser;
  let target: TestUser;
  let addable: TestUser;
  let memberHandle: string;
  let cpdId: string;
  let cpdMarker: string;
  let feedToken: string;
  let outboxId: string;
  let notificationId: string;

  const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  async function expectCreated(response: Response, what: string): Promise<Record<string, unknown>> {
    if (response.status !== 201 && response.status !== 200) {
      throw new Error(`set-up: ${what} answered ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as Record<string, unknown>;
  }

  /** A mail submission as the inbound pipeline files it (a share+ message from a member). */
  async function submission(world: { id: string; marker: string }, sender: TestUser): Promise<string> {
    const [message] = await stack.query<{ id: string }>(
      `INSERT INTO inbound_messages (message_id, source, from_address, subject, size_bytes, kind, outcome, community_id, user_id)
       VALUES ($1, 'smtp', $2, $3, 100, 'submission', 'accepted', $4, $5) RETURNING id`,
      [`<${randomUUID()}@example.nhs.net>`, sender.email, `Shared ${world.marker}`, world.id, sender.id],
    );
    const [row] = await stack.query<{ id: string }>(
      `INSERT INTO mail_submissions (community_id, inbound_message_id, address, sender_id, sender_address, subject, body_text, status)
       VALUES ($1, $2, 'share', $3, $4, $5, $6, 'pending') RETURNING id`,
      [world.id, message.id, sender.id, sender.email, `Shared ${world.marker}`, `Notes ${world.marker}`],
    );
    return row.id;
  }

  async function seed(
    community: TestCommunity,
    coChair: TestUser,
    author: TestUser,
    reporter: TestUser,
  ): Promise<World> {
    const marker = `MARK${randomUUID().slice(0, 8).toUpperCase()}`;
    // Page addresses are per community: a different one in each, so B's address cannot find A's by name.
    const pageSlug = `minutes-${marker.toLowerCase()}`;
    const base = `/api/v1/communities/${community.slug}`;
    const category = await expectCreated(
      await stack
        .http()
        .post(`${base}/categories`)
        .set(auth(coChair))
        .send({ name: `General ${marker}` }),
      'category',
    );
    const spare = await expectCreated(
      await stack
        .http()
        .post(`${base}/categories`)
        .set(auth(coChair))
        .send({ name: `Other ${marker}` }),
      'category',
    );
    const thread = await expectCreated(
      await stack
        .http()
        .post(`${base}/threads`)
        .set(auth(author))
        .send({ categoryId: category.id, title: `Thread ${marker}`, body: `Opening ${marker}` }),
      'thread',
    );
    const reply = await expectCreated(
      await stack
        .http()
        .post(`/api/v1/threads/${thread.id}/posts`)
        .set(auth(author))
        .send({ body: `Reply ${marker}` }),
      'post',
    );
    await expectCreated(
      await stack.http().post(`/api/v1/posts/${reply.id}/flags`).set(auth(reporter)).send({ reason: 'Off topic' }),
      'flag',
    );
    const [flag] = await stack.query<{ id: string }>('SELECT id FROM forum_flags WHERE post_id = $1', [reply.id]);
    const startsAt = Date.now() + 7 * 86_400_000;
    const event = await expectCreated(
      await stack
        .http()
        .post(`${base}/events`)
        .set(auth(coChair))
        .send({
          title: `Meeting ${marker}`,
          description: `Agenda ${marker}`,
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(startsAt + 3_600_000).toISOString(),
          locationKind: 'online',
          joinUrl: 'https://meet.example.nhs.uk/cop',
        }),
      'event',
    );
    const poll = (await expectCreated(
      await stack
        .http()
        .post(`${base}/polls`)
        .set(auth(coChair))
        .send({
          title: `Pulse ${marker}`,
          anonymous: false,
          resultsVisibility: 'live',
          questions: [{ kind: 'single_choice', prompt: `Supported? ${marker}`, options: ['Yes', 'No'] }],
        }),
      'poll',
    )) as { id: string; questions: Array<{ id: string; options: Array<{ id: string }> }> };
    await expectCreated(
      await stack.http().post(`/api/v1/polls/${poll.id}/open`).set(auth(coChair)).send({}),
      'poll open',
    );
    const form = multipart(
      { title: `Guide ${marker}` },
      { filename: 'guide.pdf', contentType: 'application/pdf', data: await makePdf([`Guide ${marker}`]) },
    );
    const resource = await expectCreated(
      await stack.http().post(`${base}/resources`).set(auth(coChair)).set('Content-Type', form.type).send(form.body),
      'resource',
    );
    await expectCreated(
      await stack
        .http()
        .post(`${base}/pages`)
        .set(auth(coChair))
        .send({ slug: pageSlug, title: `Minutes ${marker}`, body: `Draft ${marker}` }),
      'page',
    );
    await expectCreated(
      await stack
        .http()
        .put(`${base}/pages/${pageSlug}`)
        .set(auth(coChair))
        .send({ body: `Agreed ${marker}`, baseRevision: 1 }),
      'page revision',
    );
    const publishedPageSlug = `terms-${marker.toLowerCase()}`;
    await expectCreated(
      await stack
        .http()
        .post(`${base}/pages`)
        .set(auth(coChair))
        .send({ slug: publishedPageSlug, title: `Draft terms ${marker}`, body: `Draft ${marker}` }),
      'page draft',
    );
    await expectCreated(
      await stack
        .http()
        .put(`${base}/pages/${publishedPageSlug}`)
        .set(auth(coChair))
        .send({ title: 'Terms of Reference', body: 'Agreed terms', visibility: 'public', baseRevision: 1 }),
      'page made public',
    );
    const world = { id: community.id, marker };
    return {
      slug: community.slug,
      id: community.id,
      marker,
      categoryId: category.id as string,
      spareCategoryId: spare.id as string,
      threadId: thread.id as string,
      postId: reply.id as string,
      flagId: flag.id,
      eventId: event.id as string,
      pollId: poll.id,
      questionId: poll.questions[0].id,
      optionId: poll.questions[0].options[0].id,
      resourceId: resource.id as string,
      pageSlug,
      publishedPageSlug,
      submissionId: await submission(world, author),
    };
  }

  beforeAll(async () => {
    stack = await TestStack.start({
      worker: false,
      env: {
        RATE_LIMIT_VOTES_PER_USER_PER_MINUTE: '100000',
        RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: '100000',
        RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '100000',
        RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR: '100000',
      },
    });
    communityA = await createCommunity(stack, { name: 'North West PWP CoP' });
    communityB = await createCommunity(stack, { name: 'London EMHP CoP' });
    users.nonMember = await createUser(stack);
    users.pending = await createUser(stack);
    await addMembership(stack, communityA, users.pending, { status: 'pending' });
    users.suspended = await createMember(stack, communityA, 'member');
    await addMembership(stack, communityA, users.suspended, { status: 'suspended' });
    users.otherCoChair = await createMember(stack, communityB, 'co_chair');
    users.member = await createMember(stack, communityA, 'member');
    users.moderator = await createMember(stack, communityA, 'moderator');
    users.coChair = await createMember(stack, communityA, 'co_chair');
    users.admin = await createUser(stack, { isAdmin: true });
    applicant = await createUser(stack);
    await addMembership(stack, communityA, applicant, { status: 'pending' });
    target = await createMember(stack, communityA, 'member');
    addable = await createUser(stack);
    const authorA = await createMember(stack, communityA, 'member');
    const reporterA = await createMember(stack, communityA, 'member');
    const authorB = await createMember(stack, communityB, 'member');
    const reporterB = await createMember(stack, communityB, 'member');

    a = await seed(communityA, users.coChair, authorA, reporterA);
    b = await seed(communityB, users.otherCoChair, authorB, reporterB);

    cpdMarker = `CPD${randomUUID().slice(0, 8).toUpperCase()}`;
    const cpd = await expectCreated(
      await stack
        .http()
        .post('/api/v1/me/cpd/activities')
        .set(auth(users.member))
        .send({ kind: 'reading', activity: `Reading ${cpdMarker}`, date: '2026-11-02', hours: 2 }),
      'CPD entry',
    );
    cpdId = cpd.id as string;
    // The member attended A's meeting (as recorded after it), so a reflection on it is theirs to write.
    await stack.query(
      `INSERT INTO event_attendance (event_id, user_id, community_id, method, title, starts_at, ends_at, cpd_hours, profession, career_stage)
       SELECT e.id, $2, e.community_id, 'marked', e.title, e.starts_at, e.ends_at, 1, 'PWP', 'qualified'
         FROM events e WHERE e.id = $1`,
      [a.eventId, users.member.id],
    );
    const feed = await expectCreated(
      await stack.http().post('/api/v1/me/calendar-feed').set(auth(users.member)),
      'calendar feed',
    );
    feedToken = /\/calendar\/feeds\/([^/?]+?)(?:\.ics)?$/.exec(feed.url as string)![1];
    memberHandle = (
      await stack.query<{ handle: string }>('SELECT handle FROM users WHERE id = $1', [users.member.id])
    )[0].handle;
    const [outbox] = await stack.query<{ id: string }>(
      'SELECT id FROM mail_outbox WHERE recipient = $1 ORDER BY created_at LIMIT 1',
      [users.member.email],
    );
    outboxId = outbox?.id;
    const [notification] = await stack.query<{ id: string }>(
      'SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at LIMIT 1',
      [users.member.id],
    );
    notificationId = notification?.id;
    if (!outboxId || !notificationId) throw new Error('set-up: the member has no outbox message or notification');

    doc = (await stack.http().get('/api/docs-json').expect(200)).body as typeof doc;
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  /** A new account with the same standing as `actor` (in A, in B, or an admin). */
  async function standIn(actor: Exclude<Actor, 'signedOut'>): Promise<TestUser> {
    switch (actor) {
      case 'nonMember':
        return createUser(stack);
      case 'admin':
        return createUser(stack, { isAdmin: true });
      case 'otherCoChair':
        return createMember(stack, communityB, 'co_chair');
      case 'pending':
      case 'suspended': {
        const user = await createUser(stack);
        await addMembership(stack, communityA, user, { status: actor });
        return user;
      }
      default:
        return createMember(stack, communityA, actor === 'coChair' ? 'co_chair' : actor);
    }
  }

  /** A real value for a path parameter of this route, from world `w`; undefined when there is none. */
  function fill(path: string, name: string, w: World): string | undefined {
    if (name === 'slug') return w.slug;
    if (name === 'pageSlug') return w.pageSlug;
    if (name === 'flagId') return w.flagId;
    if (name === 'eventId') return w.eventId;
    if (name === 'handle') return memberHandle;
    if (name === 'token') return `${feedToken}.ics`;
    if (name === 'kind' && path.includes('/reactions/')) return 'like';
    if (name === 'n' && path.includes('/versions/')) return '1';
    if (name === 'decision') return 'approve';
    if (name === 'userId') return path.endsWith('/{decision}') ? applicant.id : target.id;
    if (name !== 'id') return undefined;
    const collection = /\/(?:api\/v1\/|dev\/)([\w-]+(?:\/[\w-]+)*?)\/\{id\}/.exec(path)?.[1] ?? '';
    const byCollection: Record<string, string | undefined> = {
      categories: w.categoryId,
      threads: w.threadId,
      posts: w.postId,
      events: w.eventId,
      polls: w.pollId,
      resources: w.resourceId,
      'me/cpd/activities': cpdId,
      'admin/mail/outbox': outboxId,
      mail: outboxId,
    };
    if (/\/mail-submissions\/\{id\}/.test(path)) return w.submissionId;
    return byCollection[collection];
  }

  /** Items made afresh for one destructive operation, so it cannot spoil the shared ones. */
  async function throwaway(method: string, path: string, w: World): Promise<Partial<Record<string, string>>> {
    const key = `${method.toUpperCase()} ${path}`;
    const coChair = users.coChair;
    if (key === 'DELETE /api/v1/posts/{id}' || key === 'PUT /api/v1/posts/{id}/hidden') {
      const post = await stack
        .http()
        .post(`/api/v1/threads/${w.threadId}/posts`)
        .set(auth(target))
        .send({ body: `Throwaway ${w.marker}` });
      return { id: post.body.id };
    }
    if (key === 'DELETE /api/v1/categories/{id}' || key === 'POST /api/v1/categories/{id}/merge') {
      const category = await stack
        .http()
        .post(`/api/v1/communities/${w.slug}/categories`)
        .set(auth(coChair))
        .send({ name: `Throwaway ${randomUUID().slice(0, 6)} ${w.marker}` });
      return { id: category.body.id };
    }
    if (/\/mail-submissions\/\{id\}\//.test(path)) return { id: await submission(w, target) };
    return {};
  }

  function query(method: string, path: string, w: World): Record<string, string> {
    if (path.endsWith('/events/calendar')) return { year: String(new Date().getUTCFullYear()) };
    if (path.endsWith('/search')) return { q: 'meeting' };
    if (path.endsWith('/diff')) return { from: '1', to: '2' };
    if (path.startsWith('/api/v1/unsubscribe')) {
      return {
        u: users.member.id,
        k: 'made-up-signature',
        s: 'poll_reminder',
        ...(path.endsWith('/undo') ? { p: 'x' } : {}),
      };
    }
    if (path === '/api/v1/mail-status/confirm') return { token: 'made-up.1.token' };
    if (path === '/api/v1/mail-in/confirm-reply') return { token: 'made-up-reply-confirmation-token' };
    void method;
    void w;
    return {};
  }

  /** A valid body for the operation (so a refusal is about who asks, not what they send). */
  async function body(
    method: string,
    path: string,
    w: World,
  ): Promise<{ json?: unknown; form?: Record<string, string> }> {
    const key = `${method.toUpperCase()} ${path}`;
    const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    type Payload = { json?: unknown; form?: Record<string, string> };
    const bodies: Record<string, () => Payload | Promise<Payload>> = {
      'POST /api/v1/auth/register': () => ({
        json: {
          email: `matrix-${randomUUID().slice(0, 8)}@example.nhs.net`,
          password: 'Quiet-Harbour-Lantern-9',
          displayName: 'New Reader',
          profession: 'MHWP',
          careerStage: 'trainee',
          region: 'north_west',
        },
      }),
      'POST /api/v1/auth/verify-email': () => ({ json: { token: 'made-up-token' } }),
      'POST /api/v1/auth/verify-email/resend': () => ({ json: { email: addable.email } }),
      'POST /api/v1/auth/verify/resend': () => ({ json: { email: addable.email } }),
      'POST /api/v1/auth/login': () => ({ json: { email: addable.email, password: TEST_PASSWORD } }),
      'POST /api/v1/auth/refresh': () => ({ json: { refreshToken: 'made-up-refresh-token' } }),
      'POST /api/v1/auth/password-reset': () => ({ json: { email: addable.email } }),
      'POST /api/v1/auth/password-reset/confirm': () => ({
        json: { token: 'made-up-token', password: 'Quiet-Harbour-Lantern-9' },
      }),
      'PATCH /api/v1/me': () => ({ json: { organisation: 'Matrix NHS Trust' } }),
      'POST /api/v1/me/close': () => ({ json: { password: TEST_PASSWORD } }),
      'POST /api/v1/me/password': () => ({
        json: { currentPassword: TEST_PASSWORD, newPassword: 'Quiet-Harbour-Lantern-9' },
      }),
      'POST /api/v1/communities': () => ({
        json: { slug: `matrix-${randomUUID().slice(0, 8)}`, name: 'Matrix CoP', region: 'london' },
      }),
      'PATCH /api/v1/communities/{slug}': () => ({ json: { description: 'Updated by the matrix' } }),
      'POST /api/v1/communities/{slug}/members': () => ({ json: { email: addable.email } }),
      'PATCH /api/v1/communities/{slug}/members/{userId}/role': () => ({ json: { role: 'moderator' } }),
      'POST /api/v1/notifications/read': () => ({ json: { ids: [notificationId] } }),
      'PUT /api/v1/me/notification-preferences': () => ({ json: { forum_reply: 'in_app' } }),
      'POST /api/v1/communities/{slug}/events': () => ({
        json: {
          title: 'Matrix meeting',
          startsAt: later(14),
          endsAt: new Date(Date.now() + 14 * 86_400_000 + 3_600_000).toISOString(),
          locationKind: 'online',
          joinUrl: 'https://meet.example.nhs.uk/m',
        },
      }),
      'PATCH /api/v1/events/{id}': () => ({ json: { description: `Edited agenda ${w.marker}` } }),
      'POST /api/v1/events/{id}/cancel': () => ({ json: { message: 'Cancelled' } }),
      'PUT /api/v1/events/{id}/rsvp': () => ({ json: { status: 'going' } }),
      'POST /api/v1/events/{id}/attendance': () => ({ json: { userIds: [target.id], attended: true } }),
      'POST /api/v1/events/{id}/check-in': () => ({ json: { code: '123456' } }),
      'POST /api/v1/me/cpd/activities': () => ({
        json: { kind: 'course', activity: 'Matrix course', date: '2026-11-03', hours: 1 },
      }),
      'PATCH /api/v1/me/cpd/activities/{id}': () => ({ json: { hours: 3 } }),
      'PUT /api/v1/me/cpd/events/{eventId}/reflection': () => ({ json: { reflection: 'Useful' } }),
      'POST /api/v1/communities/{slug}/resources': () => ({
        form: { title: 'Matrix guide', url: 'https://example.nhs.uk/matrix', eventId: w.eventId },
      }),
      'PATCH /api/v1/resources/{id}': () => ({ json: { description: 'Edited', eventId: w.eventId } }),
      'POST /api/v1/resources/{id}/versions': () => ({ form: { url: 'https://example.nhs.uk/guide-v2' } }),
      'POST /api/v1/communities/{slug}/categories': () => ({ json: { name: `Matrix ${randomUUID().slice(0, 6)}` } }),
      'PUT /api/v1/communities/{slug}/categories/order': async () => ({
        json: {
          categoryIds: (
            await stack.query<{ id: string }>(
              'SELECT id FROM forum_categories WHERE community_id = $1 ORDER BY position, id',
              [w.id],
            )
          ).map((row) => row.id),
        },
      }),
      'POST /api/v1/categories/{id}/merge': () => ({ json: { into: w.categoryId } }),
      'PATCH /api/v1/categories/{id}': () => ({ json: { description: 'Edited' } }),
      'POST /api/v1/communities/{slug}/threads': () => ({
        json: { categoryId: w.categoryId, title: 'Matrix thread', body: 'Hello' },
      }),
      'POST /api/v1/communities/{slug}/forum/read-all': () => ({ json: {} }),
      'PUT /api/v1/threads/{id}/read': () => ({ json: { postNumber: 1 } }),
      'PUT /api/v1/threads/{id}/subscription': () => ({ json: { level: 'watching' } }),
      'PUT /api/v1/threads/{id}/pin': () => ({ json: { pinned: true } }),
      'PUT /api/v1/threads/{id}/lock': () => ({ json: { locked: false } }),
      'POST /api/v1/threads/{id}/move': () => ({ json: { categoryId: w.spareCategoryId } }),
      'POST /api/v1/threads/{id}/posts': () => ({ json: { body: 'Matrix reply', quotePostId: w.postId } }),
      'PATCH /api/v1/posts/{id}': () => ({ json: { body: `Edited reply ${w.marker}` } }),
      'POST /api/v1/posts/{id}/flags': () => ({ json: { reason: 'Matrix report' } }),
      'PUT /api/v1/posts/{id}/hidden': () => ({ json: { hidden: true, reason: 'Matrix' } }),
      'POST /api/v1/communities/{slug}/moderation/flags/{flagId}/resolve': () => ({ json: { action: 'dismiss' } }),
      'POST /api/v1/communities/{slug}/announcements': () => ({ json: { title: 'Matrix notice', body: 'Hello all' } }),
      'POST /api/v1/communities/{slug}/polls': () => ({
        json: { title: 'Matrix poll', questions: [{ kind: 'single_choice', prompt: 'Q?', options: ['A', 'B'] }] },
      }),
      'POST /api/v1/communities/{slug}/polls/electorate-preview': () => ({ json: {} }),
      'PATCH /api/v1/polls/{id}': () => ({ json: { title: 'Edited poll' } }),
      'POST /api/v1/polls/{id}/schedule': () => ({ json: { closesAt: later(30) } }),
      'POST /api/v1/polls/{id}/open': () => ({ json: {} }),
      'POST /api/v1/polls/{id}/responses': () => ({
        json: { answers: [{ questionId: w.questionId, optionIds: [w.optionId] }] },
      }),
      'POST /api/v1/communities/{slug}/pages': () => ({
        json: { slug: `matrix-${randomUUID().slice(0, 6)}`, title: 'Matrix page', body: 'Text' },
      }),
      'PUT /api/v1/communities/{slug}/pages/{pageSlug}': () => ({ json: { body: 'Matrix edit', baseRevision: 2 } }),
      'PUT /api/v1/communities/{slug}/me/key-contact': () => ({ json: { listed: true } }),
      'POST /api/v1/communities/{slug}/mail-submissions/{id}/publish-thread': () => ({
        json: { categoryId: w.categoryId },
      }),
      'POST /api/v1/communities/{slug}/mail-submissions/{id}/publish-resource': () => ({ json: {} }),
      'POST /api/v1/communities/{slug}/mail-submissions/{id}/decline': () => ({ json: { note: 'Not for here' } }),
      'PATCH /api/v1/communities/{slug}/mail-settings': () => ({ json: { enabled: true } }),
      'POST /api/v1/mail-in/messages': () => ({ json: {} }),
    };
    return bodies[key]?.() ?? {};
  }

  /** Runs the matrix over the operations of `paths` (the served document's, or a made-up one). */
  async function runMatrix(paths: typeof doc.paths) {
    const started = Date.now();
    const operations = Object.entries(paths)
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
      .sort((x, y) => phase(x.method, x.path) - phase(y.method, y.path));

    const unfilled: string[] = [];
    const unruled: string[] = [];
    const breaks: string[] = [];
    const leaks: string[] = [];
    const unreached: string[] = [];
    /** Allowed callers whose change was answered with a 4xx other than a refusal (a 409 for a repeat…). */
    const allowedNot2xx: string[] = [];
    /** What each call naming another community's items in its body was answered. */
    const crossedBodies: string[] = [];
    let calls = 0;
    let routeCells = 0;
    let refusedCells = 0;
    let allowedPassed = 0;
    let crossed = 0;
    // Checks after a call, while the shared item is still the member's alone to change.
    const AFTER_CALL: Record<string, (actor: Actor) => Promise<void>> = {
      'POST /api/v1/notifications/read': async (actor) => {
        const [row] = await stack.query<{ read: boolean }>(
          'SELECT read_at IS NOT NULL AS read FROM notifications WHERE id = $1',
          [notificationId],
        );
        if (row.read && ACTORS.indexOf(actor) < ACTORS.indexOf('member')) {
          breaks.push(`POST /api/v1/notifications/read as ${actor} marked the member's notification read`);
        }
      },
    };

    const call = async (
      method: string,
      path: string,
      actor: Actor,
      params: Record<string, string>,
      w: World,
      bodyWorld: World = w,
    ): Promise<Response> => {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]));
      let request = stack
        .http()
        [method as 'get'](url)
        .query(query(method, path, w));
      if (actor !== 'signedOut') {
        // Operations that end a membership, a session or an account are called by a caller of the same
        // standing made for the call, so they change nobody else's answers.
        const user = phase(method, path) >= 3 ? await standIn(actor) : users[actor];
        request = request.set('Authorization', `Bearer ${user.token}`);
      }
      const payload = await body(method, path, bodyWorld);
      calls += 1;
      if (payload.form) {
        const { body: data, type } = multipart(payload.form);
        return request.set('Content-Type', type).send(data);
      }
      return payload.json === undefined ? request : request.send(payload.json as object);
    };

    const text = (res: Response) => res.text ?? JSON.stringify(res.body ?? '');
    const checkLeaks = (label: string, actor: Actor, res: Response) => {
      const seen = text(res);
      if (OUTSIDE_A.includes(actor) && seen.includes(a.marker)) leaks.push(`${label}: ${actor} read A's data`);
      if (!['otherCoChair', 'admin'].includes(actor) && seen.includes(b.marker)) {
        leaks.push(`${label}: ${actor} read B's data`);
      }
      if (actor !== 'member' && seen.includes(cpdMarker)) leaks.push(`${label}: ${actor} read the member's CPD entry`);
    };

    for (const { path, method, op } of operations) {
      const label = `${method.toUpperCase()} ${path}`;
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = op['x-access'] ?? 'signed-in';
      let rule: Rule | undefined = ITEM_RULES[label];
      if (!rule) {
        if (declared === 'admin') rule = only(['admin'], 'declared admin-only');
        else if (declared.startsWith('community:')) {
          const role = declared.slice('community:'.length);
          rule = inA(role === 'co_chair' ? 3 : role === 'moderator' ? 2 : 1);
        } else if (names.length) {
          // A public or signed-in route about an item must say who may reach that item.
          unruled.push(`${label} (declared ${declared})`);
          continue;
        } else rule = declared === 'public' ? everyone() : signedIn();
      }

      const fresh = phase(method, path) === 2 ? await throwaway(method, path, a) : {};
      const params: Record<string, string> = {};
      for (const name of names) {
        const value = fresh[name] ?? fill(path, name, a);
        if (value === undefined) unfilled.push(`${label} {${name}}`);
        else params[name] = value;
      }
      if (names.some((name) => params[name] === undefined)) continue;

      // First (while the item is untouched): another community's items named in the body of an
      // operation on this community's item, by this community's co-chair and an admin: a thread may not be filed in, moved or merged into another
      // community's category, a ballot may not answer another poll's question, and so on.
      if (BODY_REFERENCES[label]) {
        for (const actor of ['coChair', 'admin'] as Actor[]) {
          crossed += 1;
          const res = await call(method, path, actor, params, a, b);
          checkLeaks(`${label} (B's items in the body)`, actor, res);
          crossedBodies.push(`${label} as ${actor}: ${res.status} ${String(res.body?.code ?? '')}`);
          if (res.status < 300 || res.status >= 500) {
            breaks.push(`${label} with B's items in the body (${BODY_REFERENCES[label]}) as ${actor}: ${res.status}`);
          }
        }
      }

      const variants = [{ label, params, rule }];
      if (names.includes('pageSlug')) {
        variants.push({
          label: `${label} (page made public after a members-only draft)`,
          params: { ...params, pageSlug: a.publishedPageSlug },
          rule: PUBLISHED_PAGE_RULES[label] ?? rule,
        });
      }
      for (const variant of variants) {
        routeCells += 1;
        for (const actor of ACTORS) {
          const res = await call(method, path, actor, variant.params, a);
          const cell = `${variant.label} as ${actor}: ${res.status}`;
          checkLeaks(variant.label, actor, res);
          await AFTER_CALL[label]?.(actor);
          if (res.status >= 500) breaks.push(`${cell} (server error)`);
          else if (variant.rule.allowed.includes(actor)) {
            if (res.status < 300) allowedPassed += 1;
            else if (![401, 403].includes(res.status)) allowedNot2xx.push(`${cell} ${String(res.body?.code ?? '')}`);
            if ([401, 403].includes(res.status)) unreached.push(`${cell} ${JSON.stringify(res.body).slice(0, 160)}`);
            else if (method === 'get' && (res.status < 200 || res.status >= 300)) {
              unreached.push(`${cell} (a read of a real item must succeed) ${JSON.stringify(res.body).slice(0, 160)}`);
            }
          } else {
            refusedCells += 1;
            if (![401, 403, 404, ...(variant.rule.refusals ?? [])].includes(res.status)) {
              breaks.push(`${cell} (expected a refusal${variant.rule.why ? `: ${variant.rule.why}` : ''})`);
            }
          }
        }
      }

      // Another community's item under this community's address, by that community's own co-chair
      // and by this one's: the item belongs to neither the address nor (for B's co-chair) the caller.
      if (names.length > 1 && names.includes('slug')) {
        const crossedParams = { ...params, slug: b.slug };
        for (const actor of ['otherCoChair', 'coChair', 'admin'] as Actor[]) {
          crossed += 1;
          const res = await call(method, path, actor, crossedParams, b);
          checkLeaks(`${label} (A's item at B's address)`, actor, res);
          const harmless = CROSS_NO_OPS[label];
          if (res.status >= 500 || (res.status >= 200 && res.status < 300 && !harmless)) {
            breaks.push(`${label} with A's item at B's address as ${actor}: ${res.status}`);
          }
        }
      }
    }

    const routes = operations.length;
    const cells = routeCells * ACTORS.length;
    const summary =
      `authorisation matrix: ${routes} operations (${routeCells} with variants) × ${ACTORS.length} callers = ` +
      `${cells} cells (${refusedCells} to refuse, ${cells - refusedCells} to let through, ${allowedPassed} of ` +
      `those answered 2xx), plus ${crossed} cross-community calls; ${calls} calls in ${Date.now() - started} ms. ` +
      `${breaks.length} breaks, ${leaks.length} leaks, ${unfilled.length} path parameters without a real item, ` +
      `${unruled.length} item routes without a rule, ${unreached.length} allowed callers not let through`;
    return { routes, summary, unfilled, unruled, breaks, leaks, unreached, allowedNot2xx, crossedBodies };
  }

  it('refuses every caller every operation it may not reach, with real items for every path parameter', async () => {
    const result = await runMatrix(doc.paths);
    console.log(
      `${result.summary}\nallowed changes answered with a non-refusal 4xx:\n  ${result.allowedNot2xx.join('\n  ')}` +
        `\nanother community's items in the body:\n  ${result.crossedBodies.join('\n  ')}`,
    );
    expect(result.routes).toBe(Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0));
    expect({ unfilled: result.unfilled, unruled: result.unruled }).toEqual({ unfilled: [], unruled: [] });
    expect({ breaks: result.breaks, leaks: result.leaks, unreached: result.unreached }).toEqual({
      breaks: [],
      leaks: [],
      unreached: [],
    });
  }, 600_000);

  it('fails a new route until its path parameters have a real item and its item has a rule', async () => {
    const result = await runMatrix({
      '/api/v1/communities/{slug}/widgets/{widgetId}': { get: { 'x-access': 'community:member' } },
      '/api/v1/widgets/{id}': { delete: { 'x-access': 'signed-in' } },
    });
    expect(result.unfilled).toEqual(['GET /api/v1/communities/{slug}/widgets/{widgetId} {widgetId}']);
    expect(result.unruled).toEqual(['DELETE /api/v1/widgets/{id} (declared signed-in)']);
  }, 600_000);
});
