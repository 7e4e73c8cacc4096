import PDFDocument from 'pdfkit';
import type { CouncilReport, ReportAnswer, ReportBreakdown, ReportQuestion } from './report';

/**
 * The council report as an A4 PDF, drawn with pdfkit's own shapes and its built-in Helvetica (no font
 * files to ship). A cover (title, community, dates, audience, electorate and turnout, context, notes
 * and the method box), then the questions, flowed in blocks that are never split: a question's
 * chart and table, each breakdown table, each written answer. A block that does not fit starts a new
 * page, and every block is far smaller than half a page, so no page but the last is left more than
 * half blank and two or more questions share a page where they fit. The page number sits at the top,
 * so nothing is ever drawn under the bottom margin (which would make pdfkit add a page).
 */

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const TOP = MARGIN + 14;
const WIDTH = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - MARGIN;
const BLUE = '#005eb8';
const TEXT = '#212b32';
const GREY = '#4c6272';
const RULE = '#aeb7bd';
const SHADE = '#f0f4f5';
const WARN = '#ffb81c';

/** The characters Helvetica's WinAnsi encoding has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text the standard fonts can draw: common look-alikes replaced, anything else shown as "?". */
export function pdfText(text: string): string {
  return text
    .replace(/[−‐‑‒]/g, '-')
    .replace(/[→⇒]/g, '->')
    .replace(/[\u2028\u2029]/g, '\n')
    .replace(/[^\n\x20-\x7e\xa0-\xff]/gu, (ch) => (WIN_ANSI_EXTRA.has(ch) ? ch : /\s/.test(ch) ? ' ' : '?'));
}

type Doc = PDFKit.PDFDocument;

interface Block {
  height: number;
  draw: (y: number) => void;
}

function measure(doc: Doc, font: string, size: number, text: string, width: number): number {
  return doc.font(font).fontSize(size).heightOfString(pdfText(text), { width });
}

function write(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  font = 'Helvetica',
  size = 9.5,
  color = TEXT,
  align: 'left' | 'right' = 'left',
): void {
  doc.font(font).fontSize(size).fillColor(color).text(pdfText(text), x, y, { width, align, lineBreak: true });
}

/** A paragraph as a block. */
function paragraph(
  doc: Doc,
  text: string,
  opts: { font?: string; size?: number; color?: string; gap?: number; indent?: number } = {},
): Block {
  const font = opts.font ?? 'Helvetica';
  const size = opts.size ?? 9.5;
  const indent = opts.indent ?? 0;
  const gap = opts.gap ?? 5;
  const height = measure(doc, font, size, text, WIDTH - indent) + gap;
  return { height, draw: (y) => write(doc, text, MARGIN + indent, y, WIDTH - indent, font, size, opts.color ?? TEXT) };
}

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

const CELL_PAD = 3;

/** A table with wrapped cells; an optional bar per row drawn in the last column. */
function table(
  doc: Doc,
  columns: Column[],
  rows: string[][],
  size: number,
  bars?: number[],
): { height: number; draw: (y: number) => number } {
  const cellHeight = (text: string, col: Column, font: string) =>
    measure(doc, font, size, text, col.width - 2 * CELL_PAD) + 2 * CELL_PAD;
  const headHeight = Math.max(...columns.map((c) => (c.title ? cellHeight(c.title, c, 'Helvetica-Bold') : 0)));
  const rowHeights = rows.map((row) =>
    Math.max(
      size + 2 * CELL_PAD,
      ...row.map((v, i) => cellHeight(v, columns[i], i === 0 ? 'Helvetica-Bold' : 'Helvetica')),
    ),
  );
  const height = headHeight + rowHeights.reduce((a, b) => a + b, 0);
  const draw = (top: number) => {
    let y = top;
    let x = MARGIN;
    doc.rect(MARGIN, y, WIDTH, headHeight).fill(SHADE);
    for (const c of columns) {
      if (c.title)
        write(doc, c.title, x + CELL_PAD, y + CELL_PAD, c.width - 2 * CELL_PAD, 'Helvetica-Bold', size, TEXT, c.align);
      x += c.width;
    }
    y += headHeight;
    rows.forEach((row, r) => {
      x = MARGIN;
      doc
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + WIDTH, y)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      row.forEach((v, i) => {
        if (v)
          write(
            doc,
            v,
            x + CELL_PAD,
            y + CELL_PAD,
            columns[i].width - 2 * CELL_PAD,
            i === 0 ? 'Helvetica-Bold' : 'Helvetica',
            size,
            TEXT,
            columns[i].align,
          );
        x += columns[i].width;
      });
      if (bars) {
        const barColumn = columns[columns.length - 1];
        const barX = MARGIN + WIDTH - barColumn.width + CELL_PAD;
        const full = barColumn.width - 2 * CELL_PAD;
        doc.rect(barX, y + CELL_PAD + 1, full, rowHeights[r] - 2 * CELL_PAD - 2).fill('#e8edee');
        if (bars[r] > 0)
          doc.rect(barX, y + CELL_PAD + 1, Math.max(1, full * bars[r]), rowHeights[r] - 2 * CELL_PAD - 2).fill(BLUE);
      }
      y += rowHeights[r];
    });
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + WIDTH, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    return y;
  };
  return { height, draw };
}

function answersTable(doc: Doc, answers: ReportAnswer[]) {
  const columns: Column[] = [
    { title: 'Answer', width: 190 },
    { title: 'Count', width: 50, align: 'right' },
    { title: '%', width: 55, align: 'right' },
    { title: '', width: WIDTH - 295 },
  ];
  return table(
    doc,
    columns,
    answers.map((a) => [a.label, String(a.count), a.percent, '']),
    9,
    answers.map((a) => a.share),
  );
}

/** The question's heading, chart and table, facts and notes: one block, never split. */
function questionBlock(doc: Doc, q: ReportQuestion): Block {
  const heading = `${q.number}. ${q.prompt}`;
  const meta = `${q.kind}. ${q.respondents} respondent${q.respondents === 1 ? '' : 's'}.`;
  const headingHeight = measure(doc, 'Helvetica-Bold', 12, heading, WIDTH) + 3;
  const metaHeight = measure(doc, 'Helvetica', 9, meta, WIDTH) + 6;
  const answers = q.answers.length ? answersTable(doc, q.answers) : null;
  const facts = q.facts.map((f) => paragraph(doc, f, { size: 9 }));
  const notes = q.notes.map((n) => paragraph(doc, `Not shown: ${n}`, { size: 9, indent: 8 }));
  if (q.legend && q.breakdowns.length) facts.push(paragraph(doc, q.legend, { size: 8, color: GREY }));
  const textsHeading = q.texts.length
    ? paragraph(doc, 'Written answers', { font: 'Helvetica-Bold', size: 10, gap: 3 })
    : null;
  const height =
    12 +
    headingHeight +
    metaHeight +
    (answers ? answers.height + 6 : 0) +
    [...facts, ...notes].reduce((sum, b) => sum + b.height, 0) +
    (textsHeading?.height ?? 0);
  return {
    height,
    draw: (top) => {
      let y = top + 12;
      doc
        .moveTo(MARGIN, y - 6)
        .lineTo(MARGIN + WIDTH, y - 6)
        .lineWidth(1.5)
        .strokeColor(BLUE)
        .stroke();
      write(doc, heading, MARGIN, y, WIDTH, 'Helvetica-Bold', 12, BLUE);
      y += headingHeight;
      write(doc, meta, MARGIN, y, WIDTH, 'Helvetica', 9, GREY);
      y += metaHeight;
      if (answers) y = answers.draw(y) + 6;
      for (const b of facts) {
        b.draw(y);
        y += b.height;
      }
      for (const b of notes) {
        doc.rect(MARGIN, y, 3, b.height - 5).fill(WARN);
        b.draw(y);
        y += b.height;
      }
      if (textsHeading) textsHeading.draw(y);
    },
  };
}

function breakdownBlock(doc: Doc, b: ReportBreakdown): Block {
  const title = paragraph(doc, b.title, { font: 'Helvetica-Bold', size: 10, gap: 3 });
  const first = 175;
  const second = 58;
  const rest = (WIDTH - first - second) / Math.max(1, b.columns.length);
  const size = b.columns.length > 6 ? 7 : 8;
  const columns: Column[] = [
    { title: 'Group', width: first },
    { title: 'Respondents', width: second, align: 'right' },
    ...b.columns.map((c) => ({ title: c, width: rest, align: 'right' as const })),
  ];
  // Narrow columns: the count and its percentage on two lines.
  const cells = b.rows.map((r) => [r.group, r.total, ...r.cells.map((c) => (rest < 60 ? c.replace(' (', '\n(') : c))]);
  const t = table(doc, columns, cells, size);
  return {
    height: 4 + title.height + t.height + 2,
    draw: (top) => {
      const y = top + 4;
      title.draw(y);
      t.draw(y + title.height);
    },
  };
}

function methodBlock(doc: Doc, method: string[]): Block {
  const inner = WIDTH - 20;
  const title = measure(doc, 'Helvetica-Bold', 12, 'Method', inner) + 4;
  const heights = method.map((p) => measure(doc, 'Helvetica', 8.5, p, inner) + 4);
  const height = 10 + title + heights.reduce((a, b) => a + b, 0) + 8;
  return {
    height: height + 10,
    draw: (top) => {
      const y0 = top + 10;
      doc.rect(MARGIN, y0, WIDTH, height).lineWidth(1.5).strokeColor(BLUE).stroke();
      let y = y0 + 10;
      write(doc, 'Method', MARGIN + 10, y, inner, 'Helvetica-Bold', 12, BLUE);
      y += title;
      method.forEach((p, i) => {
        write(doc, p, MARGIN + 10, y, inner, 'Helvetica', 8.5);
        y += heights[i];
      });
    },
  };
}

function factsBlock(doc: Doc, facts: Array<[string, string]>): Block {
  const labelWidth = 90;
  const heights = facts.map(([, v]) => measure(doc, 'Helvetica', 10, v, WIDTH - labelWidth - 20) + 5);
  const height = heights.reduce((a, b) => a + b, 0) + 16;
  return {
    height: height + 8,
    draw: (top) => {
      doc.rect(MARGIN, top, WIDTH, height).fill(SHADE);
      let y = top + 8;
      facts.forEach(([label, value], i) => {
        write(doc, label, MARGIN + 10, y, labelWidth, 'Helvetica-Bold', 10);
        write(doc, value, MARGIN + 10 + labelWidth, y, WIDTH - labelWidth - 20, 'Helvetica', 10);
        y += heights[i];
      });
    },
  };
}

/** Lays blocks out top to bottom, starting a new page when the next one does not fit. */
class Flow {
  private y = TOP;

  constructor(private readonly doc: Doc) {}

  add(block: Block): void {
    if (this.y + block.height > BOTTOM && this.y > TOP) this.newPage();
    block.draw(this.y);
    this.y += block.height;
  }

  /** Several blocks that must stay on one page (a heading and what follows it). */
  addTogether(blocks: Block[]): void {
    const height = blocks.reduce((sum, b) => sum + b.height, 0);
    if (this.y + height > BOTTOM && this.y > TOP) this.newPage();
    for (const b of blocks) this.add(b);
  }

  newPageIfPastHalf(): void {
    if (this.y > TOP + (BOTTOM - TOP) / 2) this.newPage();
  }

  newPage(): void {
    this.doc.addPage();
    this.y = TOP;
  }
}

export function councilReportPdf(report: CouncilReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: pdfText(`${report.title}: council report`),
      Author: pdfText(report.community),
      Subject: 'Poll results',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const flow = new Flow(doc);
  // Cover.
  flow.add(paragraph(doc, 'Poll results for the Workforce Council', { size: 10, color: GREY, gap: 4 }));
  flow.add(paragraph(doc, report.title, { font: 'Helvetica-Bold', size: 22, color: BLUE, gap: 6 }));
  flow.add(paragraph(doc, report.community, { font: 'Helvetica-Bold', size: 13, gap: 12 }));
  flow.add(
    factsBlock(doc, [
      ['Status', report.status],
      ['Opened', report.opened],
      ['Closed', report.closed],
      ['Audience', report.audience],
      [
        'Electorate',
        `${report.electorate} member${report.electorate === 1 ? '' : 's'} (the audience when the poll opened)`,
      ],
      ['Turnout', `${report.responses} of ${report.electorate} responded (${report.turnout})`],
      ['Identity', report.anonymous ? 'Anonymous' : 'Named'],
      ['Questions', String(report.questions.length)],
    ]),
  );
  for (const p of report.context) flow.add(paragraph(doc, p, { size: 10 }));
  for (const n of report.notes) flow.add(paragraph(doc, n, { size: 9.5, indent: 8 }));
  flow.add(methodBlock(doc, report.method));

  // Questions: on a fresh page after a full cover; a short cover (or the end of a long one that ran
  // over) is not left more than half blank.
  flow.newPageIfPastHalf();
  for (const q of report.questions) {
    const texts = q.texts.map((t) => paragraph(doc, `• ${t}`, { size: 9, indent: 6, gap: 3 }));
    // The heading block carries the "Written answers" title, so it stays with at least the first one.
    flow.addTogether([questionBlock(doc, q), ...texts.slice(0, 1)]);
    for (const t of texts.slice(1)) flow.add(t);
    for (const b of q.breakdowns) flow.add(breakdownBlock(doc, b));
  }

  // Page numbers at the top right (never under the bottom margin).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const title = report.title.length > 70 ? `${report.title.slice(0, 69)}…` : report.title;
    write(
      doc,
      `${title} - page ${i + 1} of ${range.count}`,
      MARGIN,
      MARGIN - 14,
      WIDTH,
      'Helvetica',
      7.5,
      GREY,
      'right',
    );
  }
  doc.end();
  return done;
}
