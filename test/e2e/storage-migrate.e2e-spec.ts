import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '@cophub/core';
import { LocalDiskStorage, objectStoreFor } from '@cophub/resources';
import {
  createCommunity,
  createMember,
  LocalObjectStore,
  scaled,
  startS3rver,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { makeDocx, makePdf, upload } from './resources.helpers';

const ROOT = resolve(__dirname, '../..');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface Summary {
  referenced: number;
  copied: number;
  alreadyThere: number;
  checksumsMatched: number;
  problems: number;
}

jest.setTimeout(300_000);

/** `npm run storage:migrate`: files that rows point at move from local disk to a bucket, resumably and verifiably. */
describe('moving stored files from disk to an S3 bucket (storage:migrate)', () => {
  let stack: TestStack;
  let store: LocalObjectStore;
  let cop: TestCommunity;
  let coChair: TestUser;
  const files = new Map<string, Buffer>();

  /** Runs the command as an operator would (the TypeScript entry, compiled on the fly), with STORAGE=s3. */
  function migrate(...args: string[]): Promise<{ code: number | null; out: string; summary: Summary }> {
    return new Promise((done, fail) => {
      const child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/api/src/storage/storage-migrate.ts', ...args],
        {
          cwd: ROOT,
          env: { ...process.env, ...stack.env, ...store.env, SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), scaled(120_000));
      child.once('error', fail);
      child.once('exit', (code) => {
        clearTimeout(timer);
        const line = /^summary (\{.*\})$/m.exec(out);
        if (!line) return fail(new Error(`no summary (exit ${code}):\n${out}`));
        done({ code, out, summary: JSON.parse(line[1]) as Summary });
      });
    });
  }

  const keys = async () =>
    (
      await stack.query<{ key: string }>(
        `SELECT storage_key AS key FROM resource_versions WHERE storage_key IS NOT NULL
         UNION SELECT storage_key FROM mail_submission_attachments WHERE storage_key IS NOT NULL`,
      )
    )
      .map((r) => r.key)
      .sort();

  async function uploadFile(title: string, filename: string, data: Buffer): Promise<string> {
    const res = await upload(
      stack,
      `/api/v1/communities/${cop.slug}/resources`,
      coChair.token,
      { title },
      {
        filename,
        data,
      },
    );
    expect(res.status).toBe(201);
    const [row] = await stack.query<{ key: string }>(
      'SELECT storage_key AS key FROM resource_versions WHERE resource_id = $1',
      [res.body.id],
    );
    files.set(row.key, data);
    return row.key;
  }

  beforeAll(async () => {
    // The product as deployed so far: files on local disk.
    stack = await TestStack.start({ smtp: false, worker: false });
    cop = await createCommunity(stack);
    coChair = await createMember(stack, cop, 'co_chair');
    await uploadFile('Terms of reference', 'terms.pdf', await makePdf(['Terms of reference']));
    await uploadFile('Guide', 'guide.docx', makeDocx('A guide for new members'));
    // Larger than one multipart part.
    await uploadFile('Handbook', 'handbook.txt', Buffer.alloc(6 * 1024 * 1024 + 123, 'handbook '));
    store = await startS3rver();
  });

  afterAll(async () => {
    await stack?.close();
    await store?.close();
  });

  it('copies every referenced file, reads each copy back, and reports counts and checksums', async () => {
    expect(await store.keys()).toEqual([]);
    const run = await migrate();
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ referenced: 3, copied: 3, alreadyThere: 0, checksumsMatched: 3, problems: 0 });
    expect(run.out).toMatch(/checksums \(SHA-256\): 3 of 3 match their rows; mismatches: 0/);
    expect(await store.keys()).toEqual(await keys());

    // The bucket now serves the same bytes through the S3 adapter the API uses with STORAGE=s3.
    const adapter = (await objectStoreFor(loadConfig({ ...stack.env, ...store.env })))!;
    for (const [key, data] of files) {
      const chunks: Buffer[] = [];
      for await (const chunk of await adapter.read(key)) chunks.push(chunk as Buffer);
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));
      expect(await adapter.head(key)).toEqual({ size: data.length, sha256: sha256(data) });
    }
    adapter.onModuleDestroy();
  });

  it('a second run copies nothing: every object is already there with its size and checksum', async () => {
    const run = await migrate();
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ referenced: 3, copied: 0, alreadyThere: 3, checksumsMatched: 3, problems: 0 });
  });

  it('picks up where it left off: only files added since are copied', async () => {
    await uploadFile('Late addition', 'late.txt', Buffer.from(`added after the first run ${randomUUID()}`));
    const run = await migrate();
    expect(run.code).toBe(0);
    expect(run.summary).toMatchObject({ referenced: 4, copied: 1, alreadyThere: 3, problems: 0 });
    expect(await store.keys()).toEqual(await keys());
  });

  it('with --verify-all, reads back every object and copies again one whose bytes differ from its row', async () => {
    const [key, data] = [...files.entries()][0];
    // Damage the object in place: same size, same recorded checksum, other bytes.
    const adapter = (await objectStoreFor(loadConfig({ ...stack.env, ...store.env })))!;
    const damaged = resolve(stack.config.files.storageDir, 'damaged.bin');
    writeFileSync(damaged, Buffer.alloc(data.length, 0x41));
    await adapter.putFile(key, damaged, sha256(data));
    rmSync(damaged);
    adapter.onModuleDestroy();

    const trusting = await migrate();
    expect(trusting.summary).toMatchObject({ copied: 0, alreadyThere: 4 });
    const verified = await migrate('--verify-all');
    expect(verified.code).toBe(0);
    expect(verified.summary).toMatchObject({
      referenced: 4,
      copied: 1,
      alreadyThere: 3,
      checksumsMatched: 4,
      problems: 0,
    });
  });

  it('exits non-zero, naming the file, when a referenced file is missing or damaged on disk', async () => {
    const missing = await uploadFile('Missing', 'missing.txt', Buffer.from('soon missing from disk'));
    const damaged = await uploadFile('Damaged', 'damaged.txt', Buffer.from('soon damaged on disk'));
    const disk = new LocalDiskStorage(stack.config.files.storageDir);
    rmSync(disk.pathOf(missing));
    writeFileSync(disk.pathOf(damaged), 'something else entirely');

    const run = await migrate();
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ referenced: 6, copied: 0, alreadyThere: 4, checksumsMatched: 4, problems: 2 });
    expect(run.out).toContain(`MISMATCH ${missing}: missing on disk`);
    expect(run.out).toContain(`MISMATCH ${damaged}: the disk copy`);
    expect(run.out).toMatch(/mismatches: 2/);
    // Nothing damaged reached the bucket.
    expect(await store.keys()).not.toContain(damaged);
  });
});
