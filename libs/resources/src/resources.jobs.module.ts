import { Module } from '@nestjs/common';
import { ExtractionReconciler } from './jobs/extraction.reconciler';
import { TextExtractionService } from './jobs/text-extraction.processor';
import { ResourcesModule } from './resources.module';

/** Consumer side: text extraction and its reconciler. Imported only by the worker. */
@Module({
  imports: [ResourcesModule],
  providers: [TextExtractionService, ExtractionReconciler],
  exports: [TextExtractionService, ExtractionReconciler],
})
export class ResourcesJobsModule {}
