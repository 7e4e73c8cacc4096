/**
 * Request input the product refuses whatever the route, before any handler sees it: control
 * characters (PostgreSQL cannot store NUL in text, and the others have no place in what people write),
 * JSON nested deeper than any request needs (a cheap way to make a server work hard), and integers
 * outside PostgreSQL's `integer` (they would fail in the database as a 500).
 */

/** Deepest nesting of objects and arrays a request body may have. Real requests need about 4. */
export const MAX_INPUT_DEPTH = 32;

/** C0 controls except tab, line feed and carriage return (multi-line text keeps those), DEL and C1 controls. */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function controlProblem(text: string, where: string): string | null {
  const match = CONTROL_CHARACTER.exec(text);
  if (!match) return null;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `${where} contains a control character (U+${code}), which is not allowed`;
}

/**
 * Why parsed input (a JSON body, a query string or route parameters) is refused, or null. Walks
 * iteratively, so no input can exhaust the stack. A JSON number that is an integer outside
 * PostgreSQL's `integer` is refused here too: no request field takes one, and refusing it before the
 * route's guards means the answer is 400 whoever sends it.
 */
export function inputProblem(value: unknown, what: string, maxDepth = MAX_INPUT_DEPTH): string | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: what, depth: 0 }];
  while (pending.length) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = controlProblem(current, path);
      if (problem) return problem;
    } else if (typeof current === 'number') {
      if (Number.isInteger(current) && (current < INT32_MIN || current > INT32_MAX)) {
        return `${path} is out of range (at most ${INT32_MAX})`;
      }
    } else if (current && typeof current === 'object') {
      if (depth >= maxDepth) return `${what} is nested too deeply (more than ${maxDepth} levels)`;
      for (const [key, item] of Object.entries(current)) {
        const keyProblem = controlProblem(key, `a field name in ${what}`);
        if (keyProblem) return keyProblem;
        pending.push({
          value: item,
          path: Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`,
          depth: depth + 1,
        });
      }
    }
  }
  return null;
}

/**
 * The first integer outside PostgreSQL's `integer` range in a validated request value (a DTO, or a
 * route parameter already converted to a number), as a message, or null.
 */
export function outOfRangeInteger(value: unknown, what: string): string | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: what, depth: 0 }];
  while (pending.length) {
    const { value: current, path, depth } = pending.pop()!;
    if (typeof current === 'number') {
      if (Number.isInteger(current) && (current < INT32_MIN || current > INT32_MAX)) {
        return `${path} is out of range (at most ${INT32_MAX})`;
      }
    } else if (current && typeof current === 'object' && !(current instanceof Date) && depth < MAX_INPUT_DEPTH) {
      for (const [key, item] of Object.entries(current))
        pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
