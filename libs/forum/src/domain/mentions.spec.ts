import { extractMentionHandles, linkMentions, MAX_MENTIONS } from '../domain/mentions';

const SAM = '4f0c6d1e-8a55-4a43-9a35-0b8f8f2c8f11';

describe('extractMentionHandles', () => {
  it('reads @handles of letters, digits, _ and -, case-insensitively', () => {
    expect(extractMentionHandles('Thanks @SamONeill and @alice_archer, see @bob-obrien.')).toEqual([
      'samoneill',
      'alice_archer',
      'bob-obrien',
    ]);
  });

  it('ignores email addresses, lone @ signs and handles too short or too long', () => {
    expect(extractMentionHandles('write to sam@example.nhs.net or @ me, @ab, @' + 'x'.repeat(31))).toEqual([]);
  });

  it('counts each handle once and stops at the mention limit', () => {
    const text = Array.from({ length: 30 }, (_, i) => `@member${i} @member${i}`).join(' ');
    expect(extractMentionHandles(text)).toHaveLength(MAX_MENTIONS);
    expect(extractMentionHandles('@dup @DUP @dup')).toEqual(['dup']);
  });
});

describe('linkMentions', () => {
  it("links resolved mentions with the member's current handle, leaving others as text", () => {
    const html = '<p>Hi @SamOld and @nobody, mail sam@example.org</p>';
    expect(linkMentions(html, [['samold', SAM, 'sam-new']])).toBe(
      `<p>Hi <a class="mention" href="/u/sam-new" data-user-id="${SAM}">@sam-new</a> and @nobody, mail sam@example.org</p>`,
    );
  });

  it('leaves mentions inside links and code alone', () => {
    const html =
      '<p><a href="https://x.example/@samold">@samold</a> <code>@samold</code></p><pre><code>@samold</code></pre>';
    expect(linkMentions(html, [['samold', SAM, 'sam']])).toBe(html);
  });

  it('never writes a handle that is not plain letters, digits, _ or -', () => {
    const html = '<p>@samold</p>';
    expect(linkMentions(html, [['samold', SAM, '"><script>']])).toBe(html);
  });
});
