import type { Socket } from 'socket.io-client';
import { RealtimePublisher } from '@cophub/realtime';
import {
  connected,
  createCommunity,
  createMember,
  createUser,
  eventually,
  joinRoom,
  openSocket,
  TestStack,
} from '@cophub/testing';

describe('live updates over socket.io', () => {
  let stack: TestStack;
  let secondUrl: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    // A second API instance on the same database and Redis: fan-out must cross instances.
    secondUrl = (await stack.startApi()).url;
  });

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await stack?.close();
  });

  it('refuses a handshake without a valid token', async () => {
    const anonymous = openSocket(stack.url);
    sockets.push(anonymous);
    await expect(connected(anonymous)).rejects.toThrow('unauthorized');
    const forged = openSocket(stack.url, 'not-a-token');
    sockets.push(forged);
    await expect(connected(forged)).rejects.toThrow('unauthorized');
  });

  it('delivers an event published on one instance to a member connected to the other, and only to members', async () => {
    const community = await createCommunity(stack);
    const member = await createMember(stack, community);
    const outsider = await createUser(stack);

    const memberSocket = openSocket(secondUrl, member.token);
    const outsiderSocket = openSocket(secondUrl, outsider.token);
    sockets.push(memberSocket, outsiderSocket);
    await Promise.all([connected(memberSocket), connected(outsiderSocket)]);

    expect(await joinRoom(memberSocket, `community:${community.id}`)).toMatchObject({ ok: true });
    expect(await joinRoom(outsiderSocket, `community:${community.id}`)).toMatchObject({
      ok: false,
      error: 'forbidden',
    });
    expect(await joinRoom(outsiderSocket, `user:${member.id}`)).toMatchObject({ ok: false });
    expect(await joinRoom(outsiderSocket, 'community:not-a-room')).toMatchObject({ ok: false, error: 'unknown room' });

    let outsiderHeard = false;
    outsiderSocket.on('community.ping', () => {
      outsiderHeard = true;
    });
    const received = new Promise((resolve) => memberSocket.once('community.ping', resolve));
    // Published through the first instance's process (Redis emitter → adapter on the second).
    stack.api.get(RealtimePublisher).publish('community', community.id, 'community.ping', { n: 1 });
    await expect(received).resolves.toEqual({ n: 1 });

    const own = new Promise((resolve) => memberSocket.once('notification.created', resolve));
    stack.api.get(RealtimePublisher).publish('user', member.id, 'notification.created', { id: 'x' });
    await expect(own).resolves.toEqual({ id: 'x' });
    expect(outsiderHeard).toBe(false);
  });

  it('delivers events published together to several rooms, each once and in the order published', async () => {
    const community = await createCommunity(stack);
    const member = await createMember(stack, community);
    const socket = openSocket(secondUrl, member.token);
    sockets.push(socket);
    await connected(socket);
    expect(await joinRoom(socket, `community:${community.id}`)).toMatchObject({ ok: true });
    expect(await joinRoom(socket, `user:${member.id}`)).toMatchObject({ ok: true });
    const heard: string[] = [];
    socket.on('community.ping', ({ n }: { n: number }) => heard.push(`community ${n}`));
    socket.on('notification.created', ({ id }: { id: string }) => heard.push(`user ${id}`));
    const expected: string[] = [];
    // One turn of the event loop, as a reply publishes to its thread and its category.
    const publisher = stack.api.get(RealtimePublisher);
    for (let n = 0; n < 40; n += 1) {
      publisher.publish('community', community.id, 'community.ping', { n });
      publisher.publish('user', member.id, 'notification.created', { id: String(n) });
      expected.push(`community ${n}`, `user ${n}`);
    }
    await eventually(async () => heard.length >= expected.length, 'all events delivered');
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual(expected);
  });
});
