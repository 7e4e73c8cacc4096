/**
 * A least-recently-used map bounded by entry count and by an estimate of the bytes its values hold,
 * so a cache of rendered pages cannot grow an API process past its memory budget. Map iteration order
 * is insertion order: re-inserting on read moves an entry to the young end, eviction takes the old end.
 */
export class BoundedLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes || this.maxEntries <= 0) return;
    const existing = this.entries.get(key);
    if (existing) {
      this.bytes -= existing.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.bytes -= this.entries.get(oldest)!.bytes;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** Rough size in memory of JSON-like data: UTF-16 strings plus a small cost per value. */
export function approximateBytes(value: unknown): number {
  if (value === null || value === undefined) return 8;
  switch (typeof value) {
    case 'string':
      return 16 + value.length * 2;
    case 'number':
    case 'boolean':
      return 8;
    case 'object': {
      if (value instanceof Date) return 32;
      let total = 32;
      if (Array.isArray(value)) {
        for (const item of value) total += approximateBytes(item);
      } else {
        for (const [k, v] of Object.entries(value as Record<string, unknown>))
          total += k.length * 2 + approximateBytes(v);
      }
      return total;
    }
    default:
      return 16;
  }
}
