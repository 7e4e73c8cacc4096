import { Family, parsePrometheusText } from './prometheus-text';

/** A `/metrics` answer, read by the strict text-format reader (`parsePrometheusText`, which throws on anything invalid). */
export class Scrape {
  constructor(readonly families: Family[]) {}

  static async of(url: string, token?: string): Promise<Scrape> {
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    const type = response.headers.get('content-type') ?? '';
    if (!type.startsWith('text/plain; version=0.0.4')) throw new Error(`${url} answered ${type}, not the text format`);
    return new Scrape(parsePrometheusText(await response.text()));
  }

  family(name: string): Family | undefined {
    return this.families.find((f) => f.name === name);
  }

  /**
   * The value of the sample named `name` (a histogram's `<family>_count` for its count) whose labels
   * include `labels`; undefined when there is none.
   */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    for (const family of this.families) {
      const sample = family.samples.find(
        (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
      );
      if (sample) return sample.value;
    }
    return undefined;
  }
}
