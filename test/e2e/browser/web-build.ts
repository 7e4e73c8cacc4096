import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const WEB = join(ROOT, 'apps/web');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'dist' || name === 'node_modules') return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** A hash of the web app's sources: a build is reused only while the sources are unchanged. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(WEB).sort()) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`web build failed (${code}):\n${output}`))));
  });
}

/**
 * The production web build for browser tests: a Vite build into a temp folder named by the sources'
 * hash, so it is made once per change and shared by the test files of a run (written under a private
 * name and renamed, so parallel files never see a half-written build).
 */
export async function webBuild(): Promise<string> {
  const hash = sourceHash();
  const target = join(tmpdir(), `cophub-web-${hash}`);
  if (existsSync(join(target, 'index.html'))) return target;
  const scratch = `${target}.${process.pid}`;
  await run(
    process.execPath,
    [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB, 'vite.config.ts')],
    {
      WEB_OUT_DIR: scratch,
      NODE_ENV: 'production',
    },
  );
  try {
    renameSync(scratch, target);
  } catch {
    // Another test file finished the same build first; theirs is identical.
    rmSync(scratch, { recursive: true, force: true });
  }
  return target;
}
