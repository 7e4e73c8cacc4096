import { markdownToLines, markdownToText, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
  it('renders ordinary Markdown formatting', () => {
    const html = renderMarkdown('**Supervision** notes:\n\n- one\n- two\n\n> quoted');
    expect(html).toContain('<strong>Supervision</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
  });

  it('marks every link nofollow noopener and keeps only web and mail schemes', () => {
    const html = renderMarkdown('[guide](https://example.org/g) [bad](javascript:alert(1)) [mail](mailto:a@b.nhs.uk)');
    expect(html).toContain('href="https://example.org/g"');
    expect(html).toContain('rel="nofollow noopener noreferrer"');
    expect(html).toContain('href="mailto:a@b.nhs.uk"');
    expect(html).not.toMatch(/javascript:/i);
  });

  it.each([
    ['script tag', '<script>alert(1)</script>hello'],
    ['event handler', '<p onmouseover="alert(1)">hi</p>'],
    ['image onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg onload=alert(1)><circle/></svg>'],
    ['data uri link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['style', '<style>body{display:none}</style><p style="position:fixed">x</p>'],
    ['entity-obfuscated scheme', '<a href="jav&#x61;script:alert(1)">x</a>'],
    ['whitespace-obfuscated scheme', '<a href=" java\tscript:alert(1)">x</a>'],
    ['nested tags', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['form', '<form action="https://evil.example"><input name=x><button>go</button></form>'],
  ])('renders a %s inert', (_name, source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<(script|img|svg|iframe|style|form|input|button|object)/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/(javascript|data):/i);
    expect(html).not.toMatch(/style=/i);
  });

  it('gives plain text for snippets', () => {
    expect(markdownToText('# Title\n\nSome *emphasis* <b>and</b> more')).toBe('Title Some emphasis and more');
  });
});

describe('markdownToLines', () => {
  it('keeps line and paragraph breaks and list items, drops markup, decodes entities', () => {
    expect(markdownToLines('Agenda for **Q&A**:\nbring notes\n\n- Welcome\n- Role <clarity>\n\nSee you')).toBe(
      'Agenda for Q&A:\nbring notes\n\n- Welcome\n- Role\n\nSee you',
    );
    expect(markdownToLines('Agenda:\n\n1. Welcome\n2. Casework')).toBe('Agenda:\n\n1. Welcome\n2. Casework');
  });
});
