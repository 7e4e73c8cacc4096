import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { http, ok } from '../../api/http';
import type { components } from '../../api/schema';
import type { ElectoratePreview } from '../../api/types';
import { Checkbox } from '../../components/forms';

type Preview = components['schemas']['ElectoratePreviewDto'];
import type { Values } from './pollDraft';

/** Ticked boxes for one audience dimension; none ticked means everyone. */
export function AudienceChoices({
  id,
  legend,
  options,
  value,
  onValue,
}: {
  id: string;
  legend: string;
  options: Record<string, string>;
  value: string[];
  onValue: (value: string[]) => void;
}) {
  return (
    <div className="nhsuk-form-group">
      <fieldset className="nhsuk-fieldset" aria-describedby={`${id}-hint`}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        <div className="nhsuk-hint" id={`${id}-hint`}>
          Leave all unticked to include everyone
        </div>
        <div className="nhsuk-checkboxes">
          {Object.entries(options).map(([key, label]) => (
            <Checkbox
              key={key}
              id={`${id}-${key}`}
              label={label}
              checked={value.includes(key)}
              onChecked={(checked) => onValue(checked ? [...value, key] : value.filter((v) => v !== key))}
            />
          ))}
        </div>
      </fieldset>
    </div>
  );
}

/** "Whom this reaches": counted by the API as the audience changes, announced politely. */
export function ElectorateCount({
  slug,
  values,
  pollId,
  templateOf,
}: {
  slug: string;
  values: Values;
  pollId: string | null;
  templateOf: string | null;
}) {
  const [count, setCount] = useState<ElectoratePreview | null>(null);
  // A count that changes nothing (the API stores nothing for it), asked again as the audience changes.
  const { mutateAsync: countElectorate } = useMutation({
    mutationFn: (body: Preview) =>
      ok(http.POST('/api/v1/communities/{slug}/polls/electorate-preview', { params: { path: { slug } }, body })),
  });
  const [failed, setFailed] = useState(false);
  const prompts = values.questions.map((q) => q.prompt.trim()).filter(Boolean);
  const key = JSON.stringify([values.professions, values.careerStages, values.regions, prompts, values.anonymous]);
  useEffect(() => {
    let stale = false;
    // The ticked boxes hold the API's own values (the option keys are its enums).
    const [professions, careerStages, regions, texts, anonymous] = JSON.parse(key) as [
      NonNullable<Preview['professions']>,
      NonNullable<Preview['careerStages']>,
      NonNullable<Preview['regions']>,
      string[],
      string,
    ];
    const timer = setTimeout(() => {
      countElectorate({
        professions,
        careerStages,
        regions,
        // Compared with the community's other anonymous polls sharing a question or this poll's template.
        prompts: texts.map((t) => t.slice(0, 500)),
        anonymous: anonymous === 'true',
        ...(pollId ? { pollId } : {}),
        ...(templateOf ? { templateOf } : {}),
      }).then(
        (result) => {
          if (stale) return;
          setCount(result);
          setFailed(false);
        },
        () => !stale && setFailed(true),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key, pollId, templateOf, countElectorate]);
  const everyone = !values.professions.length && !values.careerStages.length && !values.regions.length;
  const plural = (n: number) => (n === 1 ? '1 member' : `${n} members`);
  return (
    <div className="nhsuk-inset-text" id="electorate-count">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p role="status" aria-live="polite">
        {failed
          ? 'We could not count the members just now. The count is taken again when the poll opens.'
          : count === null
            ? 'Counting members…'
            : `${everyone ? 'Everyone: ' : 'This audience: '}${plural(count.members)} today, ${
                count.emailed === count.members ? 'all' : count.emailed
              } of them invited by email.`}
      </p>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
        The audience is fixed when the poll opens: members who join or change their profile later are not added.
      </p>
      {count?.overlap && (
        <p className="nhsuk-u-margin-top-3 nhsuk-u-margin-bottom-0">
          <strong>Warning:</strong> {count.overlap}
        </p>
      )}
    </div>
  );
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="nhsuk-u-margin-bottom-6">
      <h2 className="nhsuk-heading-m" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}
