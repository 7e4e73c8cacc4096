/** A plain page for links followed from an email (confirmations), readable without the web app. */
export const htmlPage = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title} - CoP Hub</title><style>body{font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#212b32}` +
  `button{background:#007f3b;color:#fff;border:0;padding:.6rem 1rem;font-size:1rem;cursor:pointer}button:focus{outline:3px solid #ffeb3b}` +
  `blockquote{border-left:4px solid #d8dde0;margin:1rem 0;padding:.5rem 1rem;white-space:pre-wrap}</style></head>` +
  `<body><h1>${title}</h1>${body}</body></html>`;
