import createClient from 'openapi-fetch';
import { api, ApiError, toApiError } from './client';
import type { paths } from './schema';

/**
 * The typed API client: paths, parameters, bodies and responses all come from the generated OpenAPI
 * types (`schema.d.ts`), so a page cannot ask for a route or read a field the API does not have.
 * Requests go through the same token handling and in-flight counter as the rest of the app.
 */
export const http = createClient<paths>({ baseUrl: '', fetch: api.trackedFetch });

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; an `ApiError` (status, message per field) otherwise. */
export async function ok<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (error && typeof error === 'object' && 'message' in error) {
    throw new ApiError(response.status, error as ApiError['body']);
  }
  throw await toApiError(response);
}
