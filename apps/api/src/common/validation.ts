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

/**
 * After the DTO checks, every integer the handler will receive must fit PostgreSQL's `integer`
 * (a version number of 99999999999 is the client's mistake, not a 500 from the database).
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    const problem = outOfRangeInteger(result, metadata.data ?? metadata.type);
    if (problem) throw new BadRequestException(problem);
    return result;
  }
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
