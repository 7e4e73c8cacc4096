import type { Bench } from './run';
import { BenchEnvironment, BenchRow, fmt, percentile } from './harness';

const MEMBERS = 1_000;
const CLIENTS = 150;
const CAPACITY = 600;

type Kind = 'vote' | 'rsvp';

/**
 * Two API processes on one database and Redis; 150 clients at once, each member voting in a poll and
 * RSVPing to an event, each twice (4,000 requests, alternating between the instances, a member's two
 * tries of a kind usually in flight together). The repeats are expected to be 409 (already responded)
 * for votes and a no-change 200 for RSVPs; 503 must carry Retry-After; 500 must not happen. Then the
 * database must agree: one ballot per member, places up to capacity, the rest waitlisted.
 */
export const voteRsvpBench: Bench = {
  name: 'vote-rsvp',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start();
    try {
      const [community] = await env.query<{ id: string }>(
        `INSERT INTO communities (slug, name, region) VALUES ('bench-cop', 'Bench CoP', 'north_west') RETURNING id`,
      );
      const users = await env.query<{ id: string; i: number }>(
        `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
         SELECT 'member' || g || '@example.nhs.net', 'x', 'Member ' || g, 'PWP', 'qualified', 'north_west', now()
           FROM generate_series(0, $1) g
         RETURNING id, substring(email from 'member(\\d+)@')::int AS i`,
        [MEMBERS],
      );
      users.sort((a, b) => a.i - b.i);
      // User 0 is the co-chair; 1..MEMBERS are members.
      await env.query(
        `INSERT INTO memberships (community_id, user_id, status, role)
         SELECT $1, id, 'approved', CASE WHEN id = $3 THEN 'co_chair' ELSE 'member' END FROM unnest($2::uuid[]) id`,
        [community.id, users.map((u) => u.id), users[0].id],
      );
      const tokens = await env.accessTokens(users);
      const apis = [await env.startApi(), await env.startApi()];
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const chairCall = async (path: string, body: object): Promise<any> => {
        const response = await fetch(`${apis[0].url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const poll = await chairCall('/api/v1/communities/bench-cop/polls', {
        title: 'Next meeting format',
        questions: [{ kind: 'single_choice', prompt: 'Which format?', options: ['Online', 'In person', 'Hybrid'] }],
      });
      await chairCall(`/api/v1/polls/${poll.id}/open`, {});
      const startsAt = new Date(Date.now() + 14 * 86_400_000);
      const event = await chairCall('/api/v1/communities/bench-cop/events', {
        title: 'Regional meeting',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
        locationKind: 'online',
        joinUrl: 'https://meet.example.nhs.uk/regional',
        capacity: CAPACITY,
      });
      const question = poll.questions[0] as { id: string; options: Array<{ id: string }> };

      // Member m's requests: vote, RSVP, vote again, RSVP again, handed out in that order to whichever
      // client is free, so a member's two tries of a kind are usually in flight at the same time.
      const tasks: Array<{ member: number; kind: Kind }> = [];
      for (let m = 1; m <= MEMBERS; m += 1) {
        tasks.push({ member: m, kind: 'vote' }, { member: m, kind: 'rsvp' });
        tasks.push({ member: m, kind: 'vote' }, { member: m, kind: 'rsvp' });
      }
      const counts = { ok: 0, conflict: 0, unavailable: 0, unavailableWithoutRetryAfter: 0, server: 0, other: 0 };
      const byKind: Record<Kind, Record<number, number>> = { vote: {}, rsvp: {} };
      const latencies: number[] = [];
      const odd: string[] = [];
      const accepted: Record<Kind, Set<number>> = { vote: new Set(), rsvp: new Set() };
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < tasks.length) {
            const index = next++;
            const { member, kind } = tasks[index];
            const api = apis[index % 2];
            const t = performance.now();
            let status = 0;
            let retryAfter: string | null = null;
            try {
              const response = await fetch(
                kind === 'vote'
                  ? `${api.url}/api/v1/polls/${poll.id}/responses`
                  : `${api.url}/api/v1/events/${event.id}/rsvp`,
                {
                  method: kind === 'vote' ? 'POST' : 'PUT',
                  headers: { authorization: `Bearer ${tokens[member]}`, 'content-type': 'application/json' },
                  body: JSON.stringify(
                    kind === 'vote'
                      ? { answers: [{ questionId: question.id, optionIds: [question.options[member % 3].id] }] }
                      : { status: 'going' },
                  ),
                  signal: AbortSignal.timeout(60_000),
                },
              );
              status = response.status;
              retryAfter = response.headers.get('retry-after');
              const text = await response.text();
              if (status >= 400 && status !== 409 && status !== 503 && odd.length < 3) odd.push(`${status} ${text}`);
            } catch (error) {
              if (odd.length < 3) odd.push((error as Error).message);
            }
            latencies.push(performance.now() - t);
            byKind[kind][status] = (byKind[kind][status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              counts.ok += 1;
              accepted[kind].add(member);
            } else if (status === 409) counts.conflict += 1;
            else if (status === 503) {
              counts.unavailable += 1;
              if (!retryAfter) counts.unavailableWithoutRetryAfter += 1;
            } else if (status >= 500) counts.server += 1;
            else counts.other += 1;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;

      const [db] = await env.query<{ ballots: number; responded: string[]; places: string[]; waitlisted: number }>(
        `SELECT (SELECT count(*)::int FROM poll_ballots WHERE poll_id = $1)
                  + (SELECT count(*)::int FROM poll_sealed_ballots WHERE poll_id = $1) AS ballots,
                (SELECT coalesce(array_agg(user_id), '{}') FROM poll_electorate WHERE poll_id = $1 AND responded) AS responded,
                (SELECT coalesce(array_agg(user_id), '{}') FROM event_rsvps WHERE event_id = $2 AND status IN ('going', 'waitlisted')) AS places,
                (SELECT count(*)::int FROM event_rsvps WHERE event_id = $2 AND status = 'waitlisted') AS waitlisted`,
        [poll.id, event.id],
      );
      const [counters] = await env.query<{ going_count: number; waitlist_count: number }>(
        'SELECT going_count, waitlist_count FROM events WHERE id = $1',
        [event.id],
      );
      // A 503 past the request deadline may come after its change committed (a client retries with the
      // same outcome), so the database may hold more than was acknowledged, never less or double.
      const responded = new Set(db.responded);
      const places = new Set(db.places);
      const votesAccepted = Object.entries(byKind.vote)
        .filter(([status]) => Number(status) >= 200 && Number(status) < 300)
        .reduce((n, [, k]) => n + k, 0);
      const going = db.places.length - db.waitlisted;
      const consistent =
        db.ballots === responded.size &&
        votesAccepted === accepted.vote.size &&
        [...accepted.vote].every((m) => responded.has(users[m].id)) &&
        [...accepted.rsvp].every((m) => places.has(users[m].id)) &&
        going === counters.going_count &&
        db.waitlisted === counters.waitlist_count &&
        going <= CAPACITY &&
        (db.waitlisted === 0 || going === CAPACITY);
      const describe = (kind: Kind) =>
        Object.entries(byKind[kind])
          .sort()
          .map(([status, n]) => `${n}×${status}`)
          .join(', ');
      return [
        {
          figure: `${CLIENTS} clients at once, vote + RSVP twice per member over 2 APIs (${fmt(tasks.length)} requests)`,
          target: '-',
          measured: `${fmt(tasks.length / seconds)} req/s, p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms`,
          ok: null,
        },
        {
          figure: 'answers 2xx / 409 (already responded) / 503 (all with Retry-After) / 500',
          target: `${fmt(MEMBERS * 3)} / ${fmt(MEMBERS)} / any / 0`,
          measured:
            `${fmt(counts.ok)} / ${fmt(counts.conflict)} / ${counts.unavailable}` +
            `${counts.unavailableWithoutRetryAfter ? ` (${counts.unavailableWithoutRetryAfter} without Retry-After)` : ''}` +
            ` / ${counts.server}${counts.other ? `; ${counts.other} other` : ''}`,
          ok: counts.server === 0 && counts.other === 0 && counts.unavailableWithoutRetryAfter === 0,
        },
        {
          figure: 'by request: votes / RSVPs',
          target: '-',
          measured: `${describe('vote')} / ${describe('rsvp')}${odd.length ? `; e.g. ${odd[0].slice(0, 80)}` : ''}`,
          ok: null,
        },
        {
          figure:
            'database agrees: one ballot per member responded, each accepted vote among them; each accepted RSVP holds a place or waits; going ≤ capacity',
          target: 'yes',
          measured:
            `${consistent ? 'yes' : 'NO'}: ${db.ballots} ballots, ${responded.size} responded, ${votesAccepted} accepted; ` +
            `${going} going (capacity ${CAPACITY}), ${db.waitlisted} waitlisted, ${accepted.rsvp.size} RSVPs acknowledged`,
          ok: consistent,
        },
      ];
    } finally {
      await env.close();
    }
  },
};
