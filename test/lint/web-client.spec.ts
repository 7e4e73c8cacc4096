import { hitsOf, lint } from './lint';

/**
 * The web app's lint rules (eslint.config.mjs): every call goes through the typed client, so a string-path
 * call, a bare fetch or XMLHttpRequest, or a path that is not the OpenAPI path as written is refused; and no
 * web file is over 400 lines of code, the generated API types aside.
 */
const page = 'apps/web/src/pages/polls/ExamplePage.tsx';
const statements = (n: number) =>
  Array.from({ length: n }, (_, i) => `export const line${i} = ${i};`).join('\n') + '\n';

describe('web client lint rules', () => {
  jest.setTimeout(120_000);

  it('refuses the string-path client, a bare fetch and XMLHttpRequest', async () => {
    const stringPath =
      "import { api } from '../../api/client';\nexport const load = (id: string) => api.get(`/polls/${id}`);\n";
    expect(hitsOf('no-restricted-syntax', await lint(page, stringPath))).toHaveLength(1);
    const upload =
      "import { api } from '../../api/client';\nexport const send = (form: FormData) => api.upload('/x', form, () => undefined);\n";
    expect(hitsOf('no-restricted-syntax', await lint(page, upload))).toHaveLength(1);
    const bare = "export const load = () => fetch('/api/v1/me');\nexport const xhr = () => new XMLHttpRequest();\n";
    expect(hitsOf('no-restricted-syntax', await lint(page, bare))).toHaveLength(2);
    const untyped = "import createClient from 'openapi-fetch';\nexport const client = createClient({});\n";
    expect(hitsOf('no-restricted-imports', await lint(page, untyped))).toHaveLength(1);
  });

  it('accepts the typed client with the OpenAPI path as written, and refuses a built path', async () => {
    const typed =
      "import { http, ok } from '../../api/http';\n" +
      "export const load = (id: string) => ok(http.GET('/api/v1/polls/{id}', { params: { path: { id } } }));\n" +
      "import { api } from '../../api/client';\nexport const who = () => api.current?.user.id;\n";
    expect(hitsOf('no-restricted-syntax', await lint(page, typed))).toEqual([]);
    const built =
      "import { http } from '../../api/http';\nexport const load = (id: string) => http.GET(`/api/v1/polls/${id}` as never);\n";
    expect(hitsOf('no-restricted-syntax', await lint(page, built))).toHaveLength(1);
  });

  it('refuses a web file of more than 400 lines of code, blank lines, comments and the generated types aside', async () => {
    expect(hitsOf('max-lines', await lint(page, statements(401)))).toHaveLength(1);
    const padded = statements(400)
      .split('\n')
      .map((line) => `${line}\n\n// why this line is here`)
      .join('\n');
    expect(hitsOf('max-lines', await lint(page, padded))).toEqual([]);
    expect(hitsOf('max-lines', await lint('apps/web/src/api/schema.d.ts', statements(600)))).toEqual([]);
  });
});
