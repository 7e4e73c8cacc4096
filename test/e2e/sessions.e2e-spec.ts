import request from 'supertest';
import type { Socket } from 'socket.io-client';
import {
  connectSocket,
  createCommunity,
  createMember,
  createUser,
  disconnected,
  joinRoom,
  linkToken,
  nextEvent,
  TEST_PASSWORD,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * Sessions end when they should: on the next request (on this instance and on another one), and on
 * open sockets. Two API instances share the database and Redis, as in production.
 */
describe('revocable sessions', () => {
  let stack: TestStack;
  let secondUrl: string;
  let community: TestCommunity;
  let coChair: TestUser;
  let categoryId: string;
  let threadId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await TestStack.start();
    secondUrl = (await stack.startApi()).url;
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    categoryId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(bearer(coChair.token))
        .send({ name: 'General' })
        .expect(201)
    ).body.id;
    threadId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(bearer(coChair.token))
        .send({ categoryId, title: 'Welcome', body: 'Say hello' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await stack?.close();
  });

  async function signIn(user: TestUser, password = TEST_PASSWORD): Promise<string> {
    const { body } = await stack.http().post('/api/v1/auth/login').send({ email: user.email, password }).expect(200);
    return body.accessToken as string;
  }

  async function socketFor(token: string, url = stack.url): Promise<Socket> {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  }

  /** GET /me through both instances, having each cache the answer first. */
  async function meStatus(token: string): Promise<[number, number]> {
    const a = await stack.http().get('/api/v1/me').set(bearer(token));
    const b = await request(secondUrl).get('/api/v1/me').set(bearer(token));
    return [a.status, b.status];
  }

  it('logout ends that sign-in at once on every instance, and disconnects its sockets', async () => {
    const member = await createMember(stack, community);
    const token = await signIn(member);
    const otherSignIn = await signIn(member);
    expect(await meStatus(token)).toEqual([200, 200]);
    const socket = await socketFor(token, secondUrl);
    const otherSocket = await socketFor(otherSignIn);
    const gone = disconnected(socket);

    await stack.http().post('/api/v1/auth/logout').set(bearer(token)).expect(204);
    expect(await meStatus(token)).toEqual([401, 401]);
    expect(await gone).toBe('io server disconnect');
    // Only that sign-in: the same person signed in elsewhere carries on.
    expect(await meStatus(otherSignIn)).toEqual([200, 200]);
    expect(otherSocket.connected).toBe(true);
    await expect(connectSocket(stack.url, token)).rejects.toThrow('unauthorized');
  });

  it('a password change ends every sign-in of the account, including its sockets', async () => {
    const member = await createMember(stack, community);
    const first = await signIn(member);
    const elsewhere = await signIn(member);
    expect(await meStatus(elsewhere)).toEqual([200, 200]);
    const socket = await socketFor(elsewhere, secondUrl);
    const gone = disconnected(socket);
    await stack
      .http()
      .post('/api/v1/me/password')
      .set(bearer(first))
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'Fresh-Meadow-Lantern-31' })
      .expect(204);
    expect(await meStatus(first)).toEqual([401, 401]);
    expect(await meStatus(elsewhere)).toEqual([401, 401]);
    await gone;
    expect(await meStatus(await signIn(member, 'Fresh-Meadow-Lantern-31'))).toEqual([200, 200]);
  });

  it('a password reset ends every sign-in of the account', async () => {
    const member = await createMember(stack, community);
    const token = await signIn(member);
    expect(await meStatus(token)).toEqual([200, 200]);
    await stack.http().post('/api/v1/auth/password-reset').send({ email: member.email }).expect(202);
    const link = linkToken((await stack.smtp!.waitForMessageTo(member.email, 'Reset')).text, '/reset-password');
    await stack
      .http()
      .post('/api/v1/auth/password-reset/confirm')
      .send({ token: link, password: 'Brand-New-Orchard-88' })
      .expect(204);
    expect(await meStatus(token)).toEqual([401, 401]);
  });

  it('closing the account ends its sessions: PATCH /me cannot put a name back', async () => {
    const member = await createMember(stack, community, 'member', { displayName: 'Jordan Real-Name' });
    const token = await signIn(member);
    expect(await meStatus(token)).toEqual([200, 200]);
    const socket = await socketFor(token);
    const gone = disconnected(socket);
    await stack.http().post('/api/v1/me/close').set(bearer(token)).send({ password: TEST_PASSWORD }).expect(204);
    await gone;
    for (const url of [stack.url, secondUrl]) {
      const patched = await request(url).patch('/api/v1/me').set(bearer(token)).send({ displayName: 'Jordan Again' });
      expect(patched.status).toBe(401);
    }
    const [row] = await stack.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [
      member.id,
    ]);
    expect(row.display_name).toBe('Former member');
  });

  it('suspension takes effect on the next request on either instance and silences rooms already joined', async () => {
    const member = await createMember(stack, community);
    const path = `/api/v1/communities/${community.slug}/threads`;
    expect((await stack.http().get(path).set(bearer(member.token))).status).toBe(200);
    expect((await request(secondUrl).get(path).set(bearer(member.token))).status).toBe(200);
    const here = await socketFor(member.token);
    const there = await socketFor(member.token, secondUrl);
    for (const socket of [here, there])
      expect(await joinRoom(socket, `thread:${threadId}`)).toMatchObject({ ok: true });
    const heard = Promise.all([here, there].map((s) => nextEvent(s, 'post.created')));
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(bearer(coChair.token))
      .send({ body: 'one' })
      .expect(201);
    await heard;

    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${member.id}/suspend`)
      .set(bearer(coChair.token))
      .expect(200);
    const refused = await request(secondUrl).get(path).set(bearer(member.token));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('membership_suspended');
    expect((await stack.http().get(path).set(bearer(member.token))).status).toBe(403);

    let leaked = 0;
    for (const socket of [here, there]) socket.on('post.created', () => (leaked += 1));
    const control = await socketFor(coChair.token, secondUrl);
    expect(await joinRoom(control, `thread:${threadId}`)).toMatchObject({ ok: true });
    const controlHeard = nextEvent(control, 'post.created');
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(bearer(coChair.token))
      .send({ body: 'two' })
      .expect(201);
    await controlHeard;
    await new Promise((r) => setTimeout(r, 300));
    expect(leaked).toBe(0);
    // Still signed in: their own notifications keep arriving.
    expect(here.connected && there.connected).toBe(true);
  });

  it('role changes take effect on the next request on either instance', async () => {
    const person = await createMember(stack, community, 'moderator');
    const audit = `/api/v1/communities/${community.slug}/audit`;
    const promote = (role: string) =>
      stack
        .http()
        .patch(`/api/v1/communities/${community.slug}/members/${person.id}/role`)
        .set(bearer(coChair.token))
        .send({ role })
        .expect(200);
    expect((await request(secondUrl).get(audit).set(bearer(person.token))).status).toBe(403);
    await promote('co_chair');
    expect((await request(secondUrl).get(audit).set(bearer(person.token))).status).toBe(200);
    expect((await stack.http().get(audit).set(bearer(person.token))).status).toBe(200);
    await promote('member');
    expect((await request(secondUrl).get(audit).set(bearer(person.token))).status).toBe(403);
    expect((await stack.http().get(audit).set(bearer(person.token))).status).toBe(403);
  });

  it('a membership approved on one instance is usable at once on the other', async () => {
    const applicant = await createUser(stack);
    const path = `/api/v1/communities/${community.slug}/threads`;
    await stack.http().post(`/api/v1/communities/${community.slug}/join`).set(bearer(applicant.token)).expect(201);
    expect((await request(secondUrl).get(path).set(bearer(applicant.token))).body.code).toBe('membership_pending');
    await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/members/${applicant.id}/approve`)
      .set(bearer(coChair.token))
      .expect(200);
    expect((await request(secondUrl).get(path).set(bearer(applicant.token))).status).toBe(200);
  });
});
