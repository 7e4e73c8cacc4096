import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import { RoomAuthorizers } from '@cophub/realtime';
import { DataSource } from 'typeorm';

/** `event:<id>` rooms (RSVP counts, changes) are open to approved members of the event's community. */
@Injectable()
export class EventRooms implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rooms: RoomAuthorizers,
    private readonly access: CommunityAccessService,
  ) {}

  onModuleInit(): void {
    this.rooms.register('event', async (user, id) => {
      const rows: Array<{ community_id: string }> = await this.dataSource.query(
        'SELECT community_id FROM events WHERE id = $1',
        [id],
      );
      return rows[0] ? this.access.allows(user, rows[0].community_id, CommunityRole.Member) : false;
    });
  }
}
