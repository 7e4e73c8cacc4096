import createClient from 'openapi-fetch';
import type { paths } from './schema';
import type { ApiErrorBody, TokenPair, User } from './types';

/** The signed-in session, kept in localStorage so a reload or a new tab stays signed in. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  user: User;
}

const STORAGE_KEY = 'cophub.session';
/** Refresh a little early so a request never leaves with a token about to expire. */
const EARLY_MS = 30_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message);
  }

  /** The API joins validation problems with "; " — one message per field. */
  get messages(): string[] {
    return Array.isArray(this.body.message) ? this.body.message : this.body.message.split('; ').filter(Boolean);
  }
}

type Listener = (session: Session | null) => void;

/** What sends a request: `fetch`, or an upload that reports its progress (`http.ts`). */
export type Transport = (request: Request) => Promise<Response>;

const plainFetch: Transport = (request) => fetch(request);

/** The token refresh, typed like every other call but sent without a bearer token (it has none to send). */
const bare = createClient<paths>({ baseUrl: '', headers: { Accept: 'application/json' } });

function readStored(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function toSession(pair: TokenPair): Session {
  return {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    user: pair.user,
  };
}

/**
 * The signed-in session and the transport under the typed client (`http.ts`): the bearer token refreshed
 * before it expires (or once after a 401), and requests in flight counted. Refresh tokens
 * rotate and a reused one revokes the sign-in, so only one refresh runs at a time, and a tab first
 * checks whether another tab has already rotated the stored token.
 */
export class ApiClient {
  private session: Session | null = readStored();
  private refreshing: Promise<Session | null> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor() {
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return;
      this.session = readStored();
      this.emit();
    });
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setSession(pair: TokenPair | null): void {
    this.session = pair ? toSession(pair) : null;
    if (this.session) localStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    else localStorage.removeItem(STORAGE_KEY);
    this.emit();
  }

  updateUser(user: User): void {
    if (!this.session) return;
    this.session = { ...this.session, user };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.session));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.session);
  }

  /** A valid access token, refreshing first when needed; null when signed out. */
  async accessToken(): Promise<string | null> {
    if (!this.session) return null;
    if (this.session.expiresAt - EARLY_MS > Date.now()) return this.session.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  private refresh(): Promise<Session | null> {
    this.refreshing ??= (async () => {
      const stored = readStored();
      // Another tab rotated the token already: use its result instead of replaying the old one.
      if (stored && this.session && stored.refreshToken !== this.session.refreshToken) {
        this.session = stored;
        if (stored.expiresAt - EARLY_MS > Date.now()) return stored;
      }
      if (!this.session) return null;
      const { data, response } = await bare.POST('/api/v1/auth/refresh', {
        body: { refreshToken: this.session.refreshToken },
      });
      if (!response.ok || !data) {
        this.setSession(null);
        return null;
      }
      this.setSession(data);
      return this.session;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * Requests in flight, published on `<html data-pending>` so automated checks (and the browser tests)
   * can tell when a page has settled.
   */
  private pending = 0;

  private track(delta: number): void {
    this.pending += delta;
    document.documentElement.dataset.pending = String(this.pending);
  }

  /**
   * `fetch` with the bearer token, refreshed once and retried after a 401 (the token may have been
   * revoked or expired early through clock skew). Every call of the typed client (`http.ts`) goes through this.
   */
  async authorisedFetch(request: Request, send: Transport = plainFetch, retried = false): Promise<Response> {
    const token = await this.accessToken();
    // A body can be read once: keep a copy for the retry.
    const spare = token && !retried ? request.clone() : null;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    const response = await send(request);
    if (response.status === 401 && spare) {
      this.session = this.session ? { ...this.session, expiresAt: 0 } : null;
      if (await this.refresh()) return this.authorisedFetch(spare, send, true);
    }
    return response;
  }

  /** `authorisedFetch`, counted in `<html data-pending>`; `send` replaces `fetch` (an upload that reports progress). */
  readonly trackedFetch = async (request: Request, send: Transport = plainFetch): Promise<Response> => {
    this.track(1);
    try {
      return await this.authorisedFetch(request, send);
    } finally {
      this.track(-1);
    }
  };
}

export async function toApiError(response: Response): Promise<ApiError> {
  let body: ApiErrorBody;
  try {
    body = (await response.json()) as ApiErrorBody;
  } catch {
    body = { statusCode: response.status, error: response.statusText, message: `Request failed (${response.status})` };
  }
  return new ApiError(response.status, body);
}

export const api = new ApiClient();
