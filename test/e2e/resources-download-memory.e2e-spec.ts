import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createCommunity, createMember, TestStack } from '@cophub/testing';
import { FILE_STORAGE, LocalDiskStorage } from '@cophub/resources';

const SIZE = 200 * 1024 * 1024;

/** Writes `size` bytes straight into storage (uploading 200 MB through the API would only slow the test). */
async function writeLargeObject(storage: LocalDiskStorage, key: string, size: number): Promise<void> {
  const path = storage.pathOf(key);
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const chunk = Buffer.alloc(1024 * 1024, 0x41);
  chunk.write('%PDF-1.4\n');
  for (let written = 0; written < size; written += chunk.length) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

describe('large downloads', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false, worker: false, env: { UPLOAD_MAX_BYTES: String(300 * 1024 * 1024) } });
  });

  afterAll(async () => {
    await stack.close();
  });

  it('streams a 200 MB file while the API process memory stays flat', async () => {
    const cop = await createCommunity(stack);
    const member = await createMember(stack, cop, 'member');
    const storage = stack.api.get<LocalDiskStorage>(FILE_STORAGE);
    const key = randomUUID();
    await writeLargeObject(storage, key, SIZE);
    const [resource] = await stack.query<{ id: string }>(
      `INSERT INTO resources (community_id, title, created_by, current_version_no) VALUES ($1, 'Big', $2, 1) RETURNING id`,
      [cop.id, member.id],
    );
    await stack.query(
      `INSERT INTO resource_versions (resource_id, community_id, version_no, kind, storage_key, file_name, media_type,
                                      size_bytes, sha256, extraction_status, uploaded_by)
       VALUES ($1, $2, 1, 'file', $3, 'big.pdf', 'application/pdf', $4, $5, 'none', $6)`,
      [resource.id, cop.id, key, SIZE, 'a'.repeat(64), member.id],
    );

    // What JavaScript holds: the heap plus every Buffer (a buffered file would be Buffers). On Node 24 the chunks
    // already read (64 KB each) wait longer for collection than on Node 20: about 90 MB of them at the peak.
    const held = () => {
      const usage = process.memoryUsage();
      return usage.heapUsed + usage.arrayBuffers;
    };
    global.gc?.();
    const baseline = held();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, held());
    }, 20);
    // API and client share this process, so the figure bounds both: neither may hold the file.
    const received = await new Promise<number>((resolve, reject) => {
      get(
        `${stack.url}/api/v1/resources/${resource.id}/versions/1/download`,
        { headers: { Authorization: `Bearer ${member.token}` } },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => resolve(bytes));
          res.on('error', reject);
        },
      ).on('error', reject);
    });
    clearInterval(sampler);
    expect(received).toBe(SIZE);
    const growthMb = (peak - baseline) / (1024 * 1024);
    // Buffering the file would add at least 200 MB; streaming stays well under that, chunks awaiting collection included.
    expect(growthMb).toBeLessThan(130);
  }, 60_000);
});
