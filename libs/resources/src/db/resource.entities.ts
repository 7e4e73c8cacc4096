import { ResourceContributor } from './resource-contributor.entity';
import { ResourceVersion } from './resource-version.entity';
import { Resource } from './resource.entity';

/** The resources module's tables, as entities: `resources`, `resource_versions`, `resource_contributors`. */
export const RESOURCE_ENTITIES = [Resource, ResourceVersion, ResourceContributor];
