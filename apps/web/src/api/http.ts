import createClient from 'openapi-fetch';
import { api, ApiError, toApiError, type Transport } from './client';
import type { paths } from './schema';

/**
 * The typed API client, the only way the app calls the API: paths, parameters, bodies and responses all
 * come from the generated OpenAPI types (`schema.d.ts`), so a page cannot ask for a route or send a field
 * the API does not have. Requests go through the session's token handling and in-flight counter.
 */
export const http = createClient<paths>({
  baseUrl: '',
  headers: { Accept: 'application/json' },
  fetch: (request) => api.trackedFetch(request),
});

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

/**
 * `ok` for the few JSON answers whose shape the OpenAPI document leaves open (poll results, typed by hand
 * in `types.ts`): the path and parameters are still checked, the answer is read as `T`.
 */
export function okAs<T>(call: Promise<Outcome<unknown>>): Promise<T> {
  return ok(call) as Promise<T>;
}

/** A file the API sends (`parseAs: 'blob'`), with the name its Content-Disposition gives. */
export async function file(call: Promise<Outcome<Blob>>): Promise<{ data: Blob; fileName: string | null }> {
  const { response } = await call;
  const data = await ok(call);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { data, fileName };
}

/** Fetches a file with the bearer token (links cannot carry it) and hands it to the browser. */
export async function download(call: Promise<Outcome<Blob>>, fallbackName: string): Promise<void> {
  const blob = await file(call);
  const url = URL.createObjectURL(blob.data);
  const link = document.createElement('a');
  link.href = url;
  link.download = blob.fileName ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A `fetch` for one typed call that reports upload progress (fetch cannot; XMLHttpRequest can), with the
 * same token handling and in-flight counter: `http.POST(path, { ..., fetch: withProgress(setProgress) })`.
 */
export function withProgress(onProgress: (fraction: number) => void): (request: Request) => Promise<Response> {
  const send: Transport = async (request) => {
    const body = await request.blob();
    return new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(request.method, request.url);
      request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onerror = () => reject(new ApiError(0, { statusCode: 0, error: 'Network', message: 'The upload failed' }));
      xhr.onload = () => {
        const headers = new Headers();
        for (const line of xhr
          .getAllResponseHeaders()
          .trim()
          .split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        const empty = xhr.status === 204 || xhr.status === 205 || xhr.status === 304;
        resolve(
          new Response(empty ? null : xhr.responseText, { status: xhr.status, statusText: xhr.statusText, headers }),
        );
      };
      xhr.send(body);
    });
  };
  return (request) => api.trackedFetch(request, send);
}

type FormBody<Op> = Op extends { requestBody: { content: { 'multipart/form-data': infer B } } } ? B : never;

/** The multipart form fields a POST route takes, as the OpenAPI document names them. */
export type FormOf<P extends keyof paths> = FormBody<paths[P]['post']>;

/**
 * A multipart body for a typed call: `http.POST(path, { params, ...multipart<FormOf<path>>(fields) })`. The
 * field names are checked against the route; a list repeats its field, a file keeps its name. Fields go
 * in the order given (the server reads text fields before the file, so the file comes last).
 */
export function multipart<B>(fields: { [K in keyof B]?: string | string[] | Blob }): {
  body: B;
  bodySerializer: () => FormData;
} {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields) as Array<[string, string | string[] | Blob | undefined]>) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else if (value instanceof File) form.append(name, value, value.name);
    else form.append(name, value);
  }
  return { body: fields as B, bodySerializer: () => form };
}
