import { BadRequestException, HttpStatus } from '@nestjs/common';
import { CommonError, CommonErrorCode } from './domain-error';
import { HttpExceptionFilter } from './http-exception.filter';

describe('error shape', () => {
  it('renders domain errors with their status, message and code', () => {
    expect(HttpExceptionFilter.toBody(new CommonError(CommonErrorCode.NotFound, 'Thread not found'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Thread not found',
      code: 'not_found',
    });
  });

  it('joins validation messages into one readable message', () => {
    expect(
      HttpExceptionFilter.toBody(new BadRequestException(['a must be a string', 'b should not exist'])),
    ).toMatchObject({
      statusCode: 400,
      message: 'a must be a string; b should not exist',
    });
  });

  it('hides internal errors behind an error id that is logged', () => {
    const logged: unknown[] = [];
    const body = HttpExceptionFilter.toBody(new Error('password=hunter2 leaked'), {
      error: (e: unknown) => logged.push(e),
    } as never);
    expect(body.statusCode).toBe(HttpStatus.INTERNAL_SERVER_ERROR);
    expect(body.message).not.toContain('hunter2');
    expect(body.message).toContain(body.errorId);
    expect(JSON.stringify(logged)).toContain(body.errorId);
  });
});
