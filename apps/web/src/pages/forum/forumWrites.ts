import { useMutation, useQueryClient } from '@tanstack/react-query';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { Category } from '../../api/types';

/** The forum's categories of a community, as every forum page caches them. */
export const categoriesKey = (slug: string) => ['/communities/*/categories', slug] as const;

export function fetchCategories(slug: string): Promise<Category[]> {
  return ok(http.GET('/api/v1/communities/{slug}/categories', { params: { path: { slug } } }));
}

/** Writes to a community's categories; each refetches the categories (and the thread lists a merge moves). */
export function useCategoryWrites(slug: string) {
  const invalidate = useInvalidate();
  const client = useQueryClient();
  const refresh = () => invalidate(categoriesKey(slug));
  return {
    create: useMutation({
      mutationFn: (name: string) =>
        ok(http.POST('/api/v1/communities/{slug}/categories', { params: { path: { slug } }, body: { name } })),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: string; body: components['schemas']['UpdateCategoryDto'] }) =>
        ok(http.PATCH('/api/v1/categories/{id}', { params: { path: { id } }, body })),
      onSuccess: refresh,
    }),
    merge: useMutation({
      mutationFn: ({ id, into }: { id: string; into: string }) =>
        ok(http.POST('/api/v1/categories/{id}/merge', { params: { path: { id } }, body: { into } })),
      onSuccess: () => invalidate(categoriesKey(slug), ['/communities/*/threads', slug]),
    }),
    remove: useMutation({
      mutationFn: (id: string) => ok(http.DELETE('/api/v1/categories/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
    /** The new order is the answer: it replaces the cached list. */
    reorder: useMutation({
      mutationFn: (categoryIds: string[]) =>
        ok(
          http.PUT('/api/v1/communities/{slug}/categories/order', {
            params: { path: { slug } },
            body: { categoryIds },
          }),
        ),
      onSuccess: (updated) => client.setQueryData(categoriesKey(slug), updated),
    }),
  };
}
