import { errorFor, Radios, TextInput, type FieldError } from '../../components/forms';
import { formatDateTime, londonCandidates } from '../../components/labels';

export interface TimeValue {
  mode: 'none' | 'at';
  date: string;
  time: string;
  zone: '' | 'GMT' | 'BST';
}

export const NO_TIME: TimeValue = { mode: 'none', date: '', time: '', zone: '' };

/**
 * A UK wall-clock time as an instant. In the hour the clocks go back the same time happens twice, so
 * the person chooses BST (the first) or GMT (the second); in the hour skipped in spring there is none.
 */
export function resolveTime(value: TimeValue): { iso: string | null; problem?: string; twice?: boolean } {
  if (value.mode === 'none') return { iso: null };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.date)) return { iso: null, problem: 'enter the date' };
  if (!/^\d{2}:\d{2}$/.test(value.time)) return { iso: null, problem: 'enter the time' };
  const candidates = londonCandidates(value.date, value.time);
  if (candidates.length === 0) {
    return {
      iso: null,
      problem: `there is no ${value.time} on that day in the UK, because the clocks go forward an hour. Choose another time`,
    };
  }
  if (candidates.length === 1) return { iso: candidates[0].iso };
  const chosen = candidates.find((c) => c.zone === value.zone);
  return chosen
    ? { iso: chosen.iso, twice: true }
    : {
        iso: null,
        twice: true,
        problem: `choose which ${value.time}: the clocks go back that night, so it happens twice`,
      };
}

/** Date, time (UK) and, in the hour that happens twice, which of the two; then the time written out. */
export function TimeInputs({
  id,
  value,
  errors,
  onValue,
}: {
  id: string;
  value: TimeValue;
  errors: FieldError[];
  onValue: (value: TimeValue) => void;
}) {
  const resolved = resolveTime({ ...value, mode: 'at' });
  const candidates = londonCandidates(value.date, value.time);
  return (
    <>
      <div className="cophub-actions">
        <TextInput
          id={`${id}-date`}
          type="date"
          label="Date"
          value={value.date}
          error={errorFor(errors, `${id}-date`)}
          onValue={(date) => onValue({ ...value, date, zone: '' })}
        />
        <TextInput
          id={`${id}-time`}
          type="time"
          label="Time"
          hint="UK time"
          value={value.time}
          error={errorFor(errors, `${id}-time`)}
          onValue={(time) => onValue({ ...value, time, zone: '' })}
        />
      </div>
      {candidates.length === 2 && (
        <Radios
          name={`${id}-zone`}
          legend={`Which ${value.time}? The clocks go back that night, so ${value.time} happens twice.`}
          options={{
            BST: `${value.time} BST, the first time (before the clocks go back)`,
            GMT: `${value.time} GMT, the second time (an hour later)`,
          }}
          value={value.zone}
          error={errorFor(errors, `${id}-zone`)}
          onValue={(zone) => onValue({ ...value, zone: zone as TimeValue['zone'] })}
        />
      )}
      {resolved.iso && <p className="nhsuk-body-s">That is {formatDateTime(resolved.iso)}.</p>}
    </>
  );
}

/** A time that may be left unset ("When I close it") or set in UK time. */
export function TimeField({
  id,
  legend,
  noneLabel,
  value,
  errors,
  onValue,
}: {
  id: string;
  legend: string;
  noneLabel: string;
  value: TimeValue;
  errors: FieldError[];
  onValue: (value: TimeValue) => void;
}) {
  return (
    <>
      <Radios
        name={`${id}-mode`}
        legend={legend}
        options={{ none: noneLabel, at: 'At a set time' }}
        value={value.mode}
        onValue={(mode) => onValue({ ...value, mode: mode as TimeValue['mode'] })}
      />
      {value.mode === 'at' && (
        <div className="nhsuk-radios__conditional nhsuk-u-margin-bottom-4">
          <TimeInputs id={id} value={value} errors={errors} onValue={onValue} />
        </div>
      )}
    </>
  );
}

/** The summary field for a time's problem: the date, the time, or which of the two hours. */
export function timeErrorField(id: string, value: TimeValue, twice?: boolean): string {
  return !/^\d{4}-\d{2}-\d{2}$/.test(value.date) ? `${id}-date` : twice ? `${id}-zone` : `${id}-time`;
}
