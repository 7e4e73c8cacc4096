/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. If stopping takes longer than `timeoutMs` (a job
 * or request that will not finish), the process exits anyway: an orchestrator sends SIGKILL soon after,
 * and leaving on our own terms gets the log line out. Work cut off this way is retried elsewhere (jobs
 * are re-run by BullMQ's stalled check; requests by clients with their Idempotency-Key).
 */
export function stopOnSignals(what: string, timeoutMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${what}: ${signal} received, stopping (deadline ${timeoutMs} ms)`);
    const started = Date.now();
    // A little over the deadline: `stop` itself uses the deadline and should finish first.
    setTimeout(() => {
      console.error(`${what}: still stopping after ${Date.now() - started} ms; exiting now`);
      process.exit(1);
    }, timeoutMs + 2_000).unref();
    stop().then(
      () => {
        console.log(`${what}: stopped in ${Date.now() - started} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`${what}: error while stopping`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
