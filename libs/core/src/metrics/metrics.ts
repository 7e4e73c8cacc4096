import { timingSafeEqual } from 'node:crypto';
import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Registry,
} from 'prom-client';

/** The Prometheus text format's content type, for every `/metrics` answer. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** How long one collector may take on a scrape (a Redis or PostgreSQL reading) before it is left out. */
export const COLLECT_TIMEOUT_MS = 2_000;

/**
 * Node's own metrics (CPU, memory, heap, event-loop lag, GC, handles): one set per process, however
 * many applications it builds (the tests build many), created on the first scrape.
 */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The application's metrics, served as `/metrics` in the Prometheus text format: by the API on its own
 * port, by the worker and mail-in on `METRICS_PORT`. Each application has its own registry, so two in one
 * process (the tests) count apart; every name starts with `cophub_`. Collectors that read PostgreSQL or
 * Redis on a scrape go through `collect`, which bounds them and leaves their series out when the service
 * does not answer: a scrape never fails or hangs because a dependency is away.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly collectFailures: Counter<'collector'>;

  constructor() {
    this.collectFailures = this.counter({
      name: 'cophub_metrics_collect_failures_total',
      help: 'Scrapes on which a collector (PostgreSQL or Redis reading) failed or timed out, so its series were left out',
      labelNames: ['collector'],
    });
  }

  counter<L extends string = string>(config: CounterConfiguration<L>): Counter<L> {
    return new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string = string>(config: GaugeConfiguration<L>): Gauge<L> {
    return new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string = string>(config: HistogramConfiguration<L>): Histogram<L> {
    return new Histogram({ ...config, registers: [this.registry] });
  }

  /**
   * Gauges whose values are read on each scrape by `read` (one reading for several gauges). A reading
   * that fails or takes longer than `COLLECT_TIMEOUT_MS` empties the gauges for that scrape (labelled
   * series are left out, an unlabelled gauge reads 0) and counts in `cophub_metrics_collect_failures_total`
   * (seen from the next scrape).
   */
  collect(name: string, gauges: Array<Gauge<string>>, read: () => Promise<void>): void {
    let running: Promise<void> | null = null;
    // prom-client asks every gauge at once on a scrape; they share one reading and answer after it.
    const collect = async () => {
      running ??= this.bounded(name, gauges, read).finally(() => (running = null));
      await running;
    };
    for (const gauge of gauges) (gauge as unknown as { collect: () => Promise<void> }).collect = collect;
  }

  private async bounded(name: string, gauges: Array<Gauge<string>>, read: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name} did not answer in time`)), COLLECT_TIMEOUT_MS);
    });
    const reading = read();
    try {
      await Promise.race([reading, timeout]);
    } catch {
      for (const gauge of gauges) gauge.reset();
      this.collectFailures.inc({ collector: name });
    } finally {
      clearTimeout(timer);
      reading.catch(() => undefined);
    }
  }

  /** This application's metrics followed by the process's, in the Prometheus text format. */
  async text(): Promise<string> {
    const own = await this.registry.metrics();
    return `${own}\n${await processMetrics().metrics()}`;
  }
}

/**
 * Whether a scrape may read the metrics: always when `METRICS_TOKEN` is unset, else only with
 * `Authorization: Bearer <token>` (compared in constant time).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token) return true;
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]);
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
