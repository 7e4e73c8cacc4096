import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's OpenAPI document, built from the controllers' decorators. The server publishes it at
 * `/api/docs-json` and `npm run api:types` turns the same document into the web app's types, so the
 * two cannot drift apart.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CoP Hub API')
      .setDescription('Forum, events, resources and polls for Psychological Practitioner Communities of Practice')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
}
