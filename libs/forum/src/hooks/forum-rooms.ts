import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthUser, CommunityAccessService, CommunityRole } from '@cophub/identity';
import { RoomAuthorizers } from '@cophub/realtime';
import { DataSource } from 'typeorm';

/** `thread:<id>` and `category:<id>` rooms are open to approved members of the owning community. */
@Injectable()
export class ForumRooms implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomAuthorizers,
    private readonly access: CommunityAccessService,
  ) {}

  onModuleInit(): void {
    this.rooms.register('thread', (user, id) =>
      this.allowed(user, 'SELECT community_id FROM forum_threads WHERE id = $1 AND deleted_at IS NULL', id),
    );
    this.rooms.register('category', (user, id) =>
      this.allowed(user, 'SELECT community_id FROM forum_categories WHERE id = $1', id),
    );
  }

  private async allowed(user: AuthUser, sql: string, id: string): Promise<boolean> {
    const [row] = (await this.dataSource.query(sql, [id])) as Array<{ community_id: string }>;
    return row ? this.access.allows(user, row.community_id, CommunityRole.Member) : false;
  }
}
