import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/app.factory';
import { testConfig, TestStack } from '@cophub/testing';

describe('operational basics', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ worker: false, smtp: false });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('reports PostgreSQL and Redis healthy', async () => {
    const health = await stack.http().get('/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
  });

  it('tags every response with a request id, echoing a sane one from the caller', async () => {
    const generated = await stack.http().get('/api/v1/me');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await stack.http().get('/api/v1/me').set('x-request-id', 'trace-123');
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    const hostile = await stack.http().get('/api/v1/me').set('x-request-id', 'a b\tc<script>');
    expect(hostile.headers['x-request-id']).not.toContain('<script>');
  });

  it('sends security headers and hides the framework', async () => {
    const response = await stack.http().get('/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the OpenAPI document and its UI', async () => {
    const document = await stack.http().get('/api/docs-json').expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/communities/{slug}/join',
      ]),
    );
    const ui = await stack.http().get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers unknown routes with the standard error shape', async () => {
    const missing = await stack.http().get('/api/v1/nowhere').set('Authorization', 'Bearer x').expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });

  // Last: the unreachable Redis of this app keeps retrying for a moment after it closes.
  it('reports unavailable (503) when Redis is unreachable', async () => {
    const config = testConfig(stack.database.url, stack.config.queuePrefix, { REDIS_URL: 'redis://127.0.0.1:1' });
    const app = await createApiApp(config, { logs: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const health = await request(url).get('/health').expect(503);
      expect(health.body).toEqual({ status: 'unavailable', checks: { postgres: 'up', redis: 'down' } });
    } finally {
      await app.close();
    }
  });
});
