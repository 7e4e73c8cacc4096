import type { FieldError } from '../../components/forms';

/** A file input in the NHS.UK style with an upload progress bar (a labelled <progress>). */
export function UploadField({
  id,
  label,
  hint,
  error,
  onFile,
  progress,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  onFile: (file: File | null) => void;
  progress: number | null;
}) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="nhsuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      )}
      <input
        id={id}
        name={id}
        type="file"
        className="nhsuk-input"
        aria-describedby={[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => onFile(e.target.files?.[0] ?? null)}
      />
      {progress !== null && (
        <div className="nhsuk-u-margin-top-3">
          <label className="nhsuk-label" htmlFor={`${id}-progress`}>
            Uploading: {Math.round(progress * 100)}%
          </label>
          <progress id={`${id}-progress`} className="cophub-progress" max={100} value={Math.round(progress * 100)}>
            {Math.round(progress * 100)}%
          </progress>
        </div>
      )}
    </div>
  );
}

export function hasError(errors: FieldError[], field: string): boolean {
  return errors.some((e) => e.field === field);
}
