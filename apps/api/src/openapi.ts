import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { IDEMPOTENCY_EXTENSION } from '@cophub/core';
import { ADMIN_ONLY, COMMUNITY_ROLE, CommunityRole, IS_PUBLIC } from '@cophub/identity';

/**
 * Who the access guard lets reach an operation, from its decorators: `public` (no sign-in),
 * `signed-in` (any account; the service decides from the item, e.g. its community), `admin`, or
 * `community:<role>` (an approved member of the `:slug` community with at least that role, or an admin).
 */
export const ACCESS_EXTENSION = 'x-access';

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
  documentPathParameters(document);
  documentIdempotencyKey(document);
  documentAccess(app, document);
  return document;
}

/**
 * Every `{name}` in a path is a required path parameter of each of its operations (OpenAPI requires it
 * to be declared). Routes whose guard reads `:slug`, or whose parameters come from a class without
 * property decorators, do not declare theirs; they are added here as strings, so a typed client has to
 * fill them.
 */
function documentPathParameters(document: OpenAPIObject): void {
  for (const [template, item] of Object.entries(document.paths)) {
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    if (!names.length) continue;
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const declared = new Set(
        (operation.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'path' ? [p.name] : [])),
      );
      const missing = names.filter((name) => !declared.has(name));
      operation.parameters = [
        ...missing.map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' as const } })),
        ...(operation.parameters ?? []),
      ];
    }
  }
}

function documentAccess(app: INestApplication, document: OpenAPIObject): void {
  const access = new Map<string, string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        // The descriptor, not the property: reading a getter would run it.
        const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const declared = <T>(key: symbol): T | undefined =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        const role = declared<CommunityRole>(COMMUNITY_ROLE);
        access.set(
          `${controller.name}_${name}`,
          declared<boolean>(IS_PUBLIC)
            ? 'public'
            : declared<boolean>(ADMIN_ONLY)
              ? 'admin'
              : role
                ? `community:${role}`
                : 'signed-in',
        );
      }
    }
  }
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<{ operationId?: string }>) {
      // A handler on several paths gets one operation per path, its id suffixed `[0]`, `[1]`…
      const declared = operation?.operationId ? access.get(operation.operationId.replace(/\[\d+\]$/, '')) : undefined;
      if (declared) (operation as Record<string, unknown>)[ACCESS_EXTENSION] = declared;
    }
  }
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
