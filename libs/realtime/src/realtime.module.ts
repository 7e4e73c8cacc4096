import { Global, Module } from '@nestjs/common';
import { RealtimePublisher } from './realtime.publisher';
import { RoomAuthorizers } from './rooms';

/** Publisher and room permissions; global so every feature module can publish and register rooms. */
@Global()
@Module({
  providers: [RealtimePublisher, RoomAuthorizers],
  exports: [RealtimePublisher, RoomAuthorizers],
})
export class RealtimeModule {}
