import 'reflect-metadata';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertServicesReachable, dataSourceOptions, loadConfig, loadDotEnv, runMain, Sql } from '@cophub/core';
import { ALL_ENTITIES } from '@cophub/schema';
import { seedContent } from './content.seed';
import { addApprovedMember, listAsContact, upsertCommunity, upsertUser } from './db/identity.sql';
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
      const db = Sql.over(manager);
      const communityId = await upsertCommunity(db, COMMUNITY);
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
        const userId = await upsertUser(db, person, hash);
        if (person.role) await addApprovedMember(db, communityId, userId, person.role);
        credentials.push([person.email, password, person.isAdmin ? 'admin' : (person.role ?? '')]);
        if (person.role) memberIds.push(userId);
        if (person.role === 'co_chair') coChairId ??= userId;
      }
      await seedEvents(db, communityId, memberIds, coChairId!);
      await seedContent(db, communityId, memberIds, coChairId!);
      await seedPastEvents(db, communityId, coChairId!);
      await seedPages(db, communityId, coChairId!);
      // The first co-chair agrees to be the key contact on the overview.
      await listAsContact(db, communityId, coChairId!);
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
