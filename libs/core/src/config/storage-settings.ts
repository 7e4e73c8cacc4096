import type { Reader } from './app-config';

/** An S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, …). */
export interface S3Settings {
  /** The store's address; null means AWS S3 itself (the region's endpoint). */
  endpoint: string | null;
  region: string;
  bucket: string;
  /** Both null: the SDK's default credentials (an IAM role, the environment, a profile). */
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (MinIO and most local stores need it). */
  forcePathStyle: boolean;
}

/** An Azure Blob Storage container (or Azurite). */
export interface AzureBlobSettings {
  connectionString: string;
  container: string;
}

interface Common {
  /** A store that answers nothing for this long counts as down: the request answers 503 with Retry-After. */
  timeoutMs: number;
}

/** `STORAGE=disk|s3|azure` and the settings of the chosen store. */
export type StorageSettings =
  | (Common & { kind: 'disk' })
  | (Common & { kind: 's3'; s3: S3Settings })
  | (Common & { kind: 'azure'; azure: AzureBlobSettings });

const STORAGE_KINDS = ['disk', 's3', 'azure'] as const;
/** S3's rule for bucket names (lower-case letters, digits, dots and hyphens; 3 to 63 characters). */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Azure's rule for container names (lower-case letters, digits and single hyphens; 3 to 63 characters). */
const AZURE_CONTAINER = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The `Key=value;` pairs of an Azure connection string (keys compared case-insensitively). */
export function parseAzureConnectionString(value: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of value.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) pairs.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return pairs;
}

/** What is wrong with a connection string, without repeating any of it (it holds the account key). */
function azureConnectionProblem(value: string): string | null {
  const pairs = parseAzureConnectionString(value);
  if (pairs.get('usedevelopmentstorage')?.toLowerCase() === 'true') return null;
  const hasAccount = pairs.has('accountname') || pairs.has('blobendpoint');
  const hasCredential = pairs.has('accountkey') || pairs.has('sharedaccesssignature');
  if (!hasAccount || !hasCredential) {
    return (
      'AZURE_STORAGE_CONNECTION_STRING must be a storage account connection string ' +
      '(AccountName=…;AccountKey=…, or BlobEndpoint=…;SharedAccessSignature=…)'
    );
  }
  const endpoint = pairs.get('blobendpoint');
  if (endpoint && !/^https?:\/\//i.test(endpoint)) {
    return 'AZURE_STORAGE_CONNECTION_STRING has a BlobEndpoint that is not an http(s) address';
  }
  return null;
}

function readS3(read: Reader): S3Settings {
  const endpoint = read.optional('S3_ENDPOINT');
  if (endpoint) read.url('S3_ENDPOINT', undefined, ['http:', 'https:']);
  const bucket = read.optional('S3_BUCKET');
  if (!bucket) read.problems.push('S3_BUCKET is required when STORAGE=s3');
  else if (!S3_BUCKET.test(bucket)) {
    read.problems.push(
      `S3_BUCKET must be a bucket name: 3 to 63 lower-case letters, digits, dots or hyphens (got "${bucket}")`,
    );
  }
  const region = read.optional('S3_REGION');
  if (!region) {
    read.problems.push('S3_REGION is required when STORAGE=s3 (most S3-compatible stores accept us-east-1)');
  }
  const accessKeyId = read.optional('S3_ACCESS_KEY_ID');
  const secretAccessKey = read.optional('S3_SECRET_ACCESS_KEY');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    read.problems.push(
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both left empty to use the default credentials)',
    );
  }
  return {
    endpoint,
    region: region ?? '',
    bucket: bucket ?? '',
    accessKeyId,
    secretAccessKey,
    forcePathStyle: read.bool('S3_FORCE_PATH_STYLE', false),
  };
}

function readAzure(read: Reader): AzureBlobSettings {
  const connectionString = read.optional('AZURE_STORAGE_CONNECTION_STRING');
  if (!connectionString) read.problems.push('AZURE_STORAGE_CONNECTION_STRING is required when STORAGE=azure');
  else {
    const problem = azureConnectionProblem(connectionString);
    if (problem) read.problems.push(problem);
  }
  const container = read.optional('AZURE_STORAGE_CONTAINER');
  if (!container) read.problems.push('AZURE_STORAGE_CONTAINER is required when STORAGE=azure');
  else if (!AZURE_CONTAINER.test(container)) {
    read.problems.push(
      `AZURE_STORAGE_CONTAINER must be a container name: 3 to 63 lower-case letters, digits or single hyphens (got "${container}")`,
    );
  }
  return { connectionString: connectionString ?? '', container: container ?? '' };
}

/** `STORAGE` and the settings of the store it names; the other store's settings are not read. */
export function readStorageSettings(read: Reader): StorageSettings {
  const kind = read.string('STORAGE', 'disk').toLowerCase();
  const timeoutMs = read.int('STORAGE_TIMEOUT_MS', 10_000, 100, 600_000);
  if (kind === 's3') return { kind, timeoutMs, s3: readS3(read) };
  if (kind === 'azure') return { kind, timeoutMs, azure: readAzure(read) };
  if (kind !== 'disk') read.problems.push(`STORAGE must be one of ${STORAGE_KINDS.join(', ')} (got "${kind}")`);
  return { kind: 'disk', timeoutMs };
}
