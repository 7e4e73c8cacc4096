/** Every type the library accepts, decided by content. */
export type FileKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'pptx' | 'xlsx' | 'odt' | 'text' | 'markdown';

export interface FileKindInfo {
  mediaType: string;
  label: string;
  /** Names must end in one of these (the first is added when a name has none). */
  extensions: string[];
  /** Whether the worker extracts text from it. */
  extractable: boolean;
}

export const FILE_KINDS: Record<FileKind, FileKindInfo> = {
  pdf: { mediaType: 'application/pdf', label: 'PDF', extensions: ['pdf'], extractable: true },
  png: { mediaType: 'image/png', label: 'PNG image', extensions: ['png'], extractable: false },
  jpeg: { mediaType: 'image/jpeg', label: 'JPEG image', extensions: ['jpg', 'jpeg'], extractable: false },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word document',
    extensions: ['docx'],
    extractable: true,
  },
  pptx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    label: 'PowerPoint presentation',
    extensions: ['pptx'],
    extractable: true,
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    label: 'Excel workbook',
    extensions: ['xlsx'],
    extractable: true,
  },
  odt: {
    mediaType: 'application/vnd.oasis.opendocument.text',
    label: 'OpenDocument text',
    extensions: ['odt'],
    extractable: true,
  },
  text: { mediaType: 'text/plain; charset=utf-8', label: 'plain text', extensions: ['txt', 'text'], extractable: true },
  markdown: {
    mediaType: 'text/markdown; charset=utf-8',
    label: 'Markdown',
    extensions: ['md', 'markdown'],
    extractable: true,
  },
};

export function kindOfMediaType(mediaType: string | null): FileKind | null {
  if (!mediaType) return null;
  const entry = Object.entries(FILE_KINDS).find(([, info]) => info.mediaType === mediaType);
  return entry ? (entry[0] as FileKind) : null;
}
