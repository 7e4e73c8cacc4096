import type { Socket } from 'socket.io-client';
import request from 'supertest';
import {
  connectSocket,
  createCommunity,
  createMember,
  joinRoom,
  nextEvent,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';

const auth = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

describe('forum live updates across two API instances', () => {
  let stack: TestStack;
  let secondUrl: string;
  let community: TestCommunity;
  let author: TestUser;
  let reader: TestUser;
  let outsider: TestUser;
  let moderator: TestUser;
  let categoryId: string;
  let threadId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    secondUrl = (await stack.startApi()).url;
    community = await createCommunity(stack);
    const other = await createCommunity(stack);
    const chair = await createMember(stack, community, 'co_chair');
    moderator = await createMember(stack, community, 'moderator');
    author = await createMember(stack, community);
    reader = await createMember(stack, community);
    outsider = await createMember(stack, other);
    categoryId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/categories`)
        .set(auth(chair))
        .send({ name: 'Live' })
        .expect(201)
    ).body.id;
    threadId = (
      await stack
        .http()
        .post(`/api/v1/communities/${community.slug}/threads`)
        .set(auth(author))
        .send({ categoryId, title: 'Live thread', body: 'first' })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await stack?.close();
  });

  it('delivers a post created through instance B to a reader connected to instance A, after it is committed', async () => {
    const socket = await connectSocket(stack.url, reader.token);
    sockets.push(socket);
    expect(await joinRoom(socket, `thread:${threadId}`)).toMatchObject({ ok: true });
    expect(await joinRoom(socket, `category:${categoryId}`)).toMatchObject({ ok: true });

    const created = nextEvent<{ threadId: string; postId: string; postNumber: number; version: number }>(
      socket,
      'post.created',
    );
    const listUpdate = nextEvent<{ threadId: string; postCount: number }>(socket, 'thread.updated');
    const res = await request(secondUrl)
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'from B' })
      .expect(201);
    const event = await created;
    expect(event).toEqual({ threadId, postId: res.body.id, postNumber: 2, version: 1 });
    expect(await listUpdate).toMatchObject({ threadId, postCount: 2 });
    // The payload is small; the client fetches the post over REST, and it is there.
    const fetched = await stack.http().get(`/api/v1/posts/${event.postId}`).set(auth(reader)).expect(200);
    expect(fetched.body.html).toBe('<p>from B</p>');

    const edited = nextEvent<{ version: number }>(socket, 'post.updated');
    await request(secondUrl)
      .patch(`/api/v1/posts/${event.postId}`)
      .set(auth(author))
      .send({ body: 'edited' })
      .expect(200);
    expect(await edited).toMatchObject({ postId: event.postId, version: 2 });

    const reacted = nextEvent<{ reactions: Record<string, number> }>(socket, 'reaction.updated');
    await request(secondUrl).put(`/api/v1/posts/${event.postId}/reactions/thanks`).set(auth(reader)).expect(200);
    expect(await reacted).toMatchObject({ postId: event.postId, reactions: { thanks: 1 } });

    const hidden = nextEvent<{ hidden: boolean; version: number }>(socket, 'post.hidden');
    await request(secondUrl)
      .put(`/api/v1/posts/${event.postId}/hidden`)
      .set(auth(moderator))
      .send({ hidden: true })
      .expect(200);
    expect(await hidden).toMatchObject({ postId: event.postId, hidden: true, version: 3 });

    const newThread = nextEvent<{ threadId: string }>(socket, 'thread.created');
    const t = await request(secondUrl)
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(auth(author))
      .send({ categoryId, title: 'Another', body: 'x' })
      .expect(201);
    expect(await newThread).toEqual({ threadId: t.body.id, categoryId });
  });

  it('does not let a member of another community join the thread or category rooms', async () => {
    const socket = await connectSocket(secondUrl, outsider.token);
    sockets.push(socket);
    expect(await joinRoom(socket, `thread:${threadId}`)).toEqual({
      ok: false,
      room: `thread:${threadId}`,
      error: 'forbidden',
    });
    expect(await joinRoom(socket, `category:${categoryId}`)).toMatchObject({ ok: false, error: 'forbidden' });
    expect(await joinRoom(socket, 'thread:00000000-0000-4000-8000-000000000000')).toMatchObject({ ok: false });
    let heard = false;
    socket.on('post.created', () => {
      heard = true;
    });
    const member = await connectSocket(secondUrl, reader.token);
    sockets.push(member);
    await joinRoom(member, `thread:${threadId}`);
    const delivered = nextEvent(member, 'post.created');
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'members only' })
      .expect(201);
    await delivered;
    expect(heard).toBe(false);
  });

  it('lets a client that reconnects fetch exactly the posts it missed', async () => {
    let socket = await connectSocket(stack.url, reader.token);
    await joinRoom(socket, `thread:${threadId}`);
    const seen = nextEvent<{ postNumber: number }>(socket, 'post.created');
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'seen live' })
      .expect(201);
    const lastSeen = (await seen).postNumber;
    socket.disconnect();

    for (const body of ['missed one', 'missed two', 'missed three']) {
      await request(secondUrl).post(`/api/v1/threads/${threadId}/posts`).set(auth(author)).send({ body }).expect(201);
    }

    socket = await connectSocket(secondUrl, reader.token);
    sockets.push(socket);
    expect(await joinRoom(socket, `thread:${threadId}`)).toMatchObject({ ok: true });
    const missed = await request(secondUrl)
      .get(`/api/v1/threads/${threadId}/posts?after=${lastSeen}`)
      .set(auth(reader))
      .expect(200);
    expect(missed.body.items.map((p: { postNumber: number; html: string }) => [p.postNumber, p.html])).toEqual([
      [lastSeen + 1, '<p>missed one</p>'],
      [lastSeen + 2, '<p>missed two</p>'],
      [lastSeen + 3, '<p>missed three</p>'],
    ]);
    // And the live stream carries on from there.
    const live = nextEvent<{ postNumber: number }>(socket, 'post.created');
    await stack
      .http()
      .post(`/api/v1/threads/${threadId}/posts`)
      .set(auth(author))
      .send({ body: 'live again' })
      .expect(201);
    expect((await live).postNumber).toBe(lastSeen + 4);
  });
});
