export * from './entities/enums';
export * from './entities/notification.entity';
export * from './entities/notification-preference.entity';
export * from './services/notification.service';
export * from './notifications.module';
export * from './services/unsubscribe';
export * from './jobs/digest.service';
export * from './notifications.jobs.module';
