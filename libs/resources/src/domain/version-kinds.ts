/** What a version holds: an uploaded file or an external link. */
export enum VersionKind {
  File = 'file',
  Link = 'link',
}

export enum ExtractionStatus {
  Pending = 'pending',
  Done = 'done',
  Failed = 'failed',
  /** Links and images: nothing to extract. */
  None = 'none',
}
