import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { Category, Thread } from '../../api/types';
import { categoriesKey } from './forumWrites';
import { apiErrors, Button, ErrorSummary, errorFor, Select, type FieldError } from '../../components/forms';

/** Moderators and co-chairs move a thread to another category of the community. */
export function MoveThread({
  slug,
  thread,
  categories,
  onMoved,
}: {
  slug: string;
  thread: Thread;
  categories: Category[];
  onMoved: (thread: Thread, categoryName: string) => void;
}) {
  const invalidate = useInvalidate();
  const move = useMutation({
    mutationFn: (categoryId: string) =>
      ok(http.POST('/api/v1/threads/{id}/move', { params: { path: { id: thread.id } }, body: { categoryId } })),
    // Both categories' thread lists and counts.
    onSuccess: () => invalidate(['/communities/*/threads', slug], categoriesKey(slug)),
  });
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
      const moved = await move.mutateAsync(target);
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
