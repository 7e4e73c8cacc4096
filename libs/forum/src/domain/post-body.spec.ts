import { ForumError } from '../errors/forum.error';
import { quoteHtml, renderPostBody } from '../domain/post-body';

describe('renderPostBody', () => {
  it('keeps the source, sanitised HTML and decoded plain text', () => {
    const body = renderPostBody('Fish & chips <script>x</script> **bold** 5 < 6');
    expect(body.html).toBe('<p>Fish &amp; chips  <strong>bold</strong> 5 &lt; 6</p>');
    expect(body.text).toBe('Fish & chips bold 5 < 6');
  });

  it('separates blocks, list items and lines in the plain text, and keeps link text without markup', () => {
    const body = renderPostBody('First para\nsecond line\n\n- one\n- [two](https://example.org) `code`\n\n> quoted');
    expect(body.text).toBe('First para second line one two code quoted');
  });

  it('refuses blank posts, posts that sanitise to nothing, and posts over 20,000 characters', () => {
    expect(() => renderPostBody('   ')).toThrow(ForumError);
    expect(() => renderPostBody('<script>alert(1)</script>')).toThrow('A post cannot be empty');
    expect(() => renderPostBody('x'.repeat(20_001))).toThrow('at most 20000');
    expect(renderPostBody('x'.repeat(20_000)).text).toHaveLength(20_000);
  });
});

describe('quoteHtml', () => {
  it('escapes the quoted author name', () => {
    expect(quoteHtml('5f0c0000-0000-4000-8000-000000000000', '<b>Eve</b>', '<p>hi</p>')).toBe(
      '<blockquote data-post-id="5f0c0000-0000-4000-8000-000000000000"><p><strong>&#60;b&#62;Eve&#60;/b&#62;</strong> wrote:</p><p>hi</p></blockquote>',
    );
  });
});
