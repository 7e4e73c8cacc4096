import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { http, ok } from '../../api/http';
import { useInvalidate } from '../../api/query';
import type { components } from '../../api/schema';
import type { CareerStage, Category, Profession, Region } from '../../api/types';
import { CheckboxGroup } from '../../components/CheckboxGroup';
import { apiErrors, Button, ErrorSummary, errorFor, TextInput, type FieldError } from '../../components/forms';
import { PROFESSIONS, REGIONS, STAGES } from '../../components/labels';
import { Async, Breadcrumbs, ErrorPanel, Notice, PageHeading, useAsync } from '../../components/ui';
import { isCoChair, useCommunity } from '../communities/community';
import { CategoryAction, type Pending } from './CategoryAction';
import { MarkdownEditor } from './Editor';
import { categoriesKey, fetchCategories, useCategoryWrites } from './forumWrites';

/**
 * `/c/:slug/forum/categories`: co-chairs rename, reorder (Move up / Move down, announced), merge and
 * delete the community's categories.
 */
export function ManageCategoriesPage() {
  const { slug, standing } = useCommunity();
  const categories = useAsync(categoriesKey(slug), () => fetchCategories(slug));
  const { reorder } = useCategoryWrites(slug);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  async function move(items: Category[], index: number, by: -1 | 1) {
    const order = items.map((c) => c.id);
    [order[index], order[index + by]] = [order[index + by], order[index]];
    setProblem(null);
    try {
      await reorder.mutateAsync(order);
      const position = index + by + 1;
      setNotice(`"${items[index].name}" moved ${by < 0 ? 'up' : 'down'}: now ${position} of ${items.length}.`);
      // Keep focus on the same button of the moved row when it still exists, else its other button.
      requestAnimationFrame(() => {
        const id = items[index].id;
        const wanted = document.getElementById(`${by < 0 ? 'up' : 'down'}-${id}`) as HTMLButtonElement | null;
        const other = document.getElementById(`${by < 0 ? 'down' : 'up'}-${id}`) as HTMLButtonElement | null;
        (wanted && !wanted.disabled ? wanted : other)?.focus();
      });
    } catch (error) {
      setProblem(error);
    }
  }

  // The write has refetched the categories already.
  async function done(message: string) {
    setPending(null);
    setNotice(message);
  }

  const coChair = standing.data ? isCoChair(standing.data) : false;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
          { to: `/c/${slug}/forum`, label: 'Forum' },
        ]}
      />
      <PageHeading caption="Forum">Manage categories</PageHeading>
      {standing.data && !coChair && <p>Only co-chairs can manage the forum's categories.</p>}
      <Notice>{notice}</Notice>
      {problem ? <ErrorPanel error={problem} /> : null}
      <Async state={categories} what="Loading categories">
        {(items) =>
          items.length === 0 ? (
            <p>
              There are no categories yet. <Link to={`/c/${slug}/forum`}>Add one on the forum page</Link>.
            </p>
          ) : (
            <ol className="nhsuk-list nhsuk-list--border">
              {items.map((c, index) => (
                <li key={c.id}>
                  <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                    {index + 1}. {c.name}
                  </h2>
                  {c.description && <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{c.description}</p>}
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
                    {c.threadCount} {c.threadCount === 1 ? 'thread' : 'threads'}
                    {c.postPolicy === 'co_chairs' ? ' · only co-chairs post here' : ''}
                  </p>
                  {coChair &&
                    (pending?.category.id === c.id ? (
                      <CategoryAction
                        key={pending.kind}
                        slug={slug}
                        pending={pending}
                        categories={items}
                        onCancel={() => setPending(null)}
                        onDone={done}
                      />
                    ) : (
                      <div className="cophub-actions">
                        <button
                          type="button"
                          id={`up-${c.id}`}
                          className="cophub-link-button"
                          disabled={index === 0}
                          onClick={() => void move(items, index, -1)}
                        >
                          Move up<span className="nhsuk-u-visually-hidden"> {c.name}</span>
                        </button>
                        <button
                          type="button"
                          id={`down-${c.id}`}
                          className="cophub-link-button"
                          disabled={index === items.length - 1}
                          onClick={() => void move(items, index, 1)}
                        >
                          Move down<span className="nhsuk-u-visually-hidden"> {c.name}</span>
                        </button>
                        <button
                          type="button"
                          className="cophub-link-button"
                          onClick={() => setPending({ kind: 'rename', category: c })}
                        >
                          Rename<span className="nhsuk-u-visually-hidden"> {c.name}</span>
                        </button>
                        {items.length > 1 && (
                          <button
                            type="button"
                            className="cophub-link-button"
                            onClick={() => setPending({ kind: 'merge', category: c })}
                          >
                            Merge into another<span className="nhsuk-u-visually-hidden"> ({c.name})</span>
                          </button>
                        )}
                        <button
                          type="button"
                          className="cophub-link-button"
                          onClick={() => setPending({ kind: 'delete', category: c })}
                        >
                          Delete<span className="nhsuk-u-visually-hidden"> {c.name}</span>
                        </button>
                      </div>
                    ))}
                </li>
              ))}
            </ol>
          )
        }
      </Async>
    </>
  );
}

const FIELD_IDS = {
  title: 'announcement-title',
  body: 'announcement-body',
  'audience.professions': 'audience-professions',
  'audience.careerStages': 'audience-stages',
  'audience.regions': 'audience-regions',
  audience: 'audience-professions',
};

/**
 * `/c/:slug/announcements/new`: a co-chair's announcement to every member or to an audience. It is
 * posted in the Announcements category and sent to each member in the audience per their settings.
 */
export function AnnouncementFormPage() {
  const { slug, standing } = useCommunity();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [professions, setProfessions] = useState<Profession[]>([]);
  const [careerStages, setCareerStages] = useState<CareerStage[]>([]);
  const [regions, setRegions] = useState<Region[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  // The same request sent again (after a lost answer) reuses its key, so it is posted once.
  const attempt = useRef<{ request: string; key: string } | null>(null);
  const invalidate = useInvalidate();
  const announce = useMutation({
    mutationFn: ({ key, body }: { key: string; body: components['schemas']['CreateAnnouncementDto'] }) =>
      ok(
        http.POST('/api/v1/communities/{slug}/announcements', {
          params: { path: { slug }, header: { 'Idempotency-Key': key } },
          body,
        }),
      ),
    // The thread it starts, in the lists and counts of the forum.
    onSuccess: () => invalidate(['/communities/*/threads', slug], categoriesKey(slug)),
  });

  const audienceText = (() => {
    const parts = [
      professions.length ? professions.join(' or ') : '',
      careerStages.length ? careerStages.map((s) => STAGES[s].split(' (')[0].toLowerCase()).join(' or ') : '',
      regions.length ? `in ${regions.map((r) => REGIONS[r]).join(' or ')}` : '',
    ].filter(Boolean);
    return parts.length ? `Members who are ${parts.join(', ')}` : 'Every member of the community';
  })();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldError[] = [];
    if (!title.trim()) found.push({ field: 'announcement-title', message: 'Enter a title' });
    if (!body.trim()) found.push({ field: 'announcement-body', message: 'Enter the announcement' });
    setErrors(found);
    if (found.length) return;
    const request = { title: title.trim(), body, audience: { professions, careerStages, regions } };
    const serialised = JSON.stringify(request);
    if (attempt.current?.request !== serialised) attempt.current = { request: serialised, key: crypto.randomUUID() };
    setBusy(true);
    try {
      const created = await announce.mutateAsync({ key: attempt.current.key, body: request });
      navigate(`/c/${slug}/t/${created.thread.id}`, {
        state: {
          notice: `Announcement posted. ${created.audienceSize} ${created.audienceSize === 1 ? 'member is' : 'members are'} being told, each as they chose in their notification settings.`,
        },
      });
    } catch (error) {
      setErrors(apiErrors(error, FIELD_IDS, 'announcement-title'));
      setBusy(false);
    }
  }

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Breadcrumbs
          items={[
            { to: `/c/${slug}`, label: standing.data?.community.name ?? 'Community' },
            { to: `/c/${slug}/forum`, label: 'Forum' },
          ]}
        />
        <ErrorSummary errors={errors} />
        <PageHeading caption={standing.data?.community.name}>Send an announcement</PageHeading>
        <p>
          It is posted in the forum's Announcements category, where only co-chairs post, and sent to the members you
          choose by email or in the app, as each of them has chosen.
        </p>
        <form onSubmit={submit} noValidate>
          <TextInput
            id="announcement-title"
            label="Title"
            value={title}
            error={errorFor(errors, 'announcement-title')}
            onValue={setTitle}
          />
          <MarkdownEditor
            id="announcement-body"
            label="Announcement"
            hint="You can use Markdown: **bold**, lists and links"
            value={body}
            error={errorFor(errors, 'announcement-body')}
            onValue={setBody}
            slug={slug}
            rows={8}
          />
          <h2 className="nhsuk-heading-m">Who is it for?</h2>
          <p className="nhsuk-hint">
            Leave a group unticked to include everyone in it. Ticked groups narrow each other: for example PWP and North
            West means PWPs in the North West.
          </p>
          <CheckboxGroup
            id="audience-professions"
            legend="Professions"
            options={PROFESSIONS}
            value={professions}
            error={errorFor(errors, 'audience-professions')}
            onValue={setProfessions}
          />
          <CheckboxGroup
            id="audience-stages"
            legend="Career stages"
            options={STAGES}
            value={careerStages}
            error={errorFor(errors, 'audience-stages')}
            onValue={setCareerStages}
          />
          <CheckboxGroup
            id="audience-regions"
            legend="Regions"
            options={REGIONS}
            value={regions}
            error={errorFor(errors, 'audience-regions')}
            onValue={setRegions}
          />
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              <strong>Sending to:</strong> {audienceText}.
            </p>
          </div>
          <Button busy={busy}>Send announcement</Button>
        </form>
      </div>
    </div>
  );
}
