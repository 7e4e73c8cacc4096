/**
 * Jobs carry ids, never data: the handler re-reads the database when it runs, and does nothing when what it was for
 * has changed or is gone. Core names no job: each module declares its own, in its `jobs/<module>.jobs.ts`:
 *
 * - the payload of each job, by merging into `JobPayloads`:
 *   `declare module '@cophub/core' { interface JobPayloads { 'mail.send': { outboxId: string } } }`
 * - the job names and the module's queue, with `declareJobs('mail', { Send: 'mail.send' })`, which answers the
 *   names to use (`MailJob.Send`). A job has one queue; declaring it on two throws.
 *
 * The worker runs the jobs the apps list (`ALL_JOBS` in `@cophub/schema`) and refuses to start when one has no
 * handler or two.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}

/** Every job's name: the keys the modules merged into `JobPayloads`. */
export type JobName = Extract<keyof JobPayloads, string>;

export type JobPayload<N extends JobName> = JobPayloads[N];

/** A BullMQ queue: one per module that has jobs (named by its jobs declaration). */
export type QueueName = string;

const QUEUE_OF = new Map<string, QueueName>();

/** Declares a module's jobs on its queue; answers the names (`{ Send: 'mail.send' }`) to enqueue and handle them by. */
export function declareJobs<const J extends Record<string, JobName>>(queue: QueueName, jobs: J): Readonly<J> {
  for (const name of Object.values(jobs)) {
    const declared = QUEUE_OF.get(name);
    if (declared && declared !== queue) throw new Error(`job ${name} is declared on queues ${declared} and ${queue}`);
    QUEUE_OF.set(name, queue);
  }
  return Object.freeze({ ...jobs });
}

/** The queue that carries a job; throws for a job no module declared. */
export function queueOf(name: JobName): QueueName {
  const queue = QUEUE_OF.get(name);
  if (!queue) throw new Error(`job ${name} is not declared (declareJobs in its module's jobs declaration)`);
  return queue;
}

/** The queues of every job declared in this process so far (the modules it loaded). */
export function declaredQueues(): QueueName[] {
  return [...new Set(QUEUE_OF.values())];
}
