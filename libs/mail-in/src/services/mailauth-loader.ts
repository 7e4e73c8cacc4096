/**
 * mailauth 7 loads undici 8 for BIMI (which we switch off), and undici 8 calls Node 22's
 * `worker_threads.markAsUncloneable` while loading. On Node 20 that function does not exist and the
 * whole of mailauth fails to load, so give it the no-op it stands for (marking an object as not
 * structured-cloneable) before loading mailauth. Remove when the runtime is Node 22.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const workerThreads = require('node:worker_threads') as { markAsUncloneable?: (value: object) => void };
if (typeof workerThreads.markAsUncloneable !== 'function') workerThreads.markAsUncloneable = () => undefined;

export const mailauth = require('mailauth') as typeof import('mailauth');
