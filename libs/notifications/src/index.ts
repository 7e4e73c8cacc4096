export * from './entities/enums';
export * from './entities/notification.entity';
export * from './entities/notification-preference.entity';
export * from './services/notification.service';
export * from './notifications.module';
