import { createHash } from 'node:crypto';
import {
  countRows,
  createCommunity,
  createMember,
  eventually,
  TestCommunity,
  TestStack,
  TestUser,
} from '@cophub/testing';
import { FilePart, makeDocx, makePdf, makeZip, storedFiles, upload } from './resources.helpers';

const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** supertest buffers binary bodies when asked; downloads are compared byte for byte. */
const binary = ((res: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as never;

describe('resource library', () => {
  let stack: TestStack;
  let cop: TestCommunity;
  let coChair: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    stack = await TestStack.start({ smtp: false, env: { UPLOAD_MAX_BYTES: String(2 * 1024 * 1024) } });
    cop = await createCommunity(stack);
    coChair = await createMember(stack, cop, 'co_chair');
    member = await createMember(stack, cop, 'member');
  });

  afterAll(async () => {
    await stack.close();
  });

  async function search(user: TestUser, q: string, slug = cop.slug, extra: Record<string, string> = {}) {
    return stack
      .http()
      .get(`/api/v1/communities/${slug}/search`)
      .query({ q, ...extra })
      .set(bearer(user));
  }

  describe('upload, extraction, search and versions', () => {
    let pdf: Buffer;
    let resourceId: string;

    it('stores an uploaded multi-page PDF, and the worker makes a page-2 word searchable with a snippet', async () => {
      pdf = await makePdf([
        'Terms of reference for the North West community of practice.',
        'Supervision arrangements for trainees: fortnightly casework with a qualified marmalade practitioner.',
        'Review date: next spring.',
      ]);
      const res = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: 'Terms of reference', description: 'Agreed at the **March** meeting', tags: 'governance, Terms' },
        { filename: 'terms-of-reference.pdf', contentType: 'application/pdf', data: pdf },
      );
      expect(res.status).toBe(201);
      resourceId = res.body.id;
      expect(res.body).toMatchObject({
        title: 'Terms of reference',
        descriptionHtml: expect.stringContaining('<strong>March</strong>'),
        tags: ['governance', 'terms'],
        currentVersionNo: 1,
        currentVersion: {
          versionNo: 1,
          kind: 'file',
          fileName: 'terms-of-reference.pdf',
          mediaType: 'application/pdf',
          sizeBytes: pdf.length,
          sha256: sha256(pdf),
        },
      });

      const version = await eventually(async () => {
        const r = await stack.http().get(`/api/v1/resources/${resourceId}`).set(bearer(member));
        return r.body.currentVersion?.extractionStatus === 'done' ? r.body.currentVersion : null;
      }, 'text extraction');
      expect(version.extractionStatus).toBe('done');

      const found = await search(member, 'marmalade');
      expect(found.status).toBe(200);
      expect(found.body.items).toHaveLength(1);
      expect(found.body.items[0]).toMatchObject({ kind: 'resource', id: resourceId, title: 'Terms of reference' });
      expect(found.body.items[0].snippet).toContain('<mark>marmalade</mark>');
      expect(found.body.items[0].snippet).not.toMatch(/<(?!\/?mark>)/);
    });

    it('matches a phrase only where its words stand together, deep in a long document too, with a bounded snippet', async () => {
      const filler = Array.from({ length: 400 }, (_, i) => `filler${i % 50}`).join(' ');
      const insert = (title: string, body: string) =>
        stack.query<{ id: string }>(
          `INSERT INTO resources (community_id, title, description, body_text, tags, created_by, current_version_no)
           VALUES ($1, $2, 'Practice notes', $3, '{}', $4, 1) RETURNING id`,
          [cop.id, title, body, coChair.id],
        );
      const [together] = await insert('Together', `${filler} we run guided self-help groups weekly`);
      await insert('Apart', `guided tours; ${filler} self-help books; help wanted`);
      const res = await search(member, '"guided self-help"');
      expect(res.status).toBe(200);
      expect(res.body.items.map((h: { id: string }) => h.id)).toEqual([together.id]);
      // The snippet comes from the start of the text, so it need not show a match this deep.
      expect(res.body.items[0].snippet.length).toBeLessThan(1_000);
      const loose = await search(member, 'guided help');
      expect(loose.body.items.map((h: { title: string }) => h.title).sort()).toEqual(['Apart', 'Together']);
    });

    it('filters search by kind, tag and date, and finds by title and tags too', async () => {
      expect((await search(member, 'reference')).body.items.map((h: { id: string }) => h.id)).toEqual([resourceId]);
      expect((await search(member, 'governance')).body.items).toHaveLength(1);
      expect((await search(member, 'marmalade', cop.slug, { tag: 'governance' })).body.items).toHaveLength(1);
      expect((await search(member, 'marmalade', cop.slug, { tag: 'other' })).body.items).toHaveLength(0);
      expect((await search(member, 'marmalade', cop.slug, { kinds: 'post,poll' })).body.items).toHaveLength(0);
      expect((await search(member, 'marmalade', cop.slug, { from: '2999-01-01' })).body.items).toHaveLength(0);
      const bad = await search(member, 'marmalade', cop.slug, { kinds: 'secrets' });
      expect(bad.status).toBe(400);
    });

    it('serves the file as an attachment with nosniff, an ETag, and byte ranges', async () => {
      const res = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set(bearer(member))
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="terms-of-reference.pdf"; filename*=UTF-8''terms-of-reference.pdf`,
      );
      expect(res.headers.etag).toBe(`"${sha256(pdf)}"`);
      expect(sha256(res.body as Buffer)).toBe(sha256(pdf));

      const part = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set({ ...bearer(member), Range: 'bytes=0-7' })
        .buffer(true)
        .parse(binary);
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 0-7/${pdf.length}`);
      expect((part.body as Buffer).equals(pdf.subarray(0, 8))).toBe(true);

      const tail = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set({ ...bearer(member), Range: 'bytes=-5' })
        .buffer(true)
        .parse(binary);
      expect((tail.body as Buffer).equals(pdf.subarray(pdf.length - 5))).toBe(true);

      const cached = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set({ ...bearer(member), 'If-None-Match': `"${sha256(pdf)}"` });
      expect(cached.status).toBe(304);

      const outside = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set({ ...bearer(member), Range: `bytes=${pdf.length + 10}-` });
      expect(outside.status).toBe(416);
      expect(outside.headers['content-range']).toBe(`bytes */${pdf.length}`);
    });

    it('a new version becomes current while the old one stays downloadable', async () => {
      const docx = makeDocx('Revised supervision arrangements: monthly kumquat review.');
      const res = await upload(
        stack,
        `/api/v1/resources/${resourceId}/versions`,
        coChair.token,
        {},
        {
          filename: 'terms-v2.docx',
          data: docx,
        },
      );
      expect(res.status).toBe(201);
      expect(res.body.currentVersionNo).toBe(2);
      expect(res.body.versions.map((v: { versionNo: number }) => v.versionNo)).toEqual([2, 1]);
      expect(res.body.currentVersion).toMatchObject({
        fileName: 'terms-v2.docx',
        mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        sha256: sha256(docx),
      });

      const old = await stack
        .http()
        .get(`/api/v1/resources/${resourceId}/versions/1/download`)
        .set(bearer(member))
        .buffer(true)
        .parse(binary);
      expect(old.status).toBe(200);
      expect(sha256(old.body as Buffer)).toBe(sha256(pdf));

      await eventually(async () => (await search(member, 'kumquat')).body.items.length === 1, 'v2 text searchable');
      // Search follows the current version: the replaced PDF's words no longer match.
      expect((await search(member, 'marmalade')).body.items).toHaveLength(0);
    });

    it('edits details and archives: archived resources leave lists and search', async () => {
      const patched = await stack
        .http()
        .patch(`/api/v1/resources/${resourceId}`)
        .set(bearer(coChair))
        .send({ title: 'Terms of reference 2026', tags: ['governance'] });
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe('Terms of reference 2026');

      const unknown = await stack
        .http()
        .patch(`/api/v1/resources/${resourceId}`)
        .set(bearer(coChair))
        .send({ communityId: cop.id });
      expect(unknown.status).toBe(400);

      expect((await stack.http().post(`/api/v1/resources/${resourceId}/archive`).set(bearer(coChair))).status).toBe(
        200,
      );
      expect((await search(member, 'kumquat')).body.items).toHaveLength(0);
      const list = await stack.http().get(`/api/v1/communities/${cop.slug}/resources`).set(bearer(member));
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(resourceId);
      expect((await stack.http().post(`/api/v1/resources/${resourceId}/restore`).set(bearer(coChair))).status).toBe(
        200,
      );
      expect((await search(member, 'kumquat')).body.items).toHaveLength(1);
      const [audit] = await stack.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit_log WHERE target_id = $1 AND action LIKE 'resource.%'`,
        [resourceId],
      );
      expect(Number(audit.n)).toBe(2);
    });

    it('links a resource to an event of its own community only, and lists it on that event', async () => {
      const newEvent = async (slug: string, chair: TestUser) => {
        const start = new Date(Date.now() + 7 * 86_400_000);
        const res = await stack
          .http()
          .post(`/api/v1/communities/${slug}/events`)
          .set(bearer(chair))
          .send({
            title: 'CoP meeting',
            startsAt: start.toISOString(),
            endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
            locationKind: 'online',
          })
          .expect(201);
        return res.body.id as string;
      };
      const other = await createCommunity(stack);
      const otherChair = await createMember(stack, other, 'co_chair');
      const foreignEvent = await newEvent(other.slug, otherChair);
      const ownEvent = await newEvent(cop.slug, coChair);

      const refused = await stack
        .http()
        .patch(`/api/v1/resources/${resourceId}`)
        .set(bearer(coChair))
        .send({ eventId: foreignEvent });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('not an event of this community');
      const [row] = await stack.query<{ event_id: string | null }>('SELECT event_id FROM resources WHERE id = $1', [
        resourceId,
      ]);
      expect(row.event_id).toBeNull();

      await stack
        .http()
        .patch(`/api/v1/resources/${resourceId}`)
        .set(bearer(coChair))
        .send({ eventId: ownEvent })
        .expect(200);
      const onEvent = await stack
        .http()
        .get(`/api/v1/communities/${cop.slug}/resources`)
        .query({ eventId: ownEvent })
        .set(bearer(member));
      expect(onEvent.body.items.map((r: { id: string }) => r.id)).toEqual([resourceId]);
    });
  });

  describe('hostile files are refused and leave nothing behind', () => {
    const zipBomb = () =>
      makeZip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        // 100 MB of zeros deflates to about 100 KB.
        { name: 'word/document.xml', data: Buffer.alloc(100 * 1024 * 1024) },
      ]);

    const cases: Array<[string, () => Promise<FilePart>, number, RegExp]> = [
      [
        'a shell script renamed .pdf',
        async () => ({
          filename: 'minutes.pdf',
          contentType: 'application/pdf',
          data: Buffer.from('#!/bin/sh\nrm -rf ~\n'),
        }),
        415,
        /not a PDF/,
      ],
      [
        'an HTML page declared as application/pdf',
        async () => ({
          filename: 'notes',
          contentType: 'application/pdf',
          data: Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>'),
        }),
        415,
        /HTML/,
      ],
      ['a zip bomb disguised as DOCX', async () => ({ filename: 'guide.docx', data: zipBomb() }), 415, /zip bomb/],
      [
        'a Windows executable called .docx',
        async () => ({
          filename: 'guide.docx',
          data: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(64)]),
        }),
        415,
        /not accepted/,
      ],
      [
        'a file over the size limit',
        async () => ({ filename: 'big.txt', data: Buffer.alloc(2 * 1024 * 1024 + 1, 'a') }),
        413,
        /at most 2 MB/,
      ],
      ['a name with ../', async () => ({ filename: '../../etc/passwd.txt', data: Buffer.from('hello') }), 400, /path/],
      [
        'a name with a NUL byte',
        async () => ({ filename: 'report\u0000.pdf.txt', encodedName: true, data: Buffer.from('hello') }),
        400,
        /control/,
      ],
      [
        'a raw NUL byte in the part header',
        async () => ({ filename: 'report\u0000.pdf.txt', data: Buffer.from('hello') }),
        400,
        /malformed/,
      ],
      [
        'a name with control characters',
        async () => ({ filename: 'report\u001b[31m.txt', encodedName: true, data: Buffer.from('hello') }),
        400,
        /control/,
      ],
      [
        'an encoded ../ path',
        async () => ({ filename: '../../secret.txt', encodedName: true, data: Buffer.from('hello') }),
        400,
        /path/,
      ],
      [
        'a name hiding its extension with a right-to-left override',
        async () => ({ filename: 'invoice\u202Etxt.exe', encodedName: true, data: Buffer.from('hello') }),
        400,
        /control/,
      ],
    ];

    it.each(cases)('refuses %s', async (_what, make, status, message) => {
      const before = await countRows(stack, ['resources', 'resource_versions']);
      const filesBefore = await storedFiles(stack);
      const res = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: 'Hostile' },
        await make(),
      );
      expect(res.status).toBe(status);
      expect(res.body.message).toMatch(message);
      expect(await countRows(stack, ['resources', 'resource_versions'])).toEqual(before);
      expect(await storedFiles(stack)).toEqual(filesBefore);
    });

    it('refuses a new version that is hostile, leaving the resource as it was', async () => {
      const created = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: 'Calendar' },
        {
          filename: 'calendar.txt',
          data: Buffer.from('Meetings on the first Tuesday'),
        },
      );
      expect(created.status).toBe(201);
      const filesBefore = await storedFiles(stack);
      const res = await upload(
        stack,
        `/api/v1/resources/${created.body.id}/versions`,
        coChair.token,
        {},
        {
          filename: 'calendar.pdf',
          data: Buffer.from('<html><body>not a pdf</body></html>'),
        },
      );
      expect(res.status).toBe(415);
      const after = await stack.http().get(`/api/v1/resources/${created.body.id}`).set(bearer(member));
      expect(after.body.currentVersionNo).toBe(1);
      expect(after.body.versions).toHaveLength(1);
      expect(await storedFiles(stack)).toEqual(filesBefore);
    });

    it('refuses bad fields after a good file, and deletes the staged file', async () => {
      const filesBefore = await storedFiles(stack);
      const before = await countRows(stack, ['resources', 'resource_versions']);
      const res = await upload(
        stack,
        `/api/v1/communities/${cop.slug}/resources`,
        coChair.token,
        { title: '', isAdmin: 'true' },
        {
          filename: 'ok.txt',
          data: Buffer.from('fine'),
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/isAdmin should not exist/);
      expect(await countRows(stack, ['resources', 'resource_versions'])).toEqual(before);
      expect(await storedFiles(stack)).toEqual(filesBefore);
    });
  });
});
