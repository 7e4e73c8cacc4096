import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { http, ok } from '../api/http';
import type { ProfileCard as Card } from '../api/types';
import { PROFESSIONS, REGIONS, STAGES } from './labels';
import { ErrorPanel, Loading, PageHeading, SummaryList } from './ui';

function useProfileCard(handle: string | null) {
  return useQuery({
    queryKey: ['/profiles/*', handle?.toLowerCase()],
    queryFn: () => ok(http.GET('/api/v1/profiles/{handle}', { params: { path: { handle: handle! } } })),
    enabled: handle !== null,
    staleTime: 60_000,
  });
}

/** What a member may see of another: name, handle, profession, stage, region, communities in common. */
function CardDetails({ card, headingId }: { card: Card; headingId?: string }) {
  return (
    <>
      {headingId ? (
        <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-1" id={headingId}>
          {card.displayName}
        </h2>
      ) : null}
      <p className="nhsuk-body-s nhsuk-u-secondary-text-color">@{card.handle}</p>
      <SummaryList
        rows={[
          ['Profession', PROFESSIONS[card.profession]],
          ['Career stage', STAGES[card.careerStage]],
          ['Region', REGIONS[card.region]],
          [
            'Communities in common',
            card.communitiesInCommon.length ? (
              <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                {card.communitiesInCommon.map((c) => (
                  <li key={c.slug}>
                    <Link to={`/c/${c.slug}`}>{c.name}</Link>
                  </li>
                ))}
              </ul>
            ) : (
              'None'
            ),
          ],
        ]}
      />
    </>
  );
}

/**
 * Mentions in posts are links (`<a class="mention" href="/u/handle">`, made by the API). A click (or
 * Enter on the focused link) opens the member's card in a modal dialog: focus moves into it, Tab stays
 * inside, Escape or the Close button closes it and focus returns to the mention. A modified click
 * (new tab) follows the link to the card's own page.
 */
export function useMentionCards() {
  const [handle, setHandle] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const card = useProfileCard(handle);

  useEffect(() => {
    const element = dialog.current;
    if (handle && element && !element.open) element.showModal();
  }, [handle]);

  function onContentClick(event: MouseEvent<HTMLElement>) {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    const link = (event.target as Element).closest?.('a.mention');
    const href = link?.getAttribute('href') ?? '';
    if (!link || !href.startsWith('/u/')) return;
    event.preventDefault();
    opener.current = link as HTMLElement;
    setHandle(decodeURIComponent(href.slice(3)));
  }

  function close() {
    dialog.current?.close();
  }

  const element = (
    <dialog
      ref={dialog}
      className="cophub-profile-card"
      aria-labelledby="profile-card-title"
      onClose={() => {
        setHandle(null);
        opener.current?.focus();
      }}
    >
      {handle === null ? null : card.data ? (
        <CardDetails card={card.data} headingId="profile-card-title" />
      ) : card.error ? (
        <>
          <h2 className="nhsuk-heading-m" id="profile-card-title">
            @{handle}
          </h2>
          <ErrorPanel error={card.error} />
        </>
      ) : (
        <>
          <h2 className="nhsuk-heading-m" id="profile-card-title">
            @{handle}
          </h2>
          <Loading what="Loading profile" />
        </>
      )}
      <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={close}>
        Close<span className="nhsuk-u-visually-hidden"> profile card</span>
      </button>
    </dialog>
  );
  return { onContentClick, dialog: element };
}

/** `/u/:handle`: the card as a page of its own (a mention opened in a new tab, or a shared link). */
export function ProfileCardPage() {
  const { handle = '' } = useParams();
  const card = useProfileCard(handle);
  if (card.error) return <ErrorPanel error={card.error} />;
  if (!card.data) return <Loading what="Loading profile" />;
  return (
    <>
      <PageHeading>{card.data.displayName}</PageHeading>
      <CardDetails card={card.data} />
    </>
  );
}
