import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { api, type Session } from '../api/client';
import type { Me, TokenPair } from '../api/types';

interface AuthState {
  session: Session | null;
  /** The profile with memberships; null until loaded or when signed out. */
  me: Me | null;
  reloadMe: () => Promise<Me | null>;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore(
    (listener) => api.subscribe(listener),
    () => api.current,
  );
  const [me, setMe] = useState<Me | null>(null);
  const userId = session?.user.id ?? null;

  const reloadMe = useCallback(async () => {
    if (!api.current) {
      setMe(null);
      return null;
    }
    try {
      const fresh = await api.get<Me>('/me');
      setMe(fresh);
      return fresh;
    } catch {
      return null;
    }
  }, []);

  useEffect(() => {
    void reloadMe();
  }, [userId, reloadMe]);

  const signIn = useCallback(async (email: string, password: string) => {
    const pair = await api.post<TokenPair>('/auth/login', { email, password });
    api.setSession(pair);
  }, []);

  const signOut = useCallback(async () => {
    try {
      if (api.current) await api.post('/auth/logout');
    } finally {
      api.setSession(null);
      setMe(null);
    }
  }, []);

  return <AuthContext.Provider value={{ session, me, reloadMe, signIn, signOut }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The sign-in page, set to come back to `location` afterwards. */
export function signInPath(location: { pathname: string; search: string }): string {
  return `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** Sends signed-out visitors to sign in, remembering where they were going. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to={signInPath(location)} replace />;
  return <>{children}</>;
}

/**
 * The API said "sign in first" (401: no session, or one that could not be refreshed). Used where a
 * page that anyone may open (an event, which may be public) turns out to need a member: the visitor
 * signs in and comes straight back here.
 */
export function SignInRedirect() {
  const location = useLocation();
  return <Navigate to={signInPath(location)} replace />;
}
