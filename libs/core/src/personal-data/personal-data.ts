import { Injectable } from '@nestjs/common';

/**
 * How a module declares the personal data it holds: what each kind of entry is (for the member's export), which
 * tables hold it, and what closing an account does to each of those tables. Modules register one holder each with
 * `AccountService.registerPersonalData` in their own code; identity never imports them. A schema test checks that
 * every table with a reference to a person or an email address is covered by some holder.
 */
export type PersonalRow = Record<string, unknown>;

/** One kind of entry in a member's export: its rows arrive as a list, or in pages for what can grow large. */
export interface PersonalDataPart {
  /** Key in the module's section of the export. */
  name: string;
  /** What these entries are, in words a member understands. */
  about: string;
  rows(userId: string): Promise<PersonalRow[]> | AsyncIterable<PersonalRow>;
}

export interface PersonalDataHolder {
  /** The module's section in the export (e.g. `forum`). */
  section: string;
  /** What the module holds about a person, in a sentence. */
  about: string;
  /** Every table of the module that refers to a person, with what closing an account does to it. */
  tables: Record<string, string>;
  parts: PersonalDataPart[];
  /** Closing an account: de-identify or delete per the tables' rules. Must be idempotent (retried after a failure). */
  close(userId: string): Promise<void>;
}

/**
 * Rows read page by page in a stable order (keyset), so a member with years of entries is exported without
 * holding them all at once. `page(after)` returns at most `size` rows ordered by the cursor that `cursorOf` reads.
 */
export async function* pagedRows<Row extends PersonalRow>(
  page: (after: string | null, size: number) => Promise<Row[]>,
  cursorOf: (row: Row) => string,
  size = 500,
): AsyncIterable<PersonalRow> {
  let after: string | null = null;
  for (;;) {
    const rows = await page(after, size);
    for (const row of rows) yield row;
    if (rows.length < size) return;
    after = cursorOf(rows[rows.length - 1]);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<PersonalRow> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * The export as JSON text in pieces: a header, then each section and part with its rows written as they are read,
 * so memory stays flat however much a member wrote. The pieces join into one valid, indented JSON document.
 */
export async function* personalDataJson(
  header: PersonalRow,
  holders: PersonalDataHolder[],
  userId: string,
): AsyncIterable<string> {
  const headerText = JSON.stringify(header, null, 2);
  yield headerText.slice(0, -2) + ',\n  "sections": {';
  let firstSection = true;
  for (const holder of holders) {
    yield `${firstSection ? '' : ','}\n    ${JSON.stringify(holder.section)}: {\n      "about": ${JSON.stringify(holder.about)}`;
    firstSection = false;
    for (const part of holder.parts) {
      yield `,\n      ${JSON.stringify(part.name)}: {\n        "about": ${JSON.stringify(part.about)},\n        "items": [`;
      const rows = part.rows(userId);
      let first = true;
      let batch = '';
      const write = (row: PersonalRow) => {
        batch += `${first ? '' : ','}\n          ${JSON.stringify(row)}`;
        first = false;
      };
      if (isAsyncIterable(rows)) {
        for await (const row of rows) {
          write(row);
          if (batch.length > 64 * 1024) {
            yield batch;
            batch = '';
          }
        }
      } else {
        for (const row of await rows) write(row);
      }
      yield `${batch}${first ? '' : '\n        '}]\n      }`;
    }
    yield '\n    }';
  }
  yield '\n  }\n}\n';
}

/**
 * Where modules declare their personal data (one holder per module, registered in `onModuleInit`). Identity's
 * account service reads it for the export and for closing; the schema test reads it to prove every table that
 * refers to a person is covered. It lives in core so that modules identity itself uses (mail) can register too.
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly holders = new Map<string, PersonalDataHolder>();

  register(holder: PersonalDataHolder): void {
    if (this.holders.has(holder.section)) throw new Error(`personal data section ${holder.section} registered twice`);
    for (const other of this.holders.values()) {
      const shared = Object.keys(holder.tables).find((table) => table in other.tables);
      if (shared) throw new Error(`table ${shared} declared by both ${other.section} and ${holder.section}`);
    }
    this.holders.set(holder.section, holder);
  }

  /** Every holder in registration order: the export's sections and the order closers run in. */
  all(): PersonalDataHolder[] {
    return [...this.holders.values()];
  }
}
