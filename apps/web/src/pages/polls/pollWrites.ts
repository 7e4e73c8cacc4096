import { useMutation } from '@tanstack/react-query';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { Poll } from '../../api/types';

type S = components['schemas'];

export function fetchPoll(id: string): Promise<Poll> {
  return ok(http.GET('/api/v1/polls/{id}', { params: { path: { id } } }));
}

/** The poll, its results and the community's list of polls: what any change to a poll shows up in. */
export function usePollRefresh(poll: { id: string; communitySlug: string }) {
  const invalidate = useInvalidate();
  return () =>
    invalidate(['/polls/*', poll.id], ['/polls/*/results', poll.id], ['/communities/*/polls', poll.communitySlug]);
}

/** A co-chair's and a member's writes to a poll; each refetches the poll, its results and the list. */
export function usePollWrites(poll: Poll) {
  const refresh = usePollRefresh(poll);
  const path = { params: { path: { id: poll.id } } };
  return {
    answer: useMutation({
      mutationFn: (answers: S['AnswerDto'][]) =>
        ok(http.POST('/api/v1/polls/{id}/responses', { ...path, body: { answers } })),
      onSuccess: refresh,
    }),
    schedule: useMutation({
      mutationFn: (body: S['ScheduleDto']) => ok(http.POST('/api/v1/polls/{id}/schedule', { ...path, body })),
      onSuccess: refresh,
    }),
    open: useMutation({
      mutationFn: () => ok(http.POST('/api/v1/polls/{id}/open', { ...path, body: {} })),
      onSuccess: refresh,
    }),
    close: useMutation({
      mutationFn: () => ok(http.POST('/api/v1/polls/{id}/close', path)),
      onSuccess: refresh,
    }),
    remind: useMutation({
      mutationFn: () => ok(http.POST('/api/v1/polls/{id}/remind', path)),
      onSuccess: refresh,
    }),
    /** Whom the audience reaches today: a count that changes nothing, so nothing is refetched. */
    electorate: useMutation({
      mutationFn: (body: S['ElectoratePreviewDto']) =>
        ok(
          http.POST('/api/v1/communities/{slug}/polls/electorate-preview', {
            params: { path: { slug: poll.communitySlug } },
            body,
          }),
        ),
    }),
  };
}

/**
 * A poll's audience as the poll view lists it (plain strings in the OpenAPI document), as an input. The
 * view lists the values the poll was saved with, which the input's enums accepted then.
 */
export function audienceInput(audience: Poll['audience']): S['AudienceDto'] {
  return audience as S['AudienceDto'];
}
