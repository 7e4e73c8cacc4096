import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stdoutDestination } from './logging';
import { currentTraceId, runWithTrace } from './trace';

describe('stdoutDestination', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cophub-log-'));
    file = join(dir, 'out.log');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const written = () => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return ''; // not opened yet
    }
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Lets the burst's last flush run, then closes the file. */
  const close = async (destination: { end(): void }, flushMs: number) => {
    await wait(2 * flushMs + 50);
    destination.end();
  };

  it('holds a lone line only until the flush interval, not until 4 KB have gathered', async () => {
    const destination = stdoutDestination(50, file);
    destination.write('{"msg":"disk full"}\n');
    await wait(5);
    expect(written()).toBe('');
    await wait(300);
    expect(written()).toBe('{"msg":"disk full"}\n');
    // Lines arriving while a write is in flight are written by the burst's last flush.
    destination.write('{"msg":"second"}\n');
    await wait(20);
    destination.write('{"msg":"third"}\n');
    await wait(300);
    expect(written().split('\n').filter(Boolean)).toHaveLength(3);
    await close(destination, 50);
  });

  it('writes full buffers at once under load', async () => {
    const destination = stdoutDestination(1_000, file);
    const line = `${JSON.stringify({ msg: 'x'.repeat(200) })}\n`;
    for (let i = 0; i < 40; i += 1) destination.write(line);
    await wait(100);
    expect(written().length).toBeGreaterThanOrEqual(4096);
    await close(destination, 1_000);
    expect(written().length).toBe(40 * line.length);
  });
});

describe('trace context', () => {
  it('is the trace id of the work running, across awaits, and nothing outside it', async () => {
    expect(currentTraceId()).toBeUndefined();
    const seen = await runWithTrace('trace-1', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return currentTraceId();
    });
    expect(seen).toBe('trace-1');
    expect(currentTraceId()).toBeUndefined();
  });
});
