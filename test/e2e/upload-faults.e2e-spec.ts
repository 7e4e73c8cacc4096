import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { makePdf, storedFiles, upload } from './resources.helpers';

/** A 512 KiB file system of its own, so the disk can really fill up (needs root, as in CI). */
function mountTinyDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'cophub-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
}

const disk = mountTinyDisk();
const describeWithDisk = disk ? describe : describe.skip;
if (!disk) console.warn('upload-faults: cannot mount a tmpfs here (not root?); the full-disk test is skipped');

describeWithDisk('an upload onto a full disk', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false, env: { STORAGE_DIR: disk as string } });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
  });

  afterAll(async () => {
    await stack?.close();
    execFileSync('umount', [disk as string]);
    rmSync(disk as string, { recursive: true, force: true });
  });

  it('answers 507 with an error id, logs it at error level, and leaves no partial file or row', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error');
    const pdf = await makePdf(['Too big for this disk']);
    // A valid PDF header followed by 1 MiB of padding: twice what the disk holds.
    const big = Buffer.concat([pdf, Buffer.alloc(1024 * 1024, 0x20)]);
    const res = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Annual report' },
      { filename: 'report.pdf', contentType: 'application/pdf', data: big },
    );
    expect(res.status).toBe(507);
    expect(res.body).toMatchObject({ statusCode: 507, code: 'storage_full', errorId: expect.any(String) });
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ errorId: res.body.errorId }),
      expect.stringContaining(res.body.errorId),
    );
    errors.mockRestore();
    expect(await storedFiles(stack)).toEqual([]);
    const [{ n }] = await stack.query<{ n: string }>('SELECT count(*) AS n FROM resources WHERE community_id = $1', [
      community.id,
    ]);
    expect(Number(n)).toBe(0);

    // The disk is usable again at once: the partial file was removed.
    const small = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Short note' },
      { filename: 'note.pdf', contentType: 'application/pdf', data: pdf },
    );
    expect(small.status).toBe(201);
  });
});
