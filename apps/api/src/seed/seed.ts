import 'reflect-metadata';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertServicesReachable, dataSourceOptions, loadConfig, loadDotEnv, runMain } from '@cophub/core';
import { ALL_ENTITIES } from '@cophub/schema';
import { seedContent } from './content.seed';
import { seedEvents, seedPastEvents } from './events.seed';
import { seedPages } from './pages.seed';

interface SeedPerson {
  email: string;
  displayName: string;
  profession: string;
  careerStage: string;
  organisation: string;
  role?: 'member' | 'moderator' | 'co_chair';
  isAdmin?: boolean;
}

const COMMUNITY = {
  slug: 'north-west-cop',
  name: 'North West Psychological Practitioner CoP',
  description:
    'The Community of Practice for PWPs, CYWPs, EMHPs and MHWPs across the North West: share practice, ' +
    'shape policy and tell the Workforce Council what the workforce thinks.',
  region: 'north_west',
  autoApproveDomains: ['nhs.net'],
  aims:
    'Network and share skills and knowledge; gather the workforce’s views to shape policy and inform ' +
    'representation at the PPN Workforce Council; support career progression and role clarity.',
  audience:
    'Psychological Wellbeing Practitioners, Children and Young People’s Wellbeing Practitioners, Education ' +
    'Mental Health Practitioners and Mental Health and Wellbeing Practitioners in the North West, from trainees to supervisors.',
};

const ORGS = [
  'Greater Manchester Mental Health NHS FT',
  'Mersey Care NHS FT',
  'Lancashire & South Cumbria NHS FT',
  'Pennine Care NHS FT',
  'Cheshire and Wirral Partnership NHS FT',
];

/** Two co-chairs, a moderator, and members across all four professions and all three career stages. */
function people(): SeedPerson[] {
  const list: SeedPerson[] = [
    {
      email: 'admin@cophub.localhost',
      displayName: 'Platform Admin',
      profession: 'other',
      careerStage: 'senior',
      organisation: 'CoP Hub',
      isAdmin: true,
    },
    {
      email: 'priya.shah@cophub.localhost',
      displayName: 'Priya Shah',
      profession: 'PWP',
      careerStage: 'senior',
      organisation: ORGS[0],
      role: 'co_chair',
    },
    {
      email: 'tom.okafor@cophub.localhost',
      displayName: 'Tom Okafor',
      profession: 'MHWP',
      careerStage: 'senior',
      organisation: ORGS[1],
      role: 'co_chair',
    },
    {
      email: 'grace.lee@cophub.localhost',
      displayName: 'Grace Lee',
      profession: 'EMHP',
      careerStage: 'qualified',
      organisation: ORGS[2],
      role: 'moderator',
    },
  ];
  const first = ['Amira', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Hana', 'Isaac', 'Jess', 'Kofi', 'Lucy', 'Marek'];
  const professions = ['PWP', 'CYWP', 'EMHP', 'MHWP'];
  const stages = ['trainee', 'qualified', 'senior'];
  let i = 0;
  for (const profession of professions) {
    for (const careerStage of stages) {
      const name = first[i];
      list.push({
        email: `${name.toLowerCase()}.${profession.toLowerCase()}@cophub.localhost`,
        displayName: `${name} (${profession}, ${careerStage})`,
        profession,
        careerStage,
        organisation: ORGS[i % ORGS.length],
        role: 'member',
      });
      i += 1;
    }
  }
  return list;
}

function newPassword(): string {
  return `demo-${randomBytes(6).toString('base64url')}-${randomBytes(3).toString('hex')}`;
}

async function upsertUser(manager: EntityManager, person: SeedPerson, passwordHash: string): Promise<string> {
  const [row] = await manager.query(
    `INSERT INTO users (email, password_hash, display_name, profession, career_stage, region, organisation, email_verified_at, is_admin)
     VALUES ($1, $2, $3, $4, $5, 'north_west', $6, now(), $7)
     ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, updated_at = now()
     RETURNING id`,
    [
      person.email,
      passwordHash,
      person.displayName,
      person.profession,
      person.careerStage,
      person.organisation,
      person.isAdmin ?? false,
    ],
  );
  return row.id;
}

/**
 * `npm run seed`: the demo community and its people. Safe to run again: it keeps what exists and
 * sets fresh passwords, which it prints (they are never written in docs or code).
 */
runMain(async () => {
  loadDotEnv();
  const config = loadConfig();
  await assertServicesReachable(config, { redis: false });
  const dataSource = new DataSource(
    dataSourceOptions({ url: config.databaseUrl, entities: ALL_ENTITIES, poolSize: 2 }),
  );
  await dataSource.initialize();
  const credentials: Array<[string, string, string]> = [];
  try {
    await dataSource.transaction(async (manager) => {
      const [community] = await manager.query(
        `INSERT INTO communities (slug, name, description, region, auto_approve_domains, aims, audience)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, aims = EXCLUDED.aims, audience = EXCLUDED.audience
         RETURNING id`,
        [
          COMMUNITY.slug,
          COMMUNITY.name,
          COMMUNITY.description,
          COMMUNITY.region,
          COMMUNITY.autoApproveDomains,
          COMMUNITY.aims,
          COMMUNITY.audience,
        ],
      );
      const memberIds: string[] = [];
      let coChairId: string | undefined;
      for (const person of people()) {
        const password = newPassword();
        const hash = await argon2.hash(password, {
          type: argon2.argon2id,
          memoryCost: config.auth.argon2MemoryKiB,
          timeCost: 2,
          parallelism: 1,
        });
        const userId = await upsertUser(manager, person, hash);
        if (person.role) {
          await manager.query(
            `INSERT INTO memberships (community_id, user_id, status, role, decided_at)
             VALUES ($1, $2, 'approved', $3, now())
             ON CONFLICT (community_id, user_id) DO NOTHING`,
            [community.id, userId, person.role],
          );
        }
        credentials.push([person.email, password, person.isAdmin ? 'admin' : (person.role ?? '')]);
        if (person.role) memberIds.push(userId);
        if (person.role === 'co_chair') coChairId ??= userId;
      }
      await seedEvents(manager, community.id, memberIds, coChairId!);
      await seedContent(manager, community.id, memberIds, coChairId!);
      await seedPastEvents(manager, community.id, coChairId!);
      await seedPages(manager, community.id, coChairId!);
      // The first co-chair agrees to be the key contact on the overview.
      await manager.query(`UPDATE memberships SET listed_as_contact = true WHERE community_id = $1 AND user_id = $2`, [
        community.id,
        coChairId,
      ]);
    });
  } finally {
    await dataSource.destroy();
  }
  console.log(
    `\nSeeded "${COMMUNITY.name}" (/c/${COMMUNITY.slug}). Sign in with any of these (new passwords each seed):\n`,
  );
  for (const [email, password, role] of credentials)
    console.log(`  ${email.padEnd(34)} ${password.padEnd(24)} ${role}`);
  console.log('');
});
