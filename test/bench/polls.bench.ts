import autocannon from 'autocannon';
import { loadConfig } from '@cophub/core';
import { AccessTokenService } from '@cophub/identity';
import { openWith, sealingKey } from '@cophub/polls';
import type { Bench } from './run';
import { BenchEnvironment, BenchRow, fmt, percentile } from './harness';

const MEMBERS = 10_000;
const PROFESSIONS = ['PWP', 'CYWP', 'EMHP', 'MHWP'];
const STAGES = ['trainee', 'qualified', 'senior'];
const REGIONS = ['north_west', 'london', 'midlands', 'south_west', 'south_east'];

/**
 * 10,000 members of one community vote at once, each sending their ballot twice (20,000 requests,
 * 100 connections): throughput, double votes (must be 0) and an exact tally (read from the sealed
 * ballots with the key). Then the close (every ballot opened, re-sealed in random order and the one
 * publication computed, in one transaction) and the results with breakdowns by profession, career
 * stage and region over the 10,000 ballots, timed end to end.
 */
export const pollsBench: Bench = {
  name: 'polls',
  async run(): Promise<BenchRow[]> {
    const env = await BenchEnvironment.start({ RATE_LIMIT_VOTES_PER_USER_PER_MINUTE: '1000' });
    try {
      const [community] = await env.query<{ id: string }>(
        `INSERT INTO communities (slug, name, region) VALUES ('bench-cop', 'Bench CoP', 'north_west') RETURNING id`,
      );
      const users = await env.query<{ id: string; i: number }>(
        `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, email_verified_at)
         SELECT 'voter' || g || '@example.nhs.net', 'x', 'Voter ' || g, ($1::text[])[1 + g % 4], ($2::text[])[1 + g % 3],
                ($3::text[])[1 + g % 5], now()
           FROM generate_series(0, $4) g
         RETURNING id, substring(email from 'voter(\\d+)@')::int AS i`,
        [PROFESSIONS, STAGES, REGIONS, MEMBERS],
      );
      users.sort((a, b) => a.i - b.i);
      // User 0 is the co-chair; 1..10,000 are members.
      await env.query(
        `INSERT INTO memberships (community_id, user_id, status, role)
         SELECT $1, id, 'approved', CASE WHEN id = $3 THEN 'co_chair' ELSE 'member' END FROM unnest($2::uuid[]) id`,
        [community.id, users.map((u) => u.id), users[0].id],
      );
      await env.startSessions(users.map((u) => u.id));
      const tokens = new AccessTokenService(loadConfig(env.env));
      const token = (id: string) => tokens.sign({ id, isAdmin: false, sessionId: id });
      const voters = users.slice(1).map((u) => ({ i: u.i, token: token(u.id) }));

      const api = await env.startApi();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const call = async (method: string, path: string, body?: object): Promise<any> => {
        const response = await fetch(`${api.url}${path}`, {
          method,
          // Signed per call: under load the voting run can outlast an access token's lifetime.
          headers: { authorization: `Bearer ${token(users[0].id)}`, 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const poll = await call('POST', '/api/v1/communities/bench-cop/polls', {
        title: 'Bench poll',
        questions: [
          { kind: 'single_choice', prompt: 'Choice', options: ['A', 'B', 'C', 'D'] },
          { kind: 'likert', prompt: 'Agree?' },
        ],
      });
      const openStarted = performance.now();
      await call('POST', `/api/v1/polls/${poll.id}/open`, {});
      const openMs = performance.now() - openStarted;
      const [choice, likert] = poll.questions as Array<{ id: string; options: Array<{ id: string }> }>;
      // Answers not in lockstep with the profile (which cycles with i % 60), so groups are mixed as in
      // real life rather than each answering as one (which the auditor would rightly withhold).
      const choiceOf = (i: number) => (i + Math.floor(i / 7)) % 4;
      const body = (i: number) =>
        JSON.stringify({
          answers: [
            { questionId: choice.id, optionIds: [choice.options[choiceOf(i)].id] },
            { questionId: likert.id, value: 1 + ((i * 3 + Math.floor(i / 11)) % 5) },
          ],
        });

      // Requests 2k and 2k+1 are the same member's two submissions, sent back to back.
      let next = 0;
      const result = await autocannon({
        url: `${api.url}/api/v1/polls/${poll.id}/responses`,
        connections: 100,
        amount: MEMBERS * 2,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => {
              const voter = voters[Math.floor(next / 2) % voters.length];
              next += 1;
              return {
                ...request,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${voter.token}` },
                body: body(voter.i),
              };
            },
          },
        ],
      });
      const seconds = result.duration;
      const accepted = result['2xx'];

      // While open an anonymous poll shows its turnout only: one count per request.
      const openTimes: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        const started = performance.now();
        await call('GET', `/api/v1/polls/${poll.id}/results`);
        openTimes.push(performance.now() - started);
      }
      const closeStarted = performance.now();
      await call('POST', `/api/v1/polls/${poll.id}/close`, {});
      const closeMs = performance.now() - closeStarted;
      // Anonymous ballots are only ever stored sealed: the tally is read by opening them with the key.
      const [db] = await env.query<{ ballots: number; responded: number; clear: number }>(
        `SELECT (SELECT count(*)::int FROM poll_sealed_ballots WHERE poll_id = $1) AS ballots,
                (SELECT count(*)::int FROM poll_electorate WHERE poll_id = $1 AND responded) AS responded,
                (SELECT count(*)::int FROM poll_ballots WHERE poll_id = $1) AS clear`,
        [poll.id],
      );
      const sealedRows = await env.query<{ sealed: Buffer }>(
        `SELECT sealed FROM poll_sealed_ballots WHERE poll_id = $1`,
        [poll.id],
      );
      const key = sealingKey(env.env.POLL_BALLOT_KEY || env.env.JWT_SECRET, poll.id);
      const measured = choice.options.map(() => 0);
      for (const row of sealedRows) {
        const picked = openWith(key, row.sealed).rows.find((r) => r.questionId === choice.id)?.optionId;
        const at = choice.options.findIndex((o) => o.id === picked);
        if (at >= 0) measured[at] += 1;
      }
      const expected = [0, 1, 2, 3].map((k) => voters.filter((v) => choiceOf(v.i) === k).length);
      const exact = JSON.stringify(expected) === JSON.stringify(measured) && db.clear === 0;
      const doubles = db.ballots - db.responded;
      const times: number[] = [];
      let breakdownCells = 0;
      for (let i = 0; i < 40; i += 1) {
        const started = performance.now();
        const results = await call('GET', `/api/v1/polls/${poll.id}/results`);
        times.push(performance.now() - started);
        if (i === 0) {
          breakdownCells = results.questions.reduce(
            (sum: number, q: { breakdowns: Record<string, { rows: Array<{ cells: unknown[] }> }> }) =>
              sum +
              Object.values(q.breakdowns ?? {}).reduce(
                (s, t) => s + t.rows.reduce((r, row) => r + row.cells.length, 0),
                0,
              ),
            0,
          );
        }
      }
      // The publication is computed in the closing transaction; the first request reads it from
      // PostgreSQL, later ones from the cache.
      const cold = times[0];
      const warm = times.slice(5);
      return [
        {
          figure: 'poll open: electorate snapshot + 10,000 invitations',
          target: '-',
          measured: `${fmt(openMs)} ms`,
          ok: null,
        },
        {
          figure: '10,000 members voting twice at once (100 connections)',
          target: '-',
          measured: `${fmt((MEMBERS * 2) / seconds)} req/s, ${fmt(accepted / seconds)} ballots/s, p99 ${fmt(result.latency.p99)} ms`,
          ok: null,
        },
        {
          // autocannon counts a timeout among its errors too; they are told apart here.
          figure: 'ballots accepted / refused as second votes / errors / client timeouts (10 s)',
          target: '10,000 / 10,000 / 0 / 0',
          measured: `${fmt(accepted)} / ${fmt(result.non2xx)} / ${result.errors - result.timeouts} / ${result.timeouts}`,
          ok: accepted === MEMBERS && result.non2xx === MEMBERS && result.errors === 0,
        },
        {
          figure: 'double votes (ballots − members responded)',
          target: '0',
          measured: `${doubles} (ballots ${fmt(db.ballots)})`,
          ok: doubles === 0 && db.ballots === MEMBERS,
        },
        { figure: 'tally exact', target: 'yes', measured: exact ? 'yes' : `no: ${measured} vs ${expected}`, ok: exact },
        {
          figure:
            'close: 10,000 sealed ballots opened, re-sealed in random order, publication computed (one transaction)',
          target: '-',
          measured: `${fmt(closeMs)} ms`,
          ok: null,
        },
        {
          figure: `results with breakdowns over 10,000 ballots, first read after close (HTTP, ${breakdownCells} cells)`,
          target: '< 150 ms',
          measured: `${fmt(cold, 1)} ms (open poll, turnout only: p50 ${fmt(percentile(openTimes, 50), 1)} ms)`,
          ok: cold < 150,
        },
        {
          figure: 'results with breakdowns after close, repeat requests p50 / p95',
          target: '< 50 ms',
          measured: `${fmt(percentile(warm, 50), 1)} / ${fmt(percentile(warm, 95), 1)} ms`,
          ok: percentile(warm, 95) < 50,
        },
      ];
    } finally {
      await env.close();
    }
  },
};
