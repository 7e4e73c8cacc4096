import { ReadBatches } from './read-batches';

/** A lookup whose answers the test releases one at a time, recording who each one served. */
function controlledLookup() {
  const calls: Array<{ key: string; members: string[]; answer: (value: number) => void; fail: (e: Error) => void }> =
    [];
  const lookup = (key: string, members: string[]) =>
    new Promise<number>((resolve, reject) => {
      calls.push({ key, members: [...members], answer: resolve, fail: reject });
    });
  return { calls, lookup };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadBatches', () => {
  it('looks up the first reader of a quiet key at once', async () => {
    const { calls, lookup } = controlledLookup();
    const batches = new ReadBatches(lookup);
    const read = batches.read('t1', 'ann');
    expect(calls).toHaveLength(1);
    expect(calls[0].members).toEqual(['ann']);
    calls[0].answer(7);
    await expect(read).resolves.toBe(7);
    await settle();
    expect(batches.busyKeys).toBe(0);
  });

  it('never answers a reader from a lookup sent before it asked; later readers share the next lookup', async () => {
    const { calls, lookup } = controlledLookup();
    const batches = new ReadBatches(lookup);
    const first = batches.read('t1', 'ann');
    // These arrive while the first lookup runs: they must wait for a lookup sent after them.
    const second = batches.read('t1', 'bob');
    const third = batches.read('t1', 'cat');
    expect(calls).toHaveLength(1);
    calls[0].answer(1);
    await expect(first).resolves.toBe(1);
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1].members).toEqual(['bob', 'cat']);
    calls[1].answer(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
  });

  it('keeps keys apart and hands a failed lookup to its own readers only', async () => {
    const { calls, lookup } = controlledLookup();
    const batches = new ReadBatches(lookup);
    const one = batches.read('t1', 'ann');
    const other = batches.read('t2', 'ann');
    expect(calls.map((c) => c.key)).toEqual(['t1', 't2']);
    const waiting = batches.read('t1', 'bob');
    calls[0].fail(new Error('database away'));
    await expect(one).rejects.toThrow('database away');
    await settle();
    calls[2].answer(3);
    await expect(waiting).resolves.toBe(3);
    calls[1].answer(4);
    await expect(other).resolves.toBe(4);
    await settle();
    expect(batches.busyKeys).toBe(0);
  });
});
