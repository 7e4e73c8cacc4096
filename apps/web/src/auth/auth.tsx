import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { api, type Session } from '../api/client';
import { http, ok } from '../api/http';
import { keys } from '../api/query';
import type { Me } from '../api/types';

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
  const userId = session?.user.id ?? null;
  const client = useQueryClient();
  const meQuery = useQuery({
    queryKey: [...keys.me, userId],
    queryFn: () => ok(http.GET('/api/v1/me')),
    enabled: userId !== null,
  });
  const me = userId ? (meQuery.data ?? null) : null;
  const { refetch } = meQuery;

  const reloadMe = useCallback(async () => {
    if (!api.current) return null;
    const result = await refetch();
    return result.data ?? null;
  }, [refetch]);

  useEffect(() => {
    // Another person's cached pages must never show: drop the cache when the user changes.
    let current = api.current?.user.id ?? null;
    return api.subscribe((next) => {
      const nextId = next?.user.id ?? null;
      if (nextId !== current) client.removeQueries();
      current = nextId;
    });
  }, [client]);

  const { mutateAsync: login } = useMutation({
    mutationFn: (body: { email: string; password: string }) => ok(http.POST('/api/v1/auth/login', { body })),
    // A new session: the user changes and the cache of the one before is dropped (above).
    onSuccess: (pair) => api.setSession(pair),
  });
  const signIn = useCallback(
    async (email: string, password: string) => {
      await login({ email, password });
    },
    [login],
  );

  const { mutateAsync: logout } = useMutation({
    mutationFn: async () => {
      if (api.current) await ok(http.POST('/api/v1/auth/logout'));
    },
    onSettled: () => api.setSession(null),
  });
  const signOut = useCallback(async () => {
    await logout();
  }, [logout]);

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
