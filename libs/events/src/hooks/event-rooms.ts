import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import { RoomAuthorizers } from '@cophub/realtime';
import { EventsRepository } from '../db/events.repository';

/** `event:<id>` rooms (RSVP counts, changes) are open to approved members of the event's community. */
@Injectable()
export class EventRooms implements OnModuleInit {
  constructor(
    private readonly events: EventsRepository,
    private readonly rooms: RoomAuthorizers,
    private readonly access: CommunityAccessService,
  ) {}

  onModuleInit(): void {
    this.rooms.register('event', async (user, id) => {
      const communityId = await this.events.communityOf(id);
      return communityId ? this.access.allows(user, communityId, CommunityRole.Member) : false;
    });
  }
}
