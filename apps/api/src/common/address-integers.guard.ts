import { CanActivate, ExecutionContext, Injectable, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A query or address value that reads as an integer PostgreSQL's `integer` cannot hold. */
function holdsHugeInteger(values: unknown): boolean {
  if (!values || typeof values !== 'object') return false;
  for (const value of Object.values(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      if (typeof text !== 'string' || !/\d{10}/.test(text)) continue;
      const n = Number(text);
      if (Number.isInteger(n) && (n < INT32_MIN || n > INT32_MAX)) return true;
    }
  }
  return false;
}

interface RouteArg {
  index: number;
  data?: string;
}

/**
 * Integers beyond the database's range in the query string or the address are refused with 400
 * before authorisation, like every other input no route accepts (the body parser refuses them in JSON
 * bodies). Only which parameters are integers needs the route's own validation, so that runs here
 * early, and only for a request that carries such a number: a search for "12345678901" is fine, a
 * `limit` or version number of that size is not, whoever asks. Everything else is validated in the
 * usual order, after the guards.
 */
@Injectable()
export class AddressIntegersGuard implements CanActivate {
  constructor(private readonly pipe: PipeTransform) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ query?: unknown; params?: unknown }>();
    if (!holdsHugeInteger(request.query) && !holdsHugeInteger(request.params)) return true;
    const controller = context.getClass();
    const handler = context.getHandler().name;
    const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, RouteArg>;
    const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, handler) ?? []) as Type[];
    for (const [key, arg] of Object.entries(args)) {
      const paramtype = Number(key.split(':')[0]);
      if (paramtype !== RouteParamtypes.QUERY && paramtype !== RouteParamtypes.PARAM) continue;
      const source = (paramtype === RouteParamtypes.QUERY ? request.query : request.params) as
        Record<string, unknown> | undefined;
      // Throws the same 400 the route's own validation would.
      await this.pipe.transform(arg.data ? source?.[arg.data] : source, {
        type: paramtype === RouteParamtypes.QUERY ? 'query' : 'param',
        metatype: types[arg.index],
        data: arg.data,
      });
    }
    return true;
  }
}
