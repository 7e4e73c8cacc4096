import { Injectable } from '@nestjs/common';
import {
  AuthUser,
  CommunityAccessService,
  CommunityContext,
  CommunityRole,
  CommunityService,
  IdentityError,
  IdentityErrorCode,
} from '@cophub/identity';
import { PageVisibility } from '../db/community-page.entity';
import { PagesError, PagesErrorCode } from '../errors/pages.error';

/** Who is reading: the community, and whether they may see members-only pages and edit. */
export interface PageReader {
  communityId: string;
  communityName: string;
  member: boolean;
  coChair: boolean;
}

/**
 * Pages are the one thing in a community a visitor may read without joining (when public), so reads
 * are decided here rather than by the community guard: members and admins see every page; anyone else
 * sees public pages only. A members-only page answers 401 to a signed-out reader (so the web app can
 * offer sign-in and come back) and 403 to a signed-in non-member, before anyone learns whether it exists.
 */
@Injectable()
export class PagePolicy {
  constructor(
    private readonly access: CommunityAccessService,
    private readonly communities: CommunityService,
  ) {}

  async reader(user: AuthUser | null, slug: string): Promise<PageReader> {
    if (user) {
      try {
        const context = await this.access.bySlug(user, slug, CommunityRole.Member);
        return readerOf(context);
      } catch (error) {
        if (!(error instanceof IdentityError) || error.code === IdentityErrorCode.CommunityNotFound) throw error;
      }
    }
    const community = await this.communities.findBySlug(slug);
    return { communityId: community.id, communityName: community.name, member: false, coChair: false };
  }

  /** Throws unless the reader may see a page of this visibility. */
  assertCanRead(reader: PageReader, visibility: PageVisibility, signedIn: boolean): void {
    if (visibility === PageVisibility.Public || reader.member) return;
    if (!signedIn) throw new PagesError(PagesErrorCode.SignInRequired, 'Sign in to read this page');
    throw new PagesError(PagesErrorCode.MembersOnly, `This page is for members of ${reader.communityName}`);
  }

  /**
   * Throws unless the reader may see a revision saved with this visibility. Reading a public page is not
   * enough: a revision saved while the page was members-only stays members-only after the page is made
   * public (401 signed out, 403 signed in, as for a members-only page).
   */
  assertCanReadRevision(reader: PageReader, revision: number, visibility: string, signedIn: boolean): void {
    if (visibility === PageVisibility.Public || reader.member) return;
    if (!signedIn) throw new PagesError(PagesErrorCode.SignInRequired, 'Sign in to read this revision');
    throw new PagesError(
      PagesErrorCode.MembersOnly,
      `Revision ${revision} of this page is for members of ${reader.communityName}`,
    );
  }
}

function readerOf(context: CommunityContext): PageReader {
  return {
    communityId: context.community.id,
    communityName: context.community.name,
    member: true,
    coChair: context.isAdmin || context.role === CommunityRole.CoChair,
  };
}
