import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { http, ok } from '../../api/http';
import type { Member } from '../../api/types';
import { nameKey, previewHtml } from './markdown';

/** The @word the caret is in, if any. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(?:^|[^\w@.])@([A-Za-z0-9_-]{0,30})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[1].length - 1, query: match[1].toLowerCase() };
}

/**
 * A Markdown editor: a labelled textarea with Write/Preview, and @mention suggestions from the
 * community's members (by handle, or by name: "@be" offers Ben Okafor as whatever handle he chose). Suggestions are ordinary buttons after the textarea (reachable by Tab, or by
 * the Down arrow from the textarea), and their number is announced.
 */
export function MarkdownEditor({
  id,
  label,
  hint,
  error,
  value,
  onValue,
  slug,
  rows = 6,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onValue: (value: string) => void;
  slug: string;
  rows?: number;
}) {
  const [mode, setMode] = useState<'write' | 'preview'>('write');
  const [preview, setPreview] = useState('');
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  // The member list is fetched once per community, when the first @ is typed.
  const members = useQuery({
    queryKey: ['/communities/*/members', slug, 'mention'],
    queryFn: () =>
      ok(http.GET('/api/v1/communities/{slug}/members', { params: { path: { slug }, query: { limit: 100 } } })).then(
        (p) => p.items,
      ),
    enabled: mention !== null,
    staleTime: 5 * 60_000,
  });
  const suggestions = mention
    ? (members.data ?? [])
        .filter(
          (m) => m.handle.toLowerCase().startsWith(mention.query) || nameKey(m.displayName).startsWith(mention.query),
        )
        .slice(0, 6)
    : [];
  const textarea = useRef<HTMLTextAreaElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (mode === 'preview') void previewHtml(value).then(setPreview);
  }, [mode, value]);

  function onChange(next: string, caret: number) {
    onValue(next);
    setMention(mentionAt(next, caret));
  }

  function choose(member: Member) {
    if (!mention) return;
    const caret = mention.start + 1 + mention.query.length;
    const handle = `@${member.handle} `;
    const next = value.slice(0, mention.start) + handle + value.slice(caret);
    onValue(next);
    setMention(null);
    requestAnimationFrame(() => {
      const position = mention.start + handle.length;
      textarea.current?.focus();
      textarea.current?.setSelectionRange(position, position);
    });
  }

  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
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
      <div className="cophub-actions nhsuk-u-margin-bottom-2" role="group" aria-label="Write or preview">
        <button
          type="button"
          className="cophub-link-button"
          aria-pressed={mode === 'write'}
          onClick={() => setMode('write')}
        >
          Write
        </button>
        <button
          type="button"
          className="cophub-link-button"
          aria-pressed={mode === 'preview'}
          onClick={() => setMode('preview')}
        >
          Preview
        </button>
      </div>
      {mode === 'write' ? (
        <textarea
          ref={textarea}
          id={id}
          name={id}
          rows={rows}
          className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          value={value}
          onChange={(e) => onChange(e.target.value, e.target.selectionStart)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && suggestions.length) {
              e.preventDefault();
              list.current?.querySelector('button')?.focus();
            }
          }}
        />
      ) : (
        <div
          id={id}
          tabIndex={-1}
          className="nhsuk-inset-text cophub-prose nhsuk-u-margin-top-0"
          aria-label={`${label}: preview`}
          dangerouslySetInnerHTML={{ __html: preview || '<p>Nothing to preview yet.</p>' }}
        />
      )}
      <div role="status" className="nhsuk-u-visually-hidden">
        {suggestions.length ? `${suggestions.length} people to mention. Press down to choose.` : ''}
      </div>
      {mode === 'write' && suggestions.length > 0 && (
        <ul className="nhsuk-list cophub-actions nhsuk-u-margin-top-2" ref={list} aria-label="People to mention">
          {suggestions.map((m) => (
            <li key={m.userId} className="nhsuk-u-margin-bottom-0">
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                onClick={() => choose(m)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    setMention(null);
                    textarea.current?.focus();
                  }
                }}
              >
                @{m.handle} <span className="nhsuk-body-s">({m.displayName})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
