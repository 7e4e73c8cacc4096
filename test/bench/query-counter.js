'use strict';
/**
 * Bench-only preload (`node -r ./test/bench/query-counter.js ...`): counts PostgreSQL round trips
 * made through node-postgres, so a benchmark can report queries per request. The count is sent to
 * the parent over the IPC channel when it asks; the product itself carries no counting code.
 */
const { dirname } = require('node:path');

// The pg the application itself loads (resolved from its entry point, which may be another build).
const { Client } = require(require.resolve('pg', { paths: [dirname(process.argv[1])] }));

let queries = 0;
const query = Client.prototype.query;
Client.prototype.query = function countedQuery(...args) {
  queries += 1;
  return query.apply(this, args);
};

if (process.send) {
  process.on('message', (message) => {
    if (message === 'query-count') process.send({ queryCount: queries });
  });
  // The channel must not keep a stopping process alive.
  process.channel?.unref();
}
