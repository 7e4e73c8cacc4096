import { Module } from '@nestjs/common';
import { EventsRepository } from './db/events.repository';
import { EventLookup } from './services/event-lookup.service';

/** `EventLookup` alone: for modules that refer to events (resources link to one) without loading the events module. */
@Module({
  providers: [EventsRepository, EventLookup],
  exports: [EventLookup],
})
export class EventLookupModule {}
