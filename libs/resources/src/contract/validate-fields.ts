import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { outOfRangeInteger } from '@cophub/core';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';

function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...messages(e.children ?? [])]);
}

/**
 * Validates multipart text fields with the same rules (and the same refusal of unknown fields and of
 * integers beyond PostgreSQL's range) as the global ValidationPipe applies to JSON bodies.
 */
export async function validateFields<T extends object>(
  type: new () => T,
  fields: Record<string, string[]>,
): Promise<T> {
  const plain: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(fields)) plain[name] = values.length === 1 ? values[0] : values;
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ResourceError(ResourceErrorCode.BadUpload, messages(errors).join('; '));
  const outOfRange = outOfRangeInteger(instance, 'the form');
  if (outOfRange) throw new ResourceError(ResourceErrorCode.BadUpload, outOfRange);
  return instance;
}
