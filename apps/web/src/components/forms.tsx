import {
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../api/client';

export interface FieldError {
  /** The id of the input the message is about (the summary links to it). */
  field: string;
  message: string;
}

/**
 * The NHS.UK error summary: announced and focused when it appears, each message a link that moves
 * focus to its field.
 */
export function ErrorSummary({ errors, title = 'There is a problem' }: { errors: FieldError[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [errors]);
  if (!errors.length) return null;
  return (
    <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="nhsuk-error-summary__title" id="error-summary-title">
        {title}
      </h2>
      <div className="nhsuk-error-summary__body">
        <ul className="nhsuk-list nhsuk-error-summary__list">
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              <a
                href={`#${e.field}`}
                onClick={(event) => {
                  const target = document.getElementById(e.field);
                  if (!target) return;
                  event.preventDefault();
                  target.focus();
                  target.scrollIntoView({ block: 'center' });
                }}
              >
                {e.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function errorFor(errors: FieldError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

function capitalise(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Turns an API error into summary items. Validation messages start with the property name
 * ("email must be ..."), which maps to a field id; anything else is tied to `fallbackField`.
 */
export function apiErrors(
  error: unknown,
  fields: Record<string, string>,
  fallbackField: string,
  codes: Record<string, string> = {},
): FieldError[] {
  if (!(error instanceof ApiError)) {
    return [{ field: fallbackField, message: 'Something went wrong. Check your connection and try again.' }];
  }
  if (error.body.code && codes[error.body.code]) {
    return [{ field: codes[error.body.code], message: capitalise(error.message) }];
  }
  if (error.status === 429) return [{ field: fallbackField, message: capitalise(error.message) }];
  const lower = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  return error.messages.map((message) => {
    const property = /^([A-Za-z0-9_.]+)\s/.exec(message)?.[1]?.split('.')[0];
    const field = (property && (fields[property] ?? lower[property.toLowerCase()])) || fallbackField;
    return { field, message: capitalise(message) };
  });
}

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  labelSize?: 's' | 'm' | 'l';
}

function FieldShell({ id, label, hint, error, children, labelSize }: FieldShellProps) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className={`nhsuk-label${labelSize ? ` nhsuk-label--${labelSize}` : ''}`} htmlFor={id}>
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
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: ReactNode, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  onValue?: (value: string) => void;
  width?: 2 | 3 | 4 | 5 | 10 | 20 | 30;
};

export function TextInput({ id, label, hint, error, onValue, width, className, ...rest }: InputProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={id}
        type="text"
        className={[
          'nhsuk-input',
          width ? `nhsuk-input--width-${width}` : '',
          error ? 'nhsuk-input--error' : '',
          className ?? '',
        ]
          .filter(Boolean)
          .join(' ')}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onValue?.(e.target.value)}
        {...rest}
      />
    </FieldShell>
  );
}

type TextareaProps = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  value: string;
  rows?: number;
  onValue: (value: string) => void;
};

export function Textarea({ id, label, hint, error, value, rows = 5, onValue }: TextareaProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        name={id}
        rows={rows}
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        value={value}
        onChange={(e) => onValue(e.target.value)}
      />
    </FieldShell>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange'> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Record<string, string>;
  placeholder?: string;
  onValue: (value: string) => void;
};

export function Select({ id, label, hint, error, options, placeholder, onValue, ...rest }: SelectProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        name={id}
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        onChange={(e) => onValue(e.target.value)}
        {...rest}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {Object.entries(options).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

interface RadiosProps {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: Record<string, string>;
  value: string;
  onValue: (value: string) => void;
  inline?: boolean;
  legendSize?: 's' | 'm' | 'l';
}

/** Radios in a fieldset; the first radio carries the group's id so the error summary can focus it. */
export function Radios({ name, legend, hint, error, options, value, onValue, inline, legendSize = 's' }: RadiosProps) {
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(name, hint, error)}>
        <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint && (
          <div className="nhsuk-hint" id={`${name}-hint`}>
            {hint}
          </div>
        )}
        {error && (
          <span className="nhsuk-error-message" id={`${name}-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error}
          </span>
        )}
        <div className={`nhsuk-radios${inline ? ' nhsuk-radios--inline' : ''}`}>
          {Object.entries(options).map(([option, text], index) => {
            const id = index === 0 ? name : `${name}-${option}`;
            return (
              <div className="nhsuk-radios__item" key={option}>
                <input
                  className="nhsuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={option}
                  checked={value === option}
                  onChange={() => onValue(option)}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={id}>
                  {text}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkbox({
  id,
  label,
  hint,
  checked,
  onChecked,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChecked: (checked: boolean) => void;
}) {
  return (
    <div className="nhsuk-checkboxes__item">
      <input
        className="nhsuk-checkboxes__input"
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChecked(e.target.checked)}
      />
      <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="nhsuk-hint nhsuk-checkboxes__hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

export function Button({
  children,
  variant,
  busy,
  ...rest
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'secondary' | 'reverse' | 'warning'; busy?: boolean }) {
  return (
    <button
      type="submit"
      className={`nhsuk-button${variant ? ` nhsuk-button--${variant}` : ''}`}
      data-module="nhsuk-button"
      aria-disabled={busy ? true : undefined}
      disabled={busy || rest.disabled}
      {...rest}
    >
      {children}
    </button>
  );
}

/**
 * A form that asks the API to email a link to an address (password reset, a new verification link):
 * the address is checked for shape first, and the API answers the same whether or not it has an account.
 */
export function useEmailLinkRequest(send: (email: string) => Promise<unknown>, field: string) {
  const request = useMutation({ mutationFn: send });
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setErrors([{ field, message: 'Enter an email address in the correct format, like name@nhs.net' }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      await request.mutateAsync(email.trim());
      setSent(true);
    } catch (error) {
      setErrors(apiErrors(error, { email: field }, field));
    } finally {
      setBusy(false);
    }
  }

  return { email, setEmail, errors, busy, sent, submit };
}
