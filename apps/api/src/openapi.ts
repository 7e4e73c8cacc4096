import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IDEMPOTENCY_EXTENSION } from '@cophub/core';

/**
 * The API's OpenAPI document, built from the controllers' decorators. The server publishes it at
 * `/api/docs-json` and `npm run api:types` turns the same document into the web app's types, so the
 * two cannot drift apart.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CoP Hub API')
      .setDescription('Forum, events, resources and polls for Psychological Practitioner Communities of Practice')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  documentIdempotencyKey(document);
  return document;
}

/** Every POST that stores its answer accepts `Idempotency-Key` (see `IdempotencyInterceptor`). */
function documentIdempotencyKey(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    const operation = item.post;
    if (!operation || (operation as unknown as Record<string, unknown>)[IDEMPOTENCY_EXTENSION]) continue;
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string', maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
        description:
          'A fresh key (e.g. a UUID) per intended action. A retry with the same key and body gets the first ' +
          'answer (header Idempotent-Replayed: true) and creates nothing; the same key with another body is 422; ' +
          'a retry while the first is still running is 409 with Retry-After. Kept for 24 hours. Signed-in callers only.',
      },
    ];
  }
}
