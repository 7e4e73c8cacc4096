import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Lints `source` as if it were the file at `filePath` (relative to the repository), with the project's config. */
const root = join(__dirname, '..', '..');
const run = promisify(execFile);

export interface LintMessage {
  ruleId: string | null;
  message: string;
  line: number;
}

export async function lint(filePath: string, source: string): Promise<LintMessage[]> {
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

/** The messages of one rule. */
export function hitsOf(rule: string, messages: LintMessage[]): LintMessage[] {
  return messages.filter((m) => m.ruleId === rule);
}
