import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

/**
 * Registers the PostgreSQL connection. Feature modules add their entities with
 * `TypeOrmModule.forFeature`, which `autoLoadEntities` picks up, so core never imports a feature.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: { poolSize?: number; applicationName?: string } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            return {
              ...dataSourceOptions({
                url: config.databaseUrl,
                applicationName: options.applicationName,
                poolSize: options.poolSize ?? config.database.poolSize,
                poolWaitMs: config.database.poolWaitMs,
                statementTimeoutMs: config.database.statementTimeoutMs,
                lockTimeoutMs: config.database.lockTimeoutMs,
              }),
              autoLoadEntities: true,
            };
          },
        }),
      ],
    };
  }
}
