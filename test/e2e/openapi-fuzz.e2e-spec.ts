import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';
import { makePdf, multipart, upload } from './resources.helpers';

/**
 * Walks every operation in /api/docs-json and sends values generated from its own parameter and body
 * schemas (JSON and multipart): mostly plausible ones (so requests get past validation into the
 * services) and some hostile ones (NUL and other control characters, huge and negative numbers, deep
 * nesting, wrong types). Each operation is tried as a member and as a co-chair. No answer may be a
 * 5xx, and input the product refuses on every route (control characters in any string, JSON nested
 * deeper than 32 levels, integers beyond PostgreSQL's `integer` where an integer is expected) must be
 * answered 400, whatever the route and the caller's role.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
};
type Operation = {
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
};
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const RUNS_PER_ROLE = Number(process.env.FUZZ_RUNS ?? 3);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** Routes that end the caller's own account or session: fuzzing them would sign the fuzzer out. */
const SKIPPED = new Set(['post /api/v1/me/close', 'post /api/v1/me/password', 'post /api/v1/auth/logout']);

function deepNesting(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

const HOSTILE: unknown[] = [
  'NUL\u0000inside',
  '\u0000',
  'bell\u0007 and escape\u001b[31m',
  'right-to-left \u202e override',
  'zero\u200bwidth',
  "'; DROP TABLE users; --",
  '../../etc/passwd',
  '%00',
  'x'.repeat(20_000),
  99_999_999_999,
  -99_999_999_999,
  2 ** 63,
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER,
  1e308,
  true,
  null,
  [],
  {},
  ['\u0000'],
  { nested: { $ne: null } },
  deepNesting(64),
  deepNesting(2_000),
];
const hostile = fc.constantFrom(...HOSTILE);

describe('schema-driven fuzzing of every route in the OpenAPI document', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let member: TestUser;
  let coChair: TestUser;
  let doc: OpenApi;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    stack = await TestStack.start({
      worker: false,
      smtp: false,
      env: { RATE_LIMIT_VOTES_PER_USER_PER_MINUTE: '100000' },
    });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    member = await createMember(stack, community, 'member');
    const as = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
    const category = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/categories`)
      .set(as(coChair))
      .send({ name: 'General', position: 1 });
    const thread = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/threads`)
      .set(as(member))
      .send({ categoryId: category.body.id, title: 'Fuzzed thread', body: 'Hello' });
    const post = await stack
      .http()
      .post(`/api/v1/threads/${thread.body.id}/posts`)
      .set(as(member))
      .send({ body: 'Reply' });
    const startsAt = Date.now() + 86_400_000;
    const event = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(as(coChair))
      .send({
        title: 'Fuzzed meeting',
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 3_600_000).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/x',
      });
    const poll = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/polls`)
      .set(as(coChair))
      .send({ title: 'Fuzzed poll', questions: [{ kind: 'single_choice', prompt: 'Q?', options: ['A', 'B'] }] });
    const resource = await upload(
      stack,
      `/api/v1/communities/${community.slug}/resources`,
      coChair.token,
      { title: 'Fuzzed file' },
      {
        filename: 'a.pdf',
        contentType: 'application/pdf',
        data: await makePdf(['fuzz']),
      },
    );
    Object.assign(ids, {
      categories: [category.body.id],
      threads: [thread.body.id],
      posts: [post.body.id],
      events: [event.body.id],
      polls: [poll.body.id],
      resources: [resource.body.id],
      users: [member.id, coChair.id],
    });
    for (const [kind, list] of Object.entries(ids))
      if (list.some((id) => !id)) throw new Error(`set-up failed: ${kind}`);
    doc = (await stack.http().get('/api/docs-json').expect(200)).body as OpenApi;
  });

  afterAll(async () => {
    await stack?.close();
  });

  function resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    while (current.$ref) current = doc.components.schemas[current.$ref.split('/').pop() as string] ?? {};
    if (current.allOf?.length) return current.allOf.reduce<Schema>((all, part) => ({ ...all, ...resolve(part) }), {});
    return current;
  }

  /** A plausible value for a schema (what a client would send), or now and then a hostile one. */
  function valueOf(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(schema);
    let plausible: fc.Arbitrary<unknown>;
    if (s.enum?.length) plausible = fc.constantFrom(...s.enum);
    else if (s.oneOf?.length) plausible = fc.oneof(...s.oneOf.map((o) => valueOf(o, depth + 1)));
    else if (s.type === 'integer' || s.type === 'number') {
      // Whole numbers inside the schema's bounds (which may be fractional, as for CPD hours).
      const min = Math.ceil(Math.max(s.minimum ?? -5, -1_000_000));
      const max = Math.floor(Math.min(s.maximum ?? 1_000, 1_000_000));
      plausible = min <= max ? fc.integer({ min, max }) : fc.constant(s.minimum ?? 0);
    } else if (s.type === 'boolean') plausible = fc.boolean();
    else if (s.type === 'array')
      plausible = depth > 4 ? fc.constant([]) : fc.array(valueOf(s.items, depth + 1), { maxLength: 4 });
    else if (s.type === 'object' || s.properties) {
      const properties = s.properties ?? {};
      plausible =
        depth > 4
          ? fc.constant({})
          : fc.record(
              Object.fromEntries(Object.entries(properties).map(([name, p]) => [name, valueOf(p, depth + 1)])),
              { requiredKeys: (s.required ?? []).filter((name) => name in properties) },
            );
    } else if (s.format === 'uuid') plausible = fc.oneof(fc.constantFrom(...Object.values(ids).flat()), fc.uuid());
    else if (s.format === 'date-time' || /At$|^from$|^to$/.test(String(schema))) {
      plausible = fc
        .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    } else
      plausible = fc.oneof(fc.string({ maxLength: s.maxLength ?? 40 }), fc.constantFrom(...Object.values(ids).flat()));
    return fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
  }

  /** Path parameters are filled from the objects made above, keyed by the collection the path names. */
  function pathValue(path: string, name: string): fc.Arbitrary<string> {
    const collection = /\/(categories|threads|posts|events|polls|resources)\/\{id\}/.exec(path)?.[1];
    const known =
      name === 'slug'
        ? [community.slug]
        : name === 'userId'
          ? ids.users
          : name === 'decision'
            ? ['approve', 'reject', 'suspend', 'reinstate']
            : name === 'kind'
              ? ['like', 'thanks', 'insightful']
              : name === 'n'
                ? ['1', '2']
                : name === 'id' && collection
                  ? ids[collection]
                  : [randomUUID()];
    const odd = fc.constantFrom('%00', 'not-a-uuid', '99999999999', '-1', randomUUID(), '%E2%80%AE', 'a'.repeat(300));
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: odd });
  }

  const asQuery = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

  /** A multipart body from the operation's form schema: text fields as strings, and maybe a small file. */
  function formOf(schema: Schema | undefined): fc.Arbitrary<{ fields: Record<string, string>; file: boolean }> {
    const properties = resolve(schema).properties ?? {};
    const text = Object.entries(properties).filter(([, p]) => resolve(p).format !== 'binary');
    return fc.record({
      fields: fc.record(Object.fromEntries(text.map(([name, p]) => [name, valueOf(p).map(asQuery)])), {
        requiredKeys: [],
      }),
      file: fc.boolean(),
    }) as fc.Arbitrary<{ fields: Record<string, string>; file: boolean }>;
  }

  it('answers no route with a 5xx, and refused input with 400, as a member or as a co-chair', async () => {
    const failures: string[] = [];
    const refusedAnswers = new Map<number, number>();
    let sent = 0;
    const pdf = await makePdf(['fuzz']);
    const started = Date.now();
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (SKIPPED.has(`${method} ${template}`)) continue;
        const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
        const json = operation.requestBody?.content['application/json']?.schema;
        const form = operation.requestBody?.content['multipart/form-data']?.schema;
        const integers = new Set(
          (operation.parameters ?? [])
            .filter((p) => ['integer', 'number'].includes(resolve(p.schema).type ?? ''))
            .map((p) => p.name),
        );
        const request = fc.record({
          path: fc.tuple(...names.map((n) => pathValue(template, n))),
          query: fc.record(Object.fromEntries(query.map((p) => [p.name, valueOf(p.schema)])), { requiredKeys: [] }),
          body: json ? valueOf(json) : fc.constant(undefined),
          form: form ? formOf(form) : fc.constant(undefined),
          key: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('bad key', 'cl\u00e9', 'k'.repeat(300))), {
            nil: undefined,
          }),
        });
        const samples = fc.sample(request, { numRuns: RUNS_PER_ROLE * 2, seed: SEED });
        for (const [i, sample] of samples.entries()) {
          const user = i % 2 ? coChair : member;
          let url = template;
          names.forEach((name, n) => {
            url = url.replace(`{${name}}`, encodeURIComponent(decodeURIComponentSafe(sample.path[n] as string)));
          });
          const search = new URLSearchParams(
            Object.entries(sample.query).map(([k, v]) => [k, asQuery(v)] as [string, string]),
          ).toString();
          let req = stack
            .http()
            [method as 'get'](`${url}${search ? `?${search}` : ''}`)
            .set('Authorization', `Bearer ${user.token}`);
          if (sample.key !== undefined) req = req.set('Idempotency-Key', sample.key);
          let res;
          if (sample.form) {
            const { body, type } = multipart(
              sample.form.fields,
              sample.form.file ? { filename: 'notes.pdf', contentType: 'application/pdf', data: pdf } : undefined,
            );
            res = await req.set('Content-Type', type).send(body);
          } else if (sample.body !== undefined) {
            // Serialised here: supertest refuses top-level numbers and booleans, which a hostile client may send.
            res = await req.set('Content-Type', 'application/json').send(JSON.stringify(sample.body));
          } else res = await req;
          sent += 1;
          const refusal = refusedInput(sample, names, integers);
          const described = () =>
            `${res.status} ${method.toUpperCase()} ${url}${search ? `?${search.slice(0, 120)}` : ''} ` +
            `body=${JSON.stringify(sample.body ?? sample.form?.fields)?.slice(0, 200)}: ${JSON.stringify(res.body).slice(0, 200)}`;
          if (res.status >= 500) failures.push(described());
          else if (refusal) {
            refusedAnswers.set(res.status, (refusedAnswers.get(res.status) ?? 0) + 1);
            // A request line past Node's header size limit is refused by the HTTP parser first, with 431.
            const oversized = res.status === 431 && url.length + search.length > 16 * 1024;
            // An upload is authorised before a byte of its body is read (a stranger's upload is not
            // streamed in just to be judged), so a form refused there may be told 403 or 404 first.
            const unreadForm = refusal.includes('in the form') && [403, 404].includes(res.status);
            if (res.status !== 400 && !oversized && !unreadForm) {
              failures.push(`expected 400 for ${refusal}: ${described()}`);
            }
          }
        }
      }
    }
    console.log(
      `openapi fuzz: ${sent} requests in ${Date.now() - started} ms (seed ${SEED}), ${failures.length} failures; ` +
        `refused input answered ${JSON.stringify(Object.fromEntries(refusedAnswers))}`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});

/** As the product defines them: C0 controls except tab, line feed and carriage return, DEL, C1 controls. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };

/** Why every route must refuse this request with 400 (or null when it may be accepted). */
function refusedInput(
  sample: { body: unknown; query: Record<string, unknown>; path: unknown[]; form?: { fields: Record<string, string> } },
  pathNames: string[],
  integerParams: Set<string>,
): string | null {
  let deepest = 0;
  let control = false;
  let outOfRange = false;
  const pending: Array<{ value: unknown; depth: number }> = [{ value: sample.body, depth: 0 }];
  while (pending.length) {
    const { value, depth } = pending.pop()!;
    if (typeof value === 'string') control ||= CONTROL_CHARACTER.test(value);
    else if (typeof value === 'number')
      outOfRange ||= Number.isInteger(value) && (value < INT32.min || value > INT32.max);
    else if (value && typeof value === 'object') {
      deepest = Math.max(deepest, depth + 1);
      for (const [key, item] of Object.entries(value)) {
        control ||= CONTROL_CHARACTER.test(key);
        pending.push({ value: item, depth: depth + 1 });
      }
    }
  }
  if (deepest > 32) return 'JSON nested deeper than 32 levels';
  if (control) return 'a control character in the body';
  if (outOfRange) return 'an out-of-range integer in the body';
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  const integerOutOfRange = (value: unknown) =>
    /^-?\d+$/.test(text(value)) && (Number(text(value)) < INT32.min || Number(text(value)) > INT32.max);
  for (const [name, value] of Object.entries(sample.query)) {
    if (CONTROL_CHARACTER.test(text(value))) return `a control character in the query (${name})`;
    if (integerParams.has(name) && integerOutOfRange(value)) return `an out-of-range integer in the query (${name})`;
  }
  for (const [i, name] of pathNames.entries()) {
    const value = decodeURIComponentSafe(String(sample.path[i]));
    if (CONTROL_CHARACTER.test(value)) return `a control character in the address (${name})`;
    if (integerParams.has(name) && integerOutOfRange(value)) return `an out-of-range integer in the address (${name})`;
  }
  for (const [name, value] of Object.entries(sample.form?.fields ?? {})) {
    if (CONTROL_CHARACTER.test(value)) return `a control character in the form (${name})`;
  }
  return null;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
