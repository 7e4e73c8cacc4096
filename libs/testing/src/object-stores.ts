import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort } from './ports';
import { scaled } from './run-env';

/**
 * A real object store on this machine for a test file: s3rver (S3) or Azurite (Azure Blob), each a child
 * process on a free port with its data in a temporary folder. `stop` takes it away; `start` brings it back
 * on the same port with the same data; `close` stops it and deletes the folder.
 */
export interface LocalObjectStore {
  readonly kind: 's3' | 'azure';
  /** Settings that point a stack's STORAGE at this store. */
  readonly env: Record<string, string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Names of the objects in the bucket or container now (blobs with only uncommitted blocks included). */
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

abstract class ChildStore implements LocalObjectStore {
  abstract readonly kind: 's3' | 'azure';
  abstract readonly env: Record<string, string>;
  protected child: ChildProcess | null = null;
  private output = '';

  constructor(
    protected readonly port: number,
    protected readonly dir: string,
  ) {}

  protected abstract args(): string[];
  protected abstract afterFirstStart(): Promise<void>;
  abstract keys(): Promise<string[]>;
  private started = false;

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(process.execPath, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4_000)));
    child.stderr?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4_000)));
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + scaled(30_000);
    while (!(await accepts(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${this.kind} store did not start on port ${this.port}: ${this.output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (!this.started) {
      this.started = true;
      await this.afterFirstStart();
    }
  }

  /**
   * The store goes away: SIGTERM, as an orchestrator stops it (Azurite writes its metadata every 5 s and on
   * SIGTERM), then SIGKILL if it lingers. Connections to it end; new ones are refused.
   */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), scaled(10_000));
    await exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

class S3rverStore extends ChildStore {
  readonly kind = 's3' as const;
  readonly bucket = 'cophub-files';
  readonly env: Record<string, string>;

  constructor(port: number, dir: string) {
    super(port, dir);
    this.env = {
      STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_BUCKET: this.bucket,
      // s3rver's fixed development credentials.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    };
  }

  protected args(): string[] {
    return [
      require.resolve('s3rver/bin/s3rver.js'),
      ...['--directory', this.dir, '--port', String(this.port), '--address', '127.0.0.1'],
      ...['--silent', '--configure-bucket', this.bucket],
    ];
  }

  protected async afterFirstStart(): Promise<void> {
    // --configure-bucket made the bucket.
  }

  async keys(): Promise<string[]> {
    const client = new S3Client({
      endpoint: this.env.S3_ENDPOINT,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((item) => item.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    } finally {
      client.destroy();
    }
  }
}

/** Azurite's published development account (its key is printed in Azurite's documentation, not a secret). */
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

class AzuriteStore extends ChildStore {
  readonly kind = 'azure' as const;
  readonly container = 'cophub-files';
  readonly env: Record<string, string>;

  constructor(port: number, dir: string) {
    super(port, dir);
    this.env = {
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING:
        `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
        `BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`,
      AZURE_STORAGE_CONTAINER: this.container,
    };
  }

  protected args(): string[] {
    return [
      require.resolve('azurite/dist/src/blob/main.js'),
      ...['--blobHost', '127.0.0.1', '--blobPort', String(this.port), '--location', this.dir],
      // No telemetry: nothing leaves this machine.
      ...['--silent', '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
    ];
  }

  private service(): BlobServiceClient {
    return BlobServiceClient.fromConnectionString(this.env.AZURE_STORAGE_CONNECTION_STRING);
  }

  protected async afterFirstStart(): Promise<void> {
    await this.service().getContainerClient(this.container).createIfNotExists();
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    const blobs = this.service().getContainerClient(this.container).listBlobsFlat({ includeUncommitedBlobs: true });
    for await (const blob of blobs) keys.push(blob.name);
    return keys.sort();
  }
}

/** Starts s3rver with an empty bucket. */
export async function startS3rver(): Promise<LocalObjectStore> {
  const store = new S3rverStore(await freePort(), mkdtempSync(join(tmpdir(), 'cophub-s3rver-')));
  await store.start();
  return store;
}

/** Starts Azurite's blob service with an empty container. */
export async function startAzurite(): Promise<LocalObjectStore> {
  const store = new AzuriteStore(await freePort(), mkdtempSync(join(tmpdir(), 'cophub-azurite-')));
  await store.start();
  return store;
}
