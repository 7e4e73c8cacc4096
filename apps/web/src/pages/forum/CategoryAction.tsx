import { useState, type FormEvent } from 'react';
import type { Category } from '../../api/types';
import {
  apiErrors,
  Button,
  Checkbox,
  ErrorSummary,
  errorFor,
  Select,
  Textarea,
  TextInput,
  type FieldError,
} from '../../components/forms';
import { useCategoryWrites } from './forumWrites';

export type Pending = { kind: 'rename' | 'merge' | 'delete'; category: Category } | null;

/** One category's rename, merge or delete form, shown in place of its row's buttons. */
export function CategoryAction({
  slug,
  pending,
  categories,
  onCancel,
  onDone,
}: {
  slug: string;
  pending: NonNullable<Pending>;
  categories: Category[];
  onCancel: () => void;
  onDone: (message: string) => Promise<void>;
}) {
  const { kind, category } = pending;
  const writes = useCategoryWrites(slug);
  const [name, setName] = useState(category.name);
  const [description, setDescription] = useState(category.description);
  const [coChairsOnly, setCoChairsOnly] = useState(category.postPolicy === 'co_chairs');
  const [into, setInto] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const others = Object.fromEntries(categories.filter((c) => c.id !== category.id).map((c) => [c.id, c.name]));
  const field = kind === 'rename' ? 'rename-name' : kind === 'merge' ? 'merge-into' : 'delete-confirm';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (kind === 'rename' && !name.trim()) {
      setErrors([{ field, message: 'Enter a name for the category' }]);
      return;
    }
    if (kind === 'merge' && !into) {
      setErrors([{ field, message: 'Choose the category that will receive the threads' }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      if (kind === 'rename') {
        await writes.update.mutateAsync({
          id: category.id,
          body: { name: name.trim(), description, postPolicy: coChairsOnly ? 'co_chairs' : 'members' },
        });
        await onDone(
          name.trim() === category.name
            ? `Saved "${category.name}".`
            : `Renamed "${category.name}" to "${name.trim()}".`,
        );
      } else if (kind === 'merge') {
        await writes.merge.mutateAsync({ id: category.id, into });
        await onDone(`"${category.name}" was merged into "${others[into]}": its threads are there now.`);
      } else {
        await writes.remove.mutateAsync(category.id);
        await onDone(`Deleted "${category.name}".`);
      }
    } catch (error) {
      setErrors(
        apiErrors(error, { name: 'rename-name', description: 'rename-description', into: 'merge-into' }, field),
      );
      setBusy(false);
    }
  }

  const headings = {
    rename: `Rename or describe "${category.name}"`,
    merge: `Merge "${category.name}" into another category`,
    delete: `Delete "${category.name}"?`,
  };
  return (
    <form onSubmit={submit} noValidate className="nhsuk-card nhsuk-u-padding-4" aria-labelledby="action-heading">
      <h3 className="nhsuk-heading-s" id="action-heading">
        {headings[kind]}
      </h3>
      <ErrorSummary errors={errors} />
      {kind === 'rename' && (
        <>
          <TextInput id={field} label="New name" value={name} error={errorFor(errors, field)} onValue={setName} />
          <Textarea
            id="rename-description"
            label="Description (optional)"
            hint="Shown under the name on the forum page"
            rows={2}
            value={description}
            error={errorFor(errors, 'rename-description')}
            onValue={setDescription}
          />
          <div className="nhsuk-form-group">
            <div className="nhsuk-checkboxes">
              <Checkbox
                id="rename-co-chairs-only"
                label="Only co-chairs can start threads and reply here"
                hint="For announcements and news"
                checked={coChairsOnly}
                onChecked={setCoChairsOnly}
              />
            </div>
          </div>
        </>
      )}
      {kind === 'merge' && (
        <>
          <p>
            Its {category.threadCount} {category.threadCount === 1 ? 'thread moves' : 'threads move'} to the category
            you choose, and "{category.name}" is deleted.
          </p>
          <Select
            id={field}
            label="Merge into"
            placeholder="Choose a category"
            options={others}
            value={into}
            error={errorFor(errors, field)}
            onValue={setInto}
          />
        </>
      )}
      {kind === 'delete' && (
        <p id={field} tabIndex={-1}>
          {category.threadCount
            ? `It holds ${category.threadCount} ${category.threadCount === 1 ? 'thread' : 'threads'}: merge it into another category first.`
            : 'It is empty. This cannot be undone.'}
        </p>
      )}
      <div className="cophub-actions">
        <Button variant={kind === 'delete' ? 'warning' : undefined} busy={busy}>
          {kind === 'rename' ? 'Save name' : kind === 'merge' ? 'Merge categories' : 'Yes, delete it'}
        </Button>
        <button type="button" className="cophub-link-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
