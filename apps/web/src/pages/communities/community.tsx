import { useParams } from 'react-router-dom';
import { http, ok } from '../../api/http';
import type { CommunityStanding } from '../../api/types';
import { useAsync, type AsyncState } from '../../components/ui';

/** The community in the URL and the caller's role there (403 if not a member). */
export function useCommunity(): { slug: string; standing: AsyncState<CommunityStanding> } {
  const { slug = '' } = useParams();
  return { slug, standing: useCommunityStanding(slug) };
}

/** The caller's standing in a community named by slug (item pages learn the slug from the item). */
export function useCommunityStanding(slug: string): AsyncState<CommunityStanding> {
  return useAsync(['/communities/*/me', slug], () =>
    ok(http.GET('/api/v1/communities/{slug}/me', { params: { path: { slug } } })),
  );
}

export function isCoChair(standing: CommunityStanding): boolean {
  return standing.role === 'co_chair' || standing.isAdmin;
}

export function isModerator(standing: CommunityStanding): boolean {
  return standing.role === 'moderator' || isCoChair(standing);
}
