export { parseRoom, RoomAuthorizers, roomName } from './rooms';
export type { RoomKind } from './rooms';
export { RealtimePublisher, socketIoKey } from './realtime.publisher';
export { RealtimeModule } from './realtime.module';
