import { createHash, randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, StorageUnavailableError } from '@cophub/core';
import { FILE_STORAGE, FileStorage, objectStoreFor } from '@cophub/resources';
import {
  countRows,
  createCommunity,
  createMember,
  eventually,
  LocalObjectStore,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { compose, makeDomain, postToWebhook, signed, stubResolver } from './mail-in.helpers';
import { makePdf, storedFiles, upload } from './resources.helpers';

const DOMAIN = 'in.storage.test';
const WEBHOOK_SECRET = 'storage-webhook-secret-0123456789';
const trust = makeDomain('trust.example');
const resolver = stubResolver([trust]);

const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as never;

/** Seven megabytes of text: more than one multipart part (5 MiB) and one block (4 MiB). */
function largeText(word: string): Buffer {
  const line = Buffer.from(`${word} notes for the supervision group, line after line of practice.\n`);
  const big = Buffer.alloc(7 * 1024 * 1024);
  for (let at = 0; at < big.length; at += line.length) line.copy(big, at);
  return big;
}

/** A TCP server that accepts connections and never answers: a store that hangs. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * What every object store adapter must do, through the real API, worker and inbound-mail webhook against a
 * real local store (s3rver or Azurite) started by the test: upload, byte ranges, abort, delete, a hostile file
 * refused, a store that is down or hangs (503 with Retry-After, no row), and the store coming back.
 */
export function describeObjectStorage(name: string, startStore: () => Promise<LocalObjectStore>): void {
  describe(`files in ${name}`, () => {
    let store: LocalObjectStore;
    let stack: TestStack;
    let cop: TestCommunity;
    let coChair: TestUser;
    let member: TestUser;
    let firstId: string;
    let big: Buffer;

    beforeAll(async () => {
      store = await startStore();
      stack = await TestStack.start({
        smtp: false,
        mailInResolver: resolver,
        env: {
          ...store.env,
          STORAGE_TIMEOUT_MS: '3000',
          UPLOAD_MAX_BYTES: String(10 * 1024 * 1024),
          MAIL_IN_DOMAIN: DOMAIN,
          MAIL_IN_WEBHOOK_SECRET: WEBHOOK_SECRET,
        },
      });
      cop = await createCommunity(stack);
      coChair = await createMember(stack, cop, 'co_chair');
      member = await createMember(stack, cop, 'member', { email: `member.${randomUUID().slice(0, 6)}@trust.example` });
    });

    afterAll(async () => {
      await stack?.close();
      await store?.close();
    });

    const rowCounts = () => countRows(stack, ['resources', 'resource_versions']);
    const keyOf = async (resourceId: string, versionNo = 1) =>
      (
        await stack.query<{ storage_key: string }>(
          'SELECT storage_key FROM resource_versions WHERE resource_id = $1 AND version_no = $2',
          [resourceId, versionNo],
        )
      )[0].storage_key;
    const download = (resourceId: string, headers: Record<string, string> = {}) =>
      stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set({ ...bearer(member), ...headers })
        .buffer(true)
        .parse(binary);
    const uploadText = (title: string, data: Buffer, fields: Record<string, string> = {}) =>
      upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title, ...fields },
        {
          filename: `${title.toLowerCase().replace(/\W+/g, '-')}.txt`,
          data,
        },
      );

    it('stores an upload in the store (multipart), serves it whole and by byte range, and leaves no staged file', async () => {
      big = largeText('quokka');
      const res = await uploadText('Group notes', big);
      expect(res.status).toBe(201);
      firstId = res.body.id;
      const key = await keyOf(firstId);
      expect(await store.keys()).toEqual([key]);
      expect(await storedFiles(stack)).toEqual([]);

      const whole = await download(firstId);
      expect(whole.status).toBe(200);
      expect(sha256(whole.body as Buffer)).toBe(sha256(big));

      // A range across the first part's end, then the tail.
      const from = 5 * 1024 * 1024 - 10;
      const part = await download(firstId, { Range: `bytes=${from}-${from + 99}` });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes ${from}-${from + 99}/${big.length}`);
      expect((part.body as Buffer).equals(big.subarray(from, from + 100))).toBe(true);
      const tail = await download(firstId, { Range: 'bytes=-7' });
      expect((tail.body as Buffer).equals(big.subarray(big.length - 7))).toBe(true);
    });

    it('the worker reads stored files from the store: text inside an uploaded PDF becomes searchable', async () => {
      const pdf = await makePdf(['Minutes of the spring meeting', 'We agreed on a wombat reading list.']);
      const res = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: 'Minutes' },
        {
          filename: 'minutes.pdf',
          contentType: 'application/pdf',
          data: pdf,
        },
      );
      expect(res.status).toBe(201);
      await eventually(async () => {
        const found = await stack
          .http()
          .get(`/api/v1/communities/${cop.slug}/search`)
          .query({ q: 'wombat' })
          .set(bearer(member));
        return found.body.items?.length === 1;
      }, 'the PDF text to be searchable');
    });

    it('refuses a hostile file (an executable renamed .pdf): no object, no row, no staged file', async () => {
      const keys = await store.keys();
      const rows = await rowCounts();
      const res = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: 'Invoice' },
        {
          filename: 'invoice.pdf',
          contentType: 'application/pdf',
          data: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(6 * 1024 * 1024)]),
        },
      );
      expect(res.status).toBe(415);
      expect(await store.keys()).toEqual(keys);
      expect(await rowCounts()).toEqual(rows);
      expect(await storedFiles(stack)).toEqual([]);
    });

    it('aborts a good file whose fields are refused, and removes the object when its rows fail', async () => {
      const keys = await store.keys();
      const rows = await rowCounts();
      // Refused before commit: the staged file is aborted.
      const badFields = await uploadText('Fine', Buffer.from('fine'), { isAdmin: 'true' });
      expect(badFields.status).toBe(400);
      // Refused inside the rows' transaction, after the object was stored: the object is removed.
      const otherEvent = await uploadText('Agenda', largeText('agenda'), { eventId: randomUUID() });
      expect(otherEvent.status).toBe(400);
      expect(otherEvent.body.code).toBe('event_not_found');
      expect(await store.keys()).toEqual(keys);
      expect(await rowCounts()).toEqual(rows);
      expect(await storedFiles(stack)).toEqual([]);
    });

    it('deletes the stored file of an emailed attachment when a co-chair declines it', async () => {
      const share = `share+${cop.slug}@${DOMAIN}`;
      const raw = await signed(
        await compose({
          from: member.email,
          to: share,
          subject: 'Our leaflet',
          text: 'For the library.',
          messageId: `<${randomUUID()}@trust.example>`,
          attachments: [{ filename: 'leaflet.pdf', content: await makePdf(['Leaflet']) }],
        }),
        trust,
      );
      const keys = await store.keys();
      const received = await postToWebhook(stack, raw, { from: member.email, to: share }, WEBHOOK_SECRET);
      expect(received.status).toBe(200);
      expect(received.body).toMatchObject({ outcome: 'submitted' });
      const [attachment] = await stack.query<{ id: string; storage_key: string; submission_id: string }>(
        `SELECT a.id, a.storage_key, a.submission_id FROM mail_submission_attachments a
           JOIN mail_submissions s ON s.id = a.submission_id WHERE s.community_id = $1`,
        [cop.id],
      );
      expect(await store.keys()).toEqual([...keys, attachment.storage_key].sort());

      await stack
        .http()
        .post(`/api/v1/communities/${cop.slug}/mail-submissions/${attachment.submission_id}/decline`)
        .set(bearer(coChair))
        .send({ note: 'We have one already' })
        .expect(200);
      expect(await store.keys()).toEqual(keys);
      const [after] = await stack.query<{ storage_key: string | null }>(
        'SELECT storage_key FROM mail_submission_attachments WHERE id = $1',
        [attachment.id],
      );
      expect(after.storage_key).toBeNull();
    });

    it('answers 404, not 500, for a row whose object has gone from the store', async () => {
      const res = await uploadText('Soon gone', Buffer.from('a short note'));
      expect(res.status).toBe(201);
      await stack.api.get<FileStorage>(FILE_STORAGE).remove(await keyOf(res.body.id));
      const gone = await download(res.body.id);
      expect(gone.status).toBe(404);
      expect(gone.headers['content-type']).toMatch(/json/);
    });

    it('while the store is down: uploads and downloads answer 503 with Retry-After, no row, nothing left', async () => {
      const before = await store.keys();
      await store.stop();
      const rows = await rowCounts();
      const refused = await uploadText('During the outage', largeText('outage'));
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.code).toBe('storage_unavailable');
      expect(await rowCounts()).toEqual(rows);
      expect(await storedFiles(stack)).toEqual([]);

      const read = await download(firstId);
      expect(read.status).toBe(503);
      expect(Number(read.headers['retry-after'])).toBeGreaterThan(0);

      // Back: the same store, the same data.
      await store.start();
      const again = await uploadText('After the outage', Buffer.from('it works again'));
      expect(again.status).toBe(201);
      const whole = await download(firstId);
      expect(whole.status).toBe(200);
      expect(sha256(whole.body as Buffer)).toBe(sha256(big));
      // Nothing of the refused upload reached the store: only the new upload was added.
      expect(await store.keys()).toEqual([...before, await keyOf(again.body.id)].sort());
    });

    it('a store that accepts connections but never answers counts as down after STORAGE_TIMEOUT_MS', async () => {
      const hanging = await silentServer();
      const staging = mkdtempSync(join(tmpdir(), 'cophub-hanging-'));
      const env: Record<string, string> = {
        ...stack.env,
        ...store.env,
        STORAGE_DIR: staging,
        STORAGE_TIMEOUT_MS: '300',
      };
      if (store.kind === 's3') env.S3_ENDPOINT = `http://127.0.0.1:${hanging.port}`;
      else {
        env.AZURE_STORAGE_CONNECTION_STRING = env.AZURE_STORAGE_CONNECTION_STRING.replace(
          /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
          `BlobEndpoint=http://127.0.0.1:${hanging.port}`,
        );
      }
      const adapter = (await objectStoreFor(loadConfig(env)))!;
      try {
        const started = Date.now();
        await expect(adapter.size(randomUUID())).rejects.toBeInstanceOf(StorageUnavailableError);
        await expect(adapter.read(randomUUID())).rejects.toBeInstanceOf(StorageUnavailableError);
        // Two tries of 300 ms each, with a short pause between: far below a request's deadline.
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        adapter.onModuleDestroy();
        await hanging.close();
        rmSync(staging, { recursive: true, force: true });
      }
    });
  });
}
