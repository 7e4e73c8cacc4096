import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommunityAccessService, CommunityRole } from '@cophub/identity';
import { RoomAuthorizers } from '@cophub/realtime';

/** `community:<id>` rooms are open to the community's approved members. */
@Injectable()
export class CommunityRooms implements OnModuleInit {
  constructor(
    private readonly rooms: RoomAuthorizers,
    private readonly access: CommunityAccessService,
  ) {}

  onModuleInit(): void {
    this.rooms.register('community', (user, id) => this.access.allows(user, id, CommunityRole.Member));
  }
}
