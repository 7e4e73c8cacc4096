export * from './entities/resource.entity';
export * from './entities/resource-version.entity';
export * from './entities/resource-contributor.entity';
