/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): what a Prometheus server
 * would refuse, this throws on, naming the line. It checks the grammar (comments, `# HELP` and
 * `# TYPE` lines, samples `name{label="value",…} value [timestamp]`), names, label escapes and float
 * values; that each family's TYPE comes once and before its samples; that no series appears twice; and
 * that every histogram series has cumulative buckets ending at `le="+Inf"`, a `_sum`, and a `_count`
 * equal to its `+Inf` bucket. (The npm parsers tried accept garbage lines and drop the labels of
 * labelled histograms, so they cannot judge this output.)
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES: MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Values as Prometheus reads them (Go's ParseFloat: `NaN`, `+Inf`, `-Inf` in any case). */
function parseValue(text: string, where: string): number {
  const word = text.toLowerCase();
  if (['+inf', 'inf', '+infinity', 'infinity'].includes(word)) return Infinity;
  if (['-inf', '-infinity'].includes(word)) return -Infinity;
  if (word === 'nan') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${where}: "${text}" is not a number`);
  return Number(text);
}

/** Reads `{a="1",b="x\"y"}` from `line` at `start` (just after the name); answers the labels and where it ended. */
function parseLabels(line: string, start: number, where: string): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ') i += 1;
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: a label without "="`);
    const name = line.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new Error(`${where}: "${name}" is not a label name`);
    if (name in labels) throw new Error(`${where}: label ${name} given twice`);
    if (line[eq + 1] !== '"') throw new Error(`${where}: label ${name}'s value is not quoted`);
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j += 1) {
      if (line[j] !== '\\') {
        value += line[j];
        continue;
      }
      const next = line[(j += 1)];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else throw new Error(`${where}: "\\${next}" is not an escape of the format`);
    }
    if (j >= line.length) throw new Error(`${where}: label ${name}'s value is not closed`);
    labels[name] = value;
    i = j + 1;
    if (line[i] === ',') i += 1;
    else if (line[i] !== '}') throw new Error(`${where}: expected "," or "}" after label ${name}`);
  }
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['_bucket', '_sum', '_count', '']) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, sampleName.length - suffix.length));
    if (family && SUFFIXES[family.type].includes(suffix)) return family;
  }
  return undefined;
}

function checkHistograms(family: Family): void {
  const series = new Map<string, Sample[]>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (sample.name.endsWith('_bucket') && le === undefined) throw new Error(`${family.name}: a bucket without le`);
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
    const count = samples.find((s) => s.name.endsWith('_count'));
    if (!samples.some((s) => s.name.endsWith('_sum')) || !count || !buckets.length) {
      throw new Error(`${family.name}${key}: a histogram series needs buckets, _sum and _count`);
    }
    let previous = -Infinity;
    let lastLe = -Infinity;
    for (const bucket of buckets) {
      const le = parseValue(bucket.labels.le, `${family.name} le`);
      if (le <= lastLe || bucket.value < previous) throw new Error(`${family.name}${key}: buckets are not cumulative`);
      lastLe = le;
      previous = bucket.value;
    }
    if (lastLe !== Infinity) throw new Error(`${family.name}${key}: the last bucket is not le="+Inf"`);
    if (count.value !== previous) throw new Error(`${family.name}${key}: _count differs from the +Inf bucket`);
  }
}

export function parsePrometheusText(text: string): Family[] {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const where = `line ${index + 1}`;
    const line = raw.trimEnd();
    if (!line.trim()) return;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!match) return; // any other comment
      const [, kind, name, rest = ''] = match;
      if (!NAME.test(name)) throw new Error(`${where}: "${name}" is not a metric name`);
      const family = families.get(name) ?? { name, type: 'untyped' as MetricType, help: '', samples: [] };
      if (kind === 'TYPE') {
        if (!TYPES.includes(rest.trim() as MetricType)) throw new Error(`${where}: "${rest}" is not a metric type`);
        if (families.has(name) && (family.samples.length || family.type !== 'untyped')) {
          throw new Error(`${where}: TYPE of ${name} after its samples or twice`);
        }
        family.type = rest.trim() as MetricType;
      } else {
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      }
      families.set(name, family);
      return;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`${where}: not a sample: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!NAME.test(name)) throw new Error(`${where}: "${name}" is not a metric name`);
    const { labels, end } = line[nameEnd] === '{' ? parseLabels(line, nameEnd, where) : { labels: {}, end: nameEnd };
    const parts = line.slice(end).trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || !parts[0]) throw new Error(`${where}: expected a value: ${line}`);
    const value = parseValue(parts[0], where);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`${where}: "${parts[1]}" is not a timestamp`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: series ${key} appears twice`);
    seen.add(key);
    let family = familyOf(name, families);
    if (!family) {
      family = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, family);
    }
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) if (family.type === 'histogram') checkHistograms(family);
  return [...families.values()];
}
