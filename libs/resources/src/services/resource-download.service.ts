import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AuthUser } from '@cophub/identity';
import { VersionKind } from '../domain/version-kinds';
import { ResourceError, ResourceErrorCode } from '../errors/resource.error';
import { parseRange } from '../files/byte-range';
import { contentDisposition } from '../files/file-name';
import { FILE_STORAGE, FileStorage, StoredObjectMissingError } from '../storage/file-storage';
import { ResourceService } from './resource.service';

/** The conditional and range headers of a download request. */
export interface DownloadRequest {
  range?: string;
  ifNoneMatch?: string;
  ifRange?: string;
}

/**
 * How to answer a download: the headers (in the order they are set) and then either a status with the
 * file's bytes, no body (304), or a refusal to throw after the headers are set (416 carries Content-Range).
 */
export type DownloadAnswer = { headers: Array<[string, string]> } & (
  { status: 200 | 206; body: Readable } | { status: 304 } | { refusal: ResourceError }
);

const missingFile = () => new ResourceError(ResourceErrorCode.VersionNotFound, 'The file of this version is missing');

/**
 * One version's file: always as an attachment with a safe name and `nosniff`, so a file can never be
 * rendered in the app's origin; ETag is the SHA-256, and single byte ranges are served. Only members
 * of the resource's community may download (checked first, by `versionForDownload`).
 */
@Injectable()
export class ResourceDownloadService {
  constructor(
    private readonly resources: ResourceService,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  async open(user: AuthUser, resourceId: string, versionNo: number, request: DownloadRequest): Promise<DownloadAnswer> {
    const version = await this.resources.versionForDownload(user, resourceId, versionNo);
    if (version.kind !== VersionKind.File || !version.storageKey || !version.sha256) {
      throw new ResourceError(ResourceErrorCode.NotAFile, 'This version is an external link, not a file');
    }
    const size = await this.storage.size(version.storageKey);
    if (size === null) throw missingFile();
    const etag = `"${version.sha256}"`;
    const headers: Array<[string, string]> = [
      ['ETag', etag],
      ['Cache-Control', 'private, no-cache'],
      ['X-Content-Type-Options', 'nosniff'],
      ['Content-Disposition', contentDisposition(version.fileName)],
      ['Accept-Ranges', 'bytes'],
      ['Content-Security-Policy', "default-src 'none'; sandbox"],
    ];
    const { ifNoneMatch, ifRange, range } = request;
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return { headers, status: 304 };
    }
    // If-Range with a different validator means "the file changed: send all of it".
    const wanted = ifRange && ifRange.trim() !== etag ? null : parseRange(range, size);
    if (wanted === 'unsatisfiable') {
      headers.push(['Content-Range', `bytes */${size}`]);
      return {
        headers,
        refusal: new ResourceError(ResourceErrorCode.RangeNotSatisfiable, 'The requested range is outside the file'),
      };
    }
    headers.push(['Content-Type', version.mediaType ?? 'application/octet-stream']);
    if (wanted) {
      headers.push(['Content-Range', `bytes ${wanted.start}-${wanted.end}/${size}`]);
      headers.push(['Content-Length', String(wanted.end - wanted.start + 1)]);
    } else {
      headers.push(['Content-Length', String(size)]);
    }
    // Opened before any header is sent: a store that is down answers 503, an object gone since 404.
    const body = await this.storage.read(version.storageKey, wanted ?? undefined).catch((error: unknown) => {
      if (error instanceof StoredObjectMissingError) throw missingFile();
      throw error;
    });
    return { headers, status: wanted ? 206 : 200, body };
  }
}
