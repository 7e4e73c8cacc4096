import { declareJobs, JobName, queueOf } from '@cophub/core';
import { ALL_JOBS } from './jobs';

describe('the jobs each module declares', () => {
  it('are every job of the product, each on the queue that carried it before (jobs waiting in Redis keep their queue)', () => {
    expect(Object.fromEntries(ALL_JOBS.map((name) => [name, queueOf(name)]))).toEqual({
      'mail.send': 'mail',
      'events.reminder': 'events',
      'resources.extract': 'resources',
      'poll.open': 'polls',
      'poll.close': 'polls',
      'poll.remind': 'polls',
      'forum.fanout': 'forum',
    });
  });

  it('refuses a job declared on two queues, and answers no queue for a job nobody declared', () => {
    expect(() => declareJobs('forum', { Send: 'mail.send' })).toThrow(
      'job mail.send is declared on queues mail and forum',
    );
    expect(() => queueOf('nobody.declared' as JobName)).toThrow(/job nobody\.declared is not declared/);
  });
});
