import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { outOfRangeInteger } from '@cophub/core';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) && parent ? `${parent}.${message}` : message,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Distinct query strings remembered per DTO class (a page's few shapes: limit, cursor, filters). */
const QUERIES_KEPT = 500;

/**
 * After the DTO checks, every integer the handler will receive must fit PostgreSQL's `integer`
 * (a version number of 99999999999 is the client's mistake, not a 500 from the database).
 *
 * Query strings repeat (every reader of a thread asks `?limit=20`), and converting and validating one
 * into its DTO was a tenth of a page read's CPU. The DTOs' checks depend on nothing but the input, so
 * a query that passed is remembered per DTO class and the next identical one gets a fresh copy of
 * the result. Failures are not remembered: they are rare and each gets the full check.
 */
class RequestValidationPipe extends ValidationPipe {
  private readonly validQueries = new Map<ArgumentMetadata['metatype'], Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const remember = metadata.type === 'query' && typeof metadata.metatype === 'function' && isPlainRecord(value);
    const key = remember ? JSON.stringify(value) : '';
    const known = remember ? this.validQueries.get(metadata.metatype)?.get(key) : undefined;
    if (known) return copyOf(known);

    const result: unknown = await super.transform(value, metadata);
    const problem = outOfRangeInteger(result, metadata.data ?? metadata.type);
    if (problem) throw new BadRequestException(problem);
    if (remember && isPlainRecord(result) && key.length <= 1024) {
      let kept = this.validQueries.get(metadata.metatype);
      if (!kept) this.validQueries.set(metadata.metatype, (kept = new Map()));
      if (kept.size >= QUERIES_KEPT) kept.clear();
      kept.set(key, copyOf(result));
    }
    return result;
  }
}

/** A copy of a validated query DTO, arrays included, so no handler can change what the next request gets. */
function copyOf(dto: object): object {
  const copy = Object.create(Object.getPrototypeOf(dto) as object) as Record<string, unknown>;
  for (const [k, v] of Object.entries(dto)) copy[k] = Array.isArray(v) ? [...(v as unknown[])] : v;
  return copy;
}

/** An object whose own values are strings, numbers, booleans or arrays of strings (a parsed query string). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (v) =>
      v === undefined ||
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean' ||
      (Array.isArray(v) && v.every((item) => typeof item === 'string' || typeof item === 'number')),
  );
}

/** Validation for every request: unknown fields rejected, types converted, one readable message. */
export function validationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new BadRequestException(flatten(errors).join('; ')),
  });
}
