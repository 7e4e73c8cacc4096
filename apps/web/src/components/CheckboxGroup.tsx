import type { ReactNode } from 'react';
import { Checkbox } from './forms';

/**
 * A fieldset of checkboxes over a fixed set of options (professions, career stages, regions); the
 * first box carries the group's id so an error summary link can focus it.
 */
export function CheckboxGroup<K extends string>({
  id,
  legend,
  hint,
  error,
  options,
  value,
  onValue,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Record<K, string>;
  value: K[];
  onValue: (value: K[]) => void;
}) {
  const entries = Object.entries(options) as Array<[K, string]>;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={described}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
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
        <div className="nhsuk-checkboxes">
          {entries.map(([key, label], index) => (
            <Checkbox
              key={key}
              id={index === 0 ? id : `${id}-${key}`}
              label={label}
              checked={value.includes(key)}
              onChecked={(on) => onValue(on ? [...value, key] : value.filter((v) => v !== key))}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}
