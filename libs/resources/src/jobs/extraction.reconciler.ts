import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ResourceService } from '../services/resource.service';

/**
 * Redis only carries extraction jobs; PostgreSQL knows which versions still wait for their text.
 * On worker start every pending version is queued again (job ids are deterministic, so versions
 * whose job survived are not queued twice).
 */
@Injectable()
export class ExtractionReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger('ExtractionReconciler');

  constructor(private readonly resources: ResourceService) {}

  onApplicationBootstrap(): void {
    void this.runOnce();
  }

  async runOnce(): Promise<number> {
    try {
      const queued = await this.resources.enqueuePendingExtractions();
      if (queued) this.logger.log(`queued text extraction for ${queued} pending version(s)`);
      return queued;
    } catch (error) {
      this.logger.warn(`extraction reconcile failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
