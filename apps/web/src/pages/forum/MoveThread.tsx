import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Category, Thread } from '../../api/types';
import { apiErrors, Button, ErrorSummary, errorFor, Select, type FieldError } from '../../components/forms';

/** Moderators and co-chairs move a thread to another category of the community. */
export function MoveThread({
  thread,
  categories,
  onMoved,
}: {
  thread: Thread;
  categories: Category[];
  onMoved: (thread: Thread, categoryName: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const options = Object.fromEntries(categories.filter((c) => c.id !== thread.categoryId).map((c) => [c.id, c.name]));

  if (!open) {
    return (
      <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setOpen(true)}>
        Move to another category
      </button>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) {
      setErrors([{ field: 'move-category', message: 'Choose the category to move the thread to' }]);
      return;
    }
    setErrors([]);
    setBusy(true);
    try {
      const moved = await api.post<Thread>(`/threads/${thread.id}/move`, { categoryId: target });
      onMoved(moved, options[target] ?? 'the chosen category');
      setOpen(false);
      setTarget('');
    } catch (error) {
      setErrors(apiErrors(error, { categoryId: 'move-category' }, 'move-category'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="move-heading">
      <h2 className="nhsuk-heading-s" id="move-heading">
        Move this thread
      </h2>
      <ErrorSummary errors={errors} />
      <Select
        id="move-category"
        label="Move to"
        placeholder="Choose a category"
        options={options}
        value={target}
        error={errorFor(errors, 'move-category')}
        onValue={setTarget}
      />
      <div className="cophub-actions">
        <Button variant="secondary" busy={busy}>
          Move thread
        </Button>
        <button type="button" className="cophub-link-button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
