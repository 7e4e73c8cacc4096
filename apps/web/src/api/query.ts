import { QueryClient, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import { ApiError } from './client';

/**
 * Server state for the whole app. A page shows what is cached at once and refetches on mount (socket
 * events refetch what is on screen);
 * client errors (4xx) are not retried, since asking again gives the same answer.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 0,
      refetchOnWindowFocus: false,
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
});

/** Query keys, one place, so invalidation from a socket event matches what pages cache. */
export const keys = {
  me: ['me'] as const,
  notifications: ['notifications'] as const,
  community: (slug: string) => ['community', slug] as const,
  standing: (slug: string) => ['community', slug, 'standing'] as const,
  overview: (slug: string) => ['community', slug, 'overview'] as const,
  pages: (slug: string) => ['community', slug, 'pages'] as const,
  page: (slug: string, pageSlug: string) => ['community', slug, 'pages', pageSlug] as const,
  latest: (slug: string) => ['community', slug, 'latest'] as const,
  calendar: (slug: string, year: number, month: number | null) => ['community', slug, 'calendar', year, month] as const,
  cpd: ['cpd'] as const,
};

/**
 * What a write calls when it has succeeded: marks the queries it changed stale, refetching those on
 * screen, and resolves once they have been fetched again (a `useMutation` waits for its `onSuccess`).
 */
export function useInvalidate(): (...queryKeys: QueryKey[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    async (...queryKeys: QueryKey[]) => {
      await Promise.all(queryKeys.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
    [client],
  );
}
