import { hitsOf, lint, LintMessage } from './lint';

/**
 * The lint rule that keeps runtime imports in `dependencies`: the production image installs only those, so a
 * process importing a devDependency starts in the test suite (which installs everything) and fails in production
 * with "Cannot find module" (as the API and mail-in did with mailparser and smtp-server).
 */
const rule = 'import-x/no-extraneous-dependencies';
const ruleHits = (messages: LintMessage[]) => hitsOf(rule, messages);

describe('runtime imports of devDependencies', () => {
  jest.setTimeout(120_000);

  it('refuses an import of a devDependency in a library the API runs', async () => {
    const hits = ruleHits(
      await lint('libs/forum/src/services/example.ts', "import request from 'supertest';\nexport const r = request;\n"),
    );
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/'supertest' should be listed in the project's dependencies/);
  });

  it('refuses a require of a devDependency in a process entry point', async () => {
    const hits = ruleHits(
      await lint(
        'apps/worker/src/example.ts',
        "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const fc = require('fast-check');\n",
      ),
    );
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/'fast-check'/);
  });

  it('accepts the inbound mail parser and SMTP server, which are production dependencies', async () => {
    const source =
      "import { simpleParser } from 'mailparser';\nimport { SMTPServer } from 'smtp-server';\nexport const x = [simpleParser, SMTPServer];\n";
    expect(ruleHits(await lint('apps/mail-in/src/example.ts', source))).toEqual([]);
  });

  it('lets tests, test support and the bundled web app use devDependencies', async () => {
    const source = "import request from 'supertest';\nexport const r = request;\n";
    expect(ruleHits(await lint('test/e2e/example.e2e-spec.ts', source))).toEqual([]);
    expect(ruleHits(await lint('libs/testing/src/example.ts', source))).toEqual([]);
    expect(ruleHits(await lint('libs/forum/src/services/example.spec.ts', source))).toEqual([]);
    expect(
      ruleHits(
        await lint(
          'apps/web/src/example.ts',
          "import { useQuery } from '@tanstack/react-query';\nexport const q = useQuery;\n",
        ),
      ),
    ).toEqual([]);
  });

  it('ignores type-only imports, which the compiler erases', async () => {
    const source = "import type { Options } from 'autocannon';\nexport type O = Options;\n";
    expect(ruleHits(await lint('libs/core/src/example.ts', source))).toEqual([]);
  });
});
