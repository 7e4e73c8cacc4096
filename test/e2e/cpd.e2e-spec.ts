import { randomUUID } from 'node:crypto';
import { countRows, createCommunity, createMember, TestCommunity, TestStack, TestUser } from '@cophub/testing';

const HOUR = 3_600_000;
const CPD_TABLES = ['cpd_activities'];

describe('CPD record with reflections', () => {
  let stack: TestStack;
  let community: TestCommunity;
  let coChair: TestUser;
  let alex: TestUser;
  let other: TestUser;
  let eventId: string;

  const as = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });
  const ukToday = () => new Date(stack.clock.now()).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
  const daysAgo = (n: number) =>
    new Date(stack.clock.now().getTime() - n * 24 * HOUR).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
    community = await createCommunity(stack);
    coChair = await createMember(stack, community, 'co_chair');
    alex = await createMember(stack, community, 'member', { displayName: 'Alex Reflective' });
    other = await createMember(stack, community);
    const now = stack.clock.now().getTime();
    const { body: event } = await stack
      .http()
      .post(`/api/v1/communities/${community.slug}/events`)
      .set(as(coChair))
      .send({
        title: 'Role clarity workshop',
        startsAt: new Date(now + 0.25 * HOUR).toISOString(),
        endsAt: new Date(now + 2.25 * HOUR).toISOString(),
        locationKind: 'online',
        cpdHours: 1.5,
      })
      .expect(201);
    eventId = event.id;
    const { body: full } = await stack.http().get(`/api/v1/events/${eventId}`).set(as(coChair)).expect(200);
    await stack
      .http()
      .post(`/api/v1/events/${eventId}/check-in`)
      .set(as(alex))
      .send({ code: full.checkInCode })
      .expect(200);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('keeps a reflection on an attended event and CPD outside CoP events, in the record, the CSV and the printable page', async () => {
    const reflected = await stack
      .http()
      .put(`/api/v1/me/cpd/events/${eventId}/reflection`)
      .set(as(alex))
      .send({
        learningOutcomes: 'How MHWP and PWP roles differ in step 2 and step 3',
        reflection: '=HYPERLINK("http://evil.example","x")\nI will explain my role at the start of\n\ngroup sessions <script>alert(1)</script>',
        evidenceUrl: 'https://portfolio.example.nhs.uk/notes/42',
      })
      .expect(200);
    expect(reflected.body).toMatchObject({ id: eventId, source: 'event', kind: 'event', cpdHours: 1.5 });

    const added = await stack
      .http()
      .post('/api/v1/me/cpd/activities')
      .set(as(alex))
      .send({
        kind: 'reading',
        activity: 'NICE guideline NG222 on depression in adults',
        date: daysAgo(3),
        hours: 2.25,
        learningOutcomes: '+ stepped care for depression',
        reflection: 'Changes how I talk through treatment options',
      })
      .expect(201);
    expect(added.body).toMatchObject({
      source: 'own',
      kind: 'reading',
      eventId: null,
      communityName: null,
      date: daysAgo(3),
      cpdHours: 2.25,
      evidenceUrl: null,
    });

    const { body: record } = await stack.http().get('/api/v1/me/cpd').set(as(alex)).expect(200);
    expect(record.totalHours).toBe(3.75);
    // Newest first: the event is today (UK), the reading three days ago.
    expect(record.entries.map((e: { title: string }) => e.title)).toEqual([
      'Role clarity workshop',
      'NICE guideline NG222 on depression in adults',
    ]);
    expect(record.entries[0]).toMatchObject({
      date: ukToday(),
      communityName: community.name,
      method: 'check_in',
      learningOutcomes: 'How MHWP and PWP roles differ in step 2 and step 3',
      evidenceUrl: 'https://portfolio.example.nhs.uk/notes/42',
    });

    const csv = await stack.http().get('/api/v1/me/cpd.csv').set(as(alex)).buffer(true).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('"Learning outcomes","Reflection: how it changes my practice","Evidence"');
    expect(lines[1]).toContain('"Role clarity workshop","CoP event"');
    // A formula in any cell is neutralised; the multi-line reflection stays in one cell.
    expect(lines[1]).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")\nI will explain');
    expect(lines[1]).toContain('"https://portfolio.example.nhs.uk/notes/42"');
    expect(lines[2]).toContain('"NICE guideline NG222 on depression in adults","Reading"');
    expect(lines[2]).toContain('"\'+ stepped care for depression"');
    expect(lines[2]).toContain('"me"');
    expect(lines[lines.length - 1]).toContain('"Total","","","3.75"');

    const print = await stack.http().get('/api/v1/me/cpd/print').set(as(alex)).expect(200);
    expect(print.headers['content-security-policy']).toContain("default-src 'none'");
    expect(print.text).toContain('CPD record: Alex Reflective');
    expect(print.text).toContain('NICE guideline NG222 on depression in adults');
    expect(print.text).toContain('How it changes my practice');
    expect(print.text).toContain('group sessions &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(print.text).not.toContain('<script');
  });

  it('lets the member edit and remove their own entries', async () => {
    const { body: entry } = await stack
      .http()
      .post('/api/v1/me/cpd/activities')
      .set(as(alex))
      .send({ kind: 'supervision', activity: 'Group supervision', date: daysAgo(1), hours: 1, evidenceUrl: 'https://a.example/x' })
      .expect(201);
    const { body: edited } = await stack
      .http()
      .patch(`/api/v1/me/cpd/activities/${entry.id}`)
      .set(as(alex))
      .send({ hours: 1.5, reflection: 'Brought a case about risk', evidenceUrl: null })
      .expect(200);
    expect(edited).toMatchObject({ kind: 'supervision', cpdHours: 1.5, reflection: 'Brought a case about risk', evidenceUrl: null });
    await stack.http().delete(`/api/v1/me/cpd/activities/${entry.id}`).set(as(alex)).expect(204);
    await stack.http().get(`/api/v1/me/cpd/activities/${entry.id}`).set(as(alex)).expect(404);
  });

  it('is private to the member: a co-chair or another member cannot read or change it', async () => {
    const { body: entry } = await stack
      .http()
      .post('/api/v1/me/cpd/activities')
      .set(as(alex))
      .send({ kind: 'course', activity: 'Private course', date: daysAgo(2), hours: 3, reflection: 'Only mine' })
      .expect(201);
    for (const intruder of [coChair, other]) {
      await stack.http().get(`/api/v1/me/cpd/activities/${entry.id}`).set(as(intruder)).expect(404);
      await stack.http().patch(`/api/v1/me/cpd/activities/${entry.id}`).set(as(intruder)).send({ hours: 9 }).expect(404);
      await stack.http().delete(`/api/v1/me/cpd/activities/${entry.id}`).set(as(intruder)).expect(404);
      // Nobody but Alex attended: reflecting on the event is refused, and Alex's reflection is untouched.
      await stack
        .http()
        .put(`/api/v1/me/cpd/events/${eventId}/reflection`)
        .set(as(intruder))
        .send({ reflection: 'overwritten' })
        .expect(404);
      const { body: theirs } = await stack.http().get('/api/v1/me/cpd').set(as(intruder)).expect(200);
      expect(JSON.stringify(theirs)).not.toContain('Private course');
      expect(JSON.stringify(theirs)).not.toContain('I will explain my role');
      const csv = await stack.http().get('/api/v1/me/cpd.csv').set(as(intruder)).buffer(true).expect(200);
      expect(csv.text).not.toContain('Private course');
    }
    // What co-chairs see about attendance carries no reflection.
    const attendees = await stack.http().get(`/api/v1/events/${eventId}/attendees`).set(as(coChair)).expect(200);
    expect(JSON.stringify(attendees.body)).not.toContain('I will explain my role');
    await stack.http().get('/api/v1/me/cpd').expect(401);
    await stack.http().get('/api/v1/me/cpd.csv').expect(401);

    const [row] = await stack.query<{ hours: string; reflection: string }>(
      'SELECT hours, reflection FROM cpd_activities WHERE id = $1',
      [entry.id],
    );
    expect(row).toEqual({ hours: '3.00', reflection: 'Only mine' });
    const [attendance] = await stack.query<{ reflection: string }>(
      'SELECT reflection FROM event_attendance WHERE event_id = $1 AND user_id = $2',
      [eventId, alex.id],
    );
    expect(attendance.reflection).toContain('I will explain my role');
  });

  it('refuses bad input with a clear 400 and changes nothing', async () => {
    const valid = { kind: 'course', activity: 'CBT skills refresher', date: daysAgo(5), hours: 2 };
    const tomorrow = new Date(stack.clock.now().getTime() + 36 * HOUR).toLocaleDateString('en-CA', {
      timeZone: 'Europe/London',
    });
    const bad: Array<[string, Record<string, unknown>]> = [
      ['missing kind', { ...valid, kind: undefined }],
      ['unknown kind', { ...valid, kind: 'holiday' }],
      ['blank activity', { ...valid, activity: '   ' }],
      ['long activity', { ...valid, activity: 'x'.repeat(201) }],
      ['date in the future', { ...valid, date: tomorrow }],
      ['impossible date', { ...valid, date: '2026-02-30' }],
      ['date with a time', { ...valid, date: '2026-01-05T10:00:00Z' }],
      ['zero hours', { ...valid, hours: 0 }],
      ['negative hours', { ...valid, hours: -1 }],
      ['too many hours', { ...valid, hours: 100.5 }],
      ['three decimals', { ...valid, hours: 1.234 }],
      ['hours as text', { ...valid, hours: '2' }],
      ['script link as evidence', { ...valid, evidenceUrl: 'javascript:alert(1)' }],
      ['ftp evidence', { ...valid, evidenceUrl: 'ftp://files.example/x' }],
      ['not a link', { ...valid, evidenceUrl: 'my notes' }],
      ['long reflection', { ...valid, reflection: 'r'.repeat(10_001) }],
      ['unknown field', { ...valid, userId: other.id }],
    ];
    const before = await countRows(stack, CPD_TABLES);
    for (const [what, body] of bad) {
      const response = await stack.http().post('/api/v1/me/cpd/activities').set(as(alex)).send(body);
      expect({ what, status: response.status }).toEqual({ what, status: 400 });
      expect(response.body.message).toBeTruthy();
    }
    expect(await countRows(stack, CPD_TABLES)).toEqual(before);

    const { body: entry } = await stack.http().post('/api/v1/me/cpd/activities').set(as(alex)).send(valid).expect(201);
    for (const body of [{ hours: 0 }, { date: tomorrow }, { evidenceUrl: 'javascript:alert(1)' }, { activity: '' }]) {
      await stack.http().patch(`/api/v1/me/cpd/activities/${entry.id}`).set(as(alex)).send(body).expect(400);
    }
    const { body: unchanged } = await stack.http().get(`/api/v1/me/cpd/activities/${entry.id}`).set(as(alex)).expect(200);
    expect(unchanged).toMatchObject({ title: 'CBT skills refresher', cpdHours: 2, date: valid.date, evidenceUrl: null });

    await stack
      .http()
      .put(`/api/v1/me/cpd/events/${eventId}/reflection`)
      .set(as(alex))
      .send({ evidenceUrl: 'javascript:alert(1)' })
      .expect(400);
    await stack.http().put(`/api/v1/me/cpd/events/${randomUUID()}/reflection`).set(as(alex)).send({}).expect(404);
    await stack.http().put('/api/v1/me/cpd/events/not-a-uuid/reflection').set(as(alex)).send({}).expect(400);
    await stack.http().get('/api/v1/me/cpd/activities/not-a-uuid').set(as(alex)).expect(400);
    const [attendance] = await stack.query<{ evidence_url: string }>(
      'SELECT evidence_url FROM event_attendance WHERE event_id = $1 AND user_id = $2',
      [eventId, alex.id],
    );
    expect(attendance.evidence_url).toBe('https://portfolio.example.nhs.uk/notes/42');
  });
});
