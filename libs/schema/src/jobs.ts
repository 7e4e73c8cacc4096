// Each module's jobs declaration (its names, payloads and queue), imported by path like the migration lists: the
// declarations import only core, so the worker's list of jobs does not depend on which services it loads.
import type { JobName } from '../../core/src/queue/jobs';
import { EVENTS_QUEUE, EventJob } from '../../events/src/jobs/events.jobs';
import { FORUM_QUEUE, ForumJob } from '../../forum/src/jobs/forum.jobs';
import { MAIL_QUEUE, MailJob } from '../../mail/src/jobs/mail.jobs';
import { POLLS_QUEUE, PollJob } from '../../polls/src/jobs/polls.jobs';
import { RESOURCES_QUEUE, ResourceJob } from '../../resources/src/jobs/resources.jobs';

export { EVENTS_QUEUE, FORUM_QUEUE, MAIL_QUEUE, POLLS_QUEUE, RESOURCES_QUEUE };

/** Every module's jobs, by module. */
export const JOBS_BY_MODULE: Readonly<Record<string, Readonly<Record<string, JobName>>>> = {
  mail: MailJob,
  events: EventJob,
  resources: ResourceJob,
  polls: PollJob,
  forum: ForumJob,
};

/** Every job of the product: the worker runs them all and refuses to start when one has no handler or two. */
export const ALL_JOBS: JobName[] = Object.values(JOBS_BY_MODULE).flatMap((jobs) => Object.values(jobs));
