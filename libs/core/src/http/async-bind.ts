import { AsyncResource } from 'node:async_hooks';

let installed = false;

function bindTo(resource: AsyncResource, fn: (...args: unknown[]) => unknown, thisArg: unknown) {
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn, thisArg);
  Object.defineProperties(bound, {
    length: { configurable: true, enumerable: false, writable: false, value: fn.length },
    asyncResource: { configurable: true, enumerable: true, writable: true, value: resource },
  });
  return bound;
}

/**
 * `AsyncResource#bind` without the deprecated `asyncResource` accessor. On Node 20 each bind builds
 * two `util.deprecate` wrappers for that accessor (DEP0172) and costs about 20 µs, and every request
 * pays it several times: Nest binds the continuation of each interceptor (`interceptors-consumer`)
 * and Fastify binds its body parser's callback: about 80 µs of a reply's API CPU. The bound
 * function runs exactly as before (in the resource's async scope, with the caller's `this` and
 * arguments, the same `length`); `asyncResource` stays available as a plain property.
 */
export function installCheapAsyncBind(): void {
  if (installed) return;
  installed = true;
  const original = AsyncResource.prototype.bind;
  AsyncResource.prototype.bind = function bind<Func extends (...args: unknown[]) => unknown>(
    this: AsyncResource,
    fn: Func,
    thisArg?: unknown,
  ) {
    // Node's own argument check and error for anything but a function.
    if (typeof fn !== 'function') return (original as (...args: unknown[]) => Func).call(this, fn, thisArg);
    return bindTo(this, fn, thisArg) as unknown as Func & { asyncResource: AsyncResource };
  } as typeof AsyncResource.prototype.bind;
}
