import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuthUser, CommunityAccessService, CommunityRole } from '@cophub/identity';
import { RoomAuthorizers } from '@cophub/realtime';
import { CategoryRepository } from '../db/category.repository';
import { ThreadRepository } from '../db/thread.repository';

/** `thread:<id>` and `category:<id>` rooms are open to approved members of the owning community. */
@Injectable()
export class ForumRooms implements OnModuleInit {
  constructor(
    private readonly threads: ThreadRepository,
    private readonly categories: CategoryRepository,
    private readonly rooms: RoomAuthorizers,
    private readonly access: CommunityAccessService,
  ) {}

  onModuleInit(): void {
    this.rooms.register('thread', async (user, id) => this.allowed(user, await this.threads.communityOfLive(id)));
    this.rooms.register('category', async (user, id) => this.allowed(user, await this.categories.communityOf(id)));
  }

  private async allowed(user: AuthUser, communityId: string | null): Promise<boolean> {
    return communityId ? this.access.allows(user, communityId, CommunityRole.Member) : false;
  }
}
