import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditRepository } from './db/audit.repository';
import { AuditLogEntry } from './db/audit-log-entry.entity';
import { AuditRetention } from './hooks/audit-retention';
import { AuditService } from './services/audit.service';

@Module({
  // The entity declares the schema (migrations are generated from it); every statement is in AuditRepository.
  imports: [TypeOrmModule.forFeature([AuditLogEntry])],
  providers: [AuditRepository, AuditService, AuditRetention],
  exports: [AuditService],
})
export class AuditModule {}
