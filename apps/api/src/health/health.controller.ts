import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { pingPostgres, RedisService } from '@cophub/core';
import { Public } from '@cophub/identity';
import { DataSource } from 'typeorm';
import { probe, ReadinessProbe } from './readiness';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
    private readonly readiness: ReadinessProbe,
  ) {}

  /** The combined check as before: PostgreSQL (through the shared pool) and Redis. */
  @Get()
  @Public()
  async check(@Res() response: FastifyReply): Promise<void> {
    const [postgres, redis] = await Promise.all([
      probe(() => pingPostgres(this.dataSource)),
      probe(() => this.redis.client.ping()),
    ]);
    const ok = postgres === 'up' && redis === 'up';
    response
      .status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ok ? 'ok' : 'unavailable', checks: { postgres, redis } });
  }

  /** Liveness: the process and its event loop run. No dependency is asked, so a database outage never restarts it. */
  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL (own connection) and Redis answer, and the instance is not draining. */
  @Get('ready')
  @Public()
  @ApiOkResponse({ description: 'Ready to serve' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or the instance is shutting down' })
  async ready(@Res() response: FastifyReply): Promise<void> {
    const { ready, checks, draining } = await this.readiness.check();
    response
      .status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status: ready ? 'ok' : draining ? 'draining' : 'unavailable', checks });
  }
}
