import { useMutation } from '@tanstack/react-query';
import { http, ok } from '../../api/http';
import { keys, useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { CpdEntry } from '../../api/types';

type S = components['schemas'];

/** Changes to the member's CPD record; each refetches the record. */
export function useCpdWrites() {
  const invalidate = useInvalidate();
  const record = () => invalidate(keys.cpd);
  return {
    /** An event's reflection, or an activity's reflection fields. */
    reflect: useMutation({
      mutationFn: ({ entry, body }: { entry: CpdEntry; body: S['CpdReflectionDto'] }) =>
        entry.source === 'event'
          ? ok(
              http.PUT('/api/v1/me/cpd/events/{eventId}/reflection', {
                params: { path: { eventId: entry.id } },
                body,
              }),
            )
          : ok(http.PATCH('/api/v1/me/cpd/activities/{id}', { params: { path: { id: entry.id } }, body })),
      onSuccess: record,
    }),
    add: useMutation({
      mutationFn: (body: S['CreateCpdActivityDto']) => ok(http.POST('/api/v1/me/cpd/activities', { body })),
      onSuccess: record,
    }),
    remove: useMutation({
      mutationFn: (id: string) => ok(http.DELETE('/api/v1/me/cpd/activities/{id}', { params: { path: { id } } })),
      onSuccess: record,
    }),
  };
}
