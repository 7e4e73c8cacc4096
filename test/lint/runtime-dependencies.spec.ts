import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The lint rule that keeps runtime imports in `dependencies`: the production image installs only those, so a
 * process importing a devDependency starts in the test suite (which installs everything) and fails in production
 * with "Cannot find module" (as the API and mail-in did with mailparser and smtp-server).
 */
const root = join(__dirname, '..', '..');
const run = promisify(execFile);

interface LintMessage {
  ruleId: string | null;
  message: string;
}

async function lint(filePath: string, source: string): Promise<LintMessage[]> {
  const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const linting = run(process.execPath, [eslint, '--stdin', '--stdin-filename', filePath, '--format', 'json'], {
    cwd: root,
    maxBuffer: 10 * 1024 * 1024,
  });
  linting.child.stdin?.end(source);
  const { stdout } = await linting.catch((error: { stdout?: string }) => {
    // ESLint exits 1 when it reports an error; the report is still on stdout.
    if (error.stdout) return { stdout: error.stdout, stderr: '' };
    throw error;
  });
  const [result] = JSON.parse(stdout) as { messages: LintMessage[] }[];
  return result.messages;
}

const rule = 'import-x/no-extraneous-dependencies';
const ruleHits = (messages: LintMessage[]) => messages.filter((m) => m.ruleId === rule);

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
