import { toSnippet } from './forum-search.provider';

describe('toSnippet', () => {
  it('escapes post text and only then turns the match markers into <mark>', () => {
    expect(toSnippet('a <img src=x onerror=alert(1)> \u0001waiting\u0002 & "lists"')).toBe(
      'a &lt;img src=x onerror=alert(1)&gt; <mark>waiting</mark> &amp; &quot;lists&quot;',
    );
  });
});
