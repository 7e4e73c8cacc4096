import { randomUUID } from 'node:crypto';
import { connectSocket, eventArrives, joinRoom } from '../../libs/testing/src/sockets';
import {
  call,
  HttpAnswer,
  must,
  ProductProcess,
  Scenario,
  sleep,
  startProcess,
  tokenFor,
  until,
  World,
} from './cluster';

/**
 * Scenarios where Redis, a worker or the SMTP relay fails while mail is owed: what PostgreSQL holds
 * (the outbox, reminder slots, fan-out rows) must all reach the sink once everything is back.
 */

/** The mail worker's concurrency in these scenarios: at most this many messages are mid-send at once. */
const MAIL_CONCURRENCY = 20;

/** Answers to writes under a fault, by kind; `broken` holds what no client should ever see. */
class Answers {
  ok = 0;
  unavailable = 0;
  broken: string[] = [];
  slowestMs = 0;

  count(what: string, answer: HttpAnswer): void {
    this.slowestMs = Math.max(this.slowestMs, answer.ms);
    if (answer.status >= 200 && answer.status < 300) this.ok += 1;
    else if (answer.status === 503 && answer.retryAfter) this.unavailable += 1;
    else this.broken.push(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`);
  }
}

/** A co-chair opens a one-question poll: every member of the community is invited by email. */
async function openPoll(apiUrl: string, token: string, slug: string, title: string): Promise<string> {
  const poll = await must(apiUrl, token, 'POST', `/api/v1/communities/${slug}/polls`, {
    title,
    questions: [{ kind: 'single_choice', prompt: 'Which works best?', options: ['Mornings', 'Afternoons'] }],
  });
  await must(apiUrl, token, 'POST', `/api/v1/polls/${poll.id}/open`, {});
  return poll.id as string;
}

/** The addresses a poll's invitations must reach: its electorate. */
async function electorate(world: World, pollId: string): Promise<string[]> {
  const rows = await world.pg.query<{ email: string }>(
    `SELECT lower(u.email) AS email FROM poll_electorate e JOIN users u ON u.id = e.user_id WHERE e.poll_id = $1`,
    [pollId],
  );
  return rows.map((r) => r.email);
}

/** What reached the sink for the messages whose subject carries `tag`, against the addresses owed one. */
function tally(world: World, tag: string, owed: string[]) {
  const copies = new Map<string, string[]>();
  for (const m of world.sink.messages) {
    if (!m.subject.includes(tag)) continue;
    copies.set(m.to, [...(copies.get(m.to) ?? []), m.messageId]);
  }
  const owedSet = new Set(owed);
  const received = [...copies.values()].reduce((n, ids) => n + ids.length, 0);
  const duplicated = [...copies.values()].filter((ids) => ids.length > 1);
  return {
    received,
    recipients: copies.size,
    lost: owed.filter((to) => !copies.has(to)).length,
    strangers: [...copies.keys()].filter((to) => !owedSet.has(to)).length,
    duplicates: received - copies.size,
    /** Recipients whose copies do not all carry one Message-ID. */
    mismatched: duplicated.filter((ids) => new Set(ids).size > 1).length,
    distinctMessageIds: new Set([...copies.values()].flat()).size,
  };
}

/** Outbox rows of a poll's invitations by status. */
async function invitationRows(world: World, pollId: string): Promise<Record<string, number>> {
  const rows = await world.pg.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM mail_outbox WHERE dedupe_key LIKE $1 GROUP BY status`,
    [`poll-invitation-${pollId}-%`],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Waits until every invitation reached the sink and every outbox row is sent (nothing can be resent). */
async function allDelivered(world: World, pollId: string, tag: string, owed: string[], timeoutMs: number) {
  await until(
    async () => {
      if (tally(world, tag, owed).lost) return false;
      const rows = await invitationRows(world, pollId);
      return Object.keys(rows).length === 1 && rows.sent === owed.length;
    },
    `all ${owed.length} invitations delivered and marked sent`,
    timeoutMs,
  );
}

function exitedProcesses(processes: ProductProcess[]): number {
  return processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null).length;
}

function stopAll(processes: ProductProcess[]): void {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
}

/**
 * Redis is stopped for 10 s (and comes back empty) while members post, RSVP (each a confirmation
 * email), a co-chair opens a poll (an invitation each) and an event's reminder falls due. Writes keep
 * answering; after Redis returns the reconcilers re-create the lost jobs and every email arrives.
 */
export const redisStopped: Scenario = {
  name: 'redis-stopped',
  async run(world) {
    const outageMs = 10_000;
    const env = { ...world.env, RECONCILE_INTERVAL_MS: '2000', REMINDER_SCAN_INTERVAL_MS: '2000' };
    const processes = [
      await startProcess('api', env),
      await startProcess('api', env),
      await startProcess('worker', env),
    ];
    const [api1, api2] = processes;
    const started = await world.pg.query<{ now: Date }>('SELECT now()');
    const since = started[0].now;
    try {
      const chair = await tokenFor(world.pg, world.env, world.coChairId);
      const readers = await Promise.all(
        world.readers.map(async (r) => ({ ...r, token: await tokenFor(world.pg, world.env, r.id) })),
      );
      const tag = randomUUID().slice(0, 8);
      // Redis goes at `outageAt`; the reminder (5 minutes before the start) falls due 5 s into the outage.
      const outageAt = Date.now() + 15_000;
      const startsAt = new Date(outageAt + 5_000 + 5 * 60_000);
      const event = await must(api1.url, chair, 'POST', `/api/v1/communities/${world.communitySlug}/events`, {
        title: `Supervision circle ${tag}`,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/circle',
        reminderOffsets: [5],
      });
      // A quarter of the readers RSVP before the outage, the rest during it.
      const before = readers.slice(0, Math.floor(readers.length / 4));
      const during = readers.slice(before.length);
      const answers = new Answers();
      for (let i = 0; i < before.length; i += 10) {
        await Promise.all(
          before.slice(i, i + 10).map(async (r, j) => {
            const api = (i + j) % 2 ? api2 : api1;
            answers.count(
              'rsvp',
              await call(api.url, r.token, 'PUT', `/api/v1/events/${event.id}/rsvp`, { status: 'going' }),
            );
          }),
        );
      }
      const socket = await connectSocket(api1.url, chair);
      if (!(await joinRoom(socket, `thread:${world.threadId}`)).ok) throw new Error('could not join the thread room');

      // Load from 3 s before the outage until 3 s after it: posts (some mentioning a reader) and RSVPs.
      await until(() => Date.now() >= outageAt - 3_000, 'the load to start', 60_000);
      const loadUntil = outageAt + outageMs + 3_000;
      let posts = 0;
      const posters = Array.from({ length: 6 }, async (_, c) => {
        for (let i = 0; Date.now() < loadUntil; i += 1) {
          const author = readers[(c * 31 + i) % readers.length];
          const mention = i % 5 === 0 ? ` @${readers[(c * 7 + i * 3) % readers.length].handle}` : '';
          const api = (c + i) % 2 ? api2 : api1;
          const answer = await call(api.url, author.token, 'POST', `/api/v1/threads/${world.threadId}/posts`, {
            body: `redis-stopped ${tag} ${c}-${i}${mention}`,
          });
          answers.count('post', answer);
          posts += 1;
          await sleep(100);
        }
      });
      let nextRsvp = 0;
      const rsvps = Array.from({ length: 3 }, async (_, c) => {
        while (Date.now() < loadUntil && nextRsvp < during.length) {
          const reader = during[nextRsvp++];
          const api = c % 2 ? api2 : api1;
          answers.count(
            'rsvp',
            await call(api.url, reader.token, 'PUT', `/api/v1/events/${event.id}/rsvp`, { status: 'going' }),
          );
          await sleep(150);
        }
      });
      await until(() => Date.now() >= outageAt, 'the outage', 60_000);
      await world.redis.stop();
      await sleep(3_000);
      const pollTitle = `Outage poll ${tag}`;
      const pollOpened = await call(api2.url, chair, 'POST', `/api/v1/communities/${world.communitySlug}/polls`, {
        title: pollTitle,
        questions: [{ kind: 'single_choice', prompt: 'Which works best?', options: ['Mornings', 'Afternoons'] }],
      });
      answers.count('poll create', pollOpened);
      if (pollOpened.status === 201) {
        answers.count('poll open', await call(api1.url, chair, 'POST', `/api/v1/polls/${pollOpened.body.id}/open`, {}));
      }
      await sleep(Math.max(0, outageAt + outageMs - Date.now()));
      await world.redis.start();
      const back = Date.now();
      await Promise.all([...posters, ...rsvps]);

      // Every email owed since the scenario began reaches the sink: confirmations, the poll's
      // invitations, the reminder, mentions (staged by the post fan-out once it runs again).
      const owedSince = async () =>
        world.pg.query<{ id: string; template: string; status: string }>(
          `SELECT id, template, status FROM mail_outbox WHERE created_at >= $1`,
          [since],
        );
      const received = () => new Set(world.sink.messages.map((m) => /^<([^@>]+)@/.exec(m.messageId)?.[1]));
      await until(
        async () => {
          const [{ n: fanouts }] = await world.pg.query<{ n: string }>(`SELECT count(*) AS n FROM forum_post_fanouts`);
          const [{ n: pendingSlots }] = await world.pg.query<{ n: string }>(
            `SELECT count(*) AS n FROM event_reminder_slots WHERE event_id = $1 AND status = 'pending'`,
            [event.id],
          );
          const rows = await owedSince();
          const got = received();
          return Number(fanouts) === 0 && Number(pendingSlots) === 0 && rows.every((r) => got.has(r.id));
        },
        'every email owed to arrive after Redis returned',
        180_000,
      );
      const deliveredMs = Date.now() - back;
      const rows = await owedSince();
      const byTemplate: Record<string, number> = {};
      for (const r of rows) byTemplate[r.template] = (byTemplate[r.template] ?? 0) + 1;
      const [reminder] = await world.pg.query<{ status: string; deliveries: string; going: string }>(
        `SELECT s.status,
                (SELECT count(*) FROM event_reminder_deliveries d WHERE d.slot_id = s.id) AS deliveries,
                (SELECT count(*) FROM event_rsvps r WHERE r.event_id = s.event_id AND r.status = 'going') AS going
           FROM event_reminder_slots s WHERE s.event_id = $1`,
        [event.id],
      );
      const [{ n: ourPosts }] = await world.pg.query<{ n: string }>(
        'SELECT count(*) AS n FROM forum_posts WHERE body_source LIKE $1',
        [`redis-stopped ${tag} %`],
      );

      // Live updates resume: a post made through the other API reaches the socket on the first.
      let liveTries = 0;
      await until(
        async () => {
          liveTries += 1;
          const live = eventArrives(socket, 'post.created', 2_000);
          answers.count(
            'post after',
            await call(api2.url, chair, 'POST', `/api/v1/threads/${world.threadId}/posts`, { body: `live ${tag}` }),
          );
          return live;
        },
        'a live post event after Redis returned',
        60_000,
      );
      const liveMs = Date.now() - back;
      socket.disconnect();

      const exited = exitedProcesses(processes);
      const rejections = processes.filter((p) => p.output().includes('unhandled rejection')).length;
      const problems = [
        exited ? `${exited} process(es) exited` : '',
        rejections ? `${rejections} process(es) logged an unhandled rejection` : '',
        answers.broken.length
          ? `${answers.broken.length} broken answers: ${answers.broken.slice(0, 3).join('; ')}`
          : '',
        reminder?.status !== 'sent' ? `reminder slot ${reminder?.status ?? 'never planned'}` : '',
        Number(reminder.deliveries) < before.length
          ? `only ${reminder.deliveries} reminders for ${before.length} going before`
          : '',
        !byTemplate['poll.invitation'] ? 'no invitation staged during the outage' : '',
      ].filter(Boolean);
      if (problems.length) throw new Error(problems.join('; '));
      return [
        `Redis stopped ${outageMs} ms (restarted empty) under 2 APIs + 1 worker: ${answers.ok} writes 2xx, ` +
          `${answers.unavailable} 503 with Retry-After, 0 other 5xx (slowest ${answers.slowestMs} ms); ` +
          `${posts} posts sent (${ourPosts} stored), ${before.length + nextRsvp} RSVPs; 0 processes exited`,
        `${rows.length} emails owed (${Object.entries(byTemplate)
          .map(([t, n]) => `${n} ${t}`)
          .join(
            ', ',
          )}), all ${rows.length} at the sink ${Math.round(deliveredMs / 1000)} s after Redis returned; 0 lost`,
        `reminder due during the outage: delivered to ${reminder.deliveries} of ${reminder.going} going; ` +
          `live post event on the other API ${Math.round(liveMs / 1000)} s after Redis returned (${liveTries} tries)`,
      ];
    } finally {
      stopAll(processes);
    }
  },
};

/**
 * A poll opened to the burst community queues an invitation each. A fifth of the way through, the
 * worker gets SIGTERM: it stops taking jobs, finishes the messages in flight and exits 0 within
 * SHUTDOWN_TIMEOUT_MS, leaving nothing mid-send. A new worker carries on and is SIGKILLed halfway,
 * then started again. Nothing is lost; a message resent is one the relay had taken just before the
 * kill, with its first copy's Message-ID, and there are at most as many as were mid-send.
 */
export const workerKilledMidBurst: Scenario = {
  name: 'worker-killed-mid-burst',
  async run(world) {
    const deadlineMs = 10_000;
    // A short lock, so rows the killed worker held are taken over in seconds rather than minutes.
    const env = {
      ...world.env,
      MAIL_CONCURRENCY: String(MAIL_CONCURRENCY),
      MAIL_LOCK_SECONDS: '10',
      RECONCILE_INTERVAL_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: String(deadlineMs),
    };
    const api = await startProcess('api', env);
    let worker = await startProcess('worker', env);
    const processes = [api, worker];
    try {
      const chair = await tokenFor(world.pg, world.env, world.burstChairId);
      const tag = `Burst ${randomUUID().slice(0, 8)}`;
      const started = Date.now();
      const pollId = await openPoll(api.url, chair, world.burstSlug, tag);
      const owed = await electorate(world, pollId);

      await until(() => tally(world, tag, owed).received >= owed.length / 5, 'a fifth of the burst to arrive', 180_000);
      const inFlightAtTerm = (await invitationRows(world, pollId)).sending ?? 0;
      const signalled = Date.now();
      worker.child.kill('SIGTERM');
      const exit = await worker.exited;
      const exitMs = exit.at - signalled;
      const leftMidSend = (await invitationRows(world, pollId)).sending ?? 0;
      const atTerm = tally(world, tag, owed).received;
      if (exit.code !== 0 || exitMs > deadlineMs || leftMidSend) {
        throw new Error(
          `SIGTERM: exit ${exit.code} after ${exitMs} ms (deadline ${deadlineMs}), ${leftMidSend} rows left mid-send`,
        );
      }

      worker = await startProcess('worker', env);
      processes.push(worker);
      await until(() => tally(world, tag, owed).received >= owed.length / 2, 'half the burst to arrive', 180_000);
      const duplicatesBeforeKill = tally(world, tag, owed).duplicates;
      worker.child.kill('SIGKILL');
      await worker.exited;
      const atKill = tally(world, tag, owed).received;
      const sendingAtKill = (await invitationRows(world, pollId)).sending ?? 0;
      worker = await startProcess('worker', env);
      processes.push(worker);
      await allDelivered(world, pollId, tag, owed, 300_000);
      const seconds = (Date.now() - started) / 1000;
      await sleep(2_000);
      const t = tally(world, tag, owed);
      const exited = exitedProcesses([api, worker]);
      if (t.lost || t.strangers || t.mismatched || duplicatesBeforeKill || t.duplicates > MAIL_CONCURRENCY || exited) {
        throw new Error(
          `lost ${t.lost}, unexpected recipients ${t.strangers}, duplicates after SIGTERM ${duplicatesBeforeKill}, ` +
            `after SIGKILL ${t.duplicates} (at most ${MAIL_CONCURRENCY}), with another Message-ID ${t.mismatched}, ` +
            `processes exited ${exited}`,
        );
      }
      return [
        `${owed.length} invitations. Worker SIGTERMed with ${inFlightAtTerm} mid-send: exited 0 after ${exitMs} ms ` +
          `(deadline ${deadlineMs}), ${atTerm} arrived by then, 0 left mid-send, 0 duplicates`,
        `SIGKILL to the next worker after ${atKill} arrived (${sendingAtKill} rows mid-send), restarted: ` +
          `${t.recipients} of ${owed.length} delivered in ${Math.round(seconds)} s in all, 0 lost`,
        `${t.duplicates} duplicates (at most ${MAIL_CONCURRENCY}, the mail concurrency), each with its first copy's Message-ID`,
      ];
    } finally {
      stopAll(processes);
    }
  },
};

/** Two workers on one burst: each message is sent once (one Message-ID, one copy per recipient). */
export const twoWorkers: Scenario = {
  name: 'two-workers',
  async run(world) {
    const env = { ...world.env, MAIL_CONCURRENCY: String(MAIL_CONCURRENCY) };
    const processes = [
      await startProcess('api', env),
      await startProcess('worker', env),
      await startProcess('worker', env),
    ];
    try {
      const chair = await tokenFor(world.pg, world.env, world.burstChairId);
      const tag = `Pair ${randomUUID().slice(0, 8)}`;
      const started = Date.now();
      const pollId = await openPoll(processes[0].url, chair, world.burstSlug, tag);
      const owed = await electorate(world, pollId);
      await allDelivered(world, pollId, tag, owed, 300_000);
      const seconds = (Date.now() - started) / 1000;
      await sleep(2_000);
      const t = tally(world, tag, owed);
      const exited = exitedProcesses(processes);
      if (t.lost || t.strangers || t.duplicates || t.distinctMessageIds !== owed.length || exited) {
        throw new Error(
          `lost ${t.lost}, unexpected recipients ${t.strangers}, duplicates ${t.duplicates}, ` +
            `${t.distinctMessageIds} Message-IDs for ${owed.length} recipients, processes exited ${exited}`,
        );
      }
      return [
        `${owed.length} invitations through 2 workers in ${Math.round(seconds)} s: ${t.received} at the sink, ` +
          `${t.distinctMessageIds} distinct Message-IDs, 0 duplicates, 0 lost`,
      ];
    } finally {
      stopAll(processes);
    }
  },
};

/**
 * The relay refuses every message (451) and then is gone altogether (port closed), 60 s in all,
 * while a poll's invitations are being sent; when it is back, every one of them arrives.
 */
export const smtpDown: Scenario = {
  name: 'smtp-down',
  async run(world) {
    const outageMs = Number(process.env.FAULTS_SMTP_DOWN_MS ?? 60_000);
    // Retries from 5 s doubling (5, 10, 20, 40 s...), so a 60 s outage is ridden out within 8 attempts.
    const env = { ...world.env, MAIL_RETRY_BASE_SECONDS: '5', RECONCILE_INTERVAL_MS: '5000' };
    const processes = [await startProcess('api', env), await startProcess('worker', env)];
    try {
      const chair = await tokenFor(world.pg, world.env, world.coChairId);
      const tag = `Relay ${randomUUID().slice(0, 8)}`;
      world.sink.refuse();
      const downAt = Date.now();
      const pollId = await openPoll(processes[0].url, chair, world.communitySlug, tag);
      const owed = await electorate(world, pollId);
      await sleep(outageMs / 2 - (Date.now() - downAt));
      const refusedFirstHalf = world.sink.refused;
      await world.sink.down();
      await sleep(outageMs - (Date.now() - downAt));
      const duringOutage = tally(world, tag, owed).received;
      await world.sink.up();
      const back = Date.now();
      await allDelivered(world, pollId, tag, owed, 240_000);
      const recoveryS = (Date.now() - back) / 1000;
      const [attempts] = await world.pg.query<{ max: number; avg: string }>(
        `SELECT max(attempts) AS max, round(avg(attempts), 1) AS avg FROM mail_outbox WHERE dedupe_key LIKE $1`,
        [`poll-invitation-${pollId}-%`],
      );
      await sleep(2_000);
      const t = tally(world, tag, owed);
      const exited = exitedProcesses(processes);
      if (t.lost || t.strangers || t.mismatched || duringOutage || exited) {
        throw new Error(
          `lost ${t.lost}, unexpected recipients ${t.strangers}, delivered while down ${duringOutage}, ` +
            `duplicates with another Message-ID ${t.mismatched}, processes exited ${exited}`,
        );
      }
      return [
        `relay out for ${Math.round((back - downAt) / 1000)} s (${refusedFirstHalf} messages refused with 451, then the port closed) ` +
          `while ${owed.length} invitations were owed`,
        `all ${t.recipients} delivered ${Math.round(recoveryS)} s after it returned, 0 lost, ${t.duplicates} duplicates, 0 dead; ` +
          `attempts per message max ${attempts.max}, mean ${attempts.avg}`,
      ];
    } finally {
      stopAll(processes);
      await world.sink.up();
    }
  },
};
