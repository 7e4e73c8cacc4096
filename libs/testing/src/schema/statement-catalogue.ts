import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

/**
 * Finds every SQL statement of the repositories and statement files (`libs/<module>/src/**\/db/**\/*.ts`) by
 * reading the code, not by running it: the texts given to the port's methods (`rows`, `one`, `maybeOne`,
 * `count`, `exec`, `query`), to `namedStatement`, to helpers whose parameter is the statement (`sql`), and
 * the statement constants of statement files (`*.statements.ts`, `*.sql.ts`). A text is resolved where it is
 * made of constants: literals, template literals whose `${}` parts are constants, statement-building
 * functions called with constants, and both branches of a `cond ? a : b`. A text built at run time (a
 * WHERE clause grown from filters, a column list from a patch) is listed as skipped, with the reason.
 */

export interface CataloguedStatement {
  module: string;
  text: string;
  /** The name PostgreSQL keeps it prepared under, for a `namedStatement`. */
  name?: string;
  /** Where it is used: `file Class.method` (or the constant's name in a statement file). */
  sites: string[];
  /** Where it is first written (file and offset), for the catalogue's order. */
  order: [string, number];
}

export interface SkippedStatement {
  module: string;
  site: string;
  reason: string;
}

export interface Catalogue {
  statements: CataloguedStatement[];
  skipped: SkippedStatement[];
}

/** Methods of the port (and of TypeORM's query interfaces it wraps) whose first argument is a statement. */
const PORT_METHODS = new Set(['rows', 'one', 'maybeOne', 'count', 'exec', 'query']);
const PORT_TYPES = new Set(['Sql', 'SqlPort', 'Queryable', 'EntityManager', 'DataSource', 'QueryRunner']);
/** Parameters of helper functions that take a statement (`deleteInBatches(db, sql, …)`, `queryRows(db, sql)`). */
const STATEMENT_PARAMETERS = new Set(['sql', 'statement']);
/** Alternatives one text may have (`cond ? a : b` inside a template) before it is listed as built at run time. */
const MAX_ALTERNATIVES = 16;
const STATEMENT_FILE = /\.(statements|sql)\.ts$/;
const WHOLE_STATEMENT = /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|VALUES|MERGE)\b/i;

class Unresolved extends Error {}

/** A value the evaluator can know: text, a number, an object literal, or a named statement. */
type Value = string | number | boolean | null | { [key: string]: Value[] } | { name: string; text: string };

/** Every `.ts` file under `libs/<module>/src/**\/db/**`, specs, entities' migrations and generated files aside. */
export function statementSourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string, inDb: boolean) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry === 'migrations' || entry === 'node_modules') continue;
        walk(path, inDb || entry === 'db');
      } else if (inDb && entry.endsWith('.ts') && !/\.(spec|medium-spec|e2e-spec|generated)\.ts$/.test(entry)) {
        files.push(path);
      }
    }
  };
  for (const lib of readdirSync(join(root, 'libs'))) {
    const src = join(root, 'libs', lib, 'src');
    if (statSync(src, { throwIfNoEntry: false })?.isDirectory()) walk(src, false);
  }
  return files.sort();
}

/** Dedents a statement as written in code: trailing spaces off, the common indentation of its later lines off. */
export function normaliseStatement(text: string): string {
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trimEnd());
  const indents = lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const body = [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(Math.min(cut, l.length - l.trimStart().length)))];
  return body.join('\n').trim();
}

export function collectStatements(root: string): Catalogue {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const files = statementSourceFiles(root);
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const found = new Map<string, CataloguedStatement>();
  const skipped: SkippedStatement[] = [];
  const constants = new Map<ts.Symbol, Value[]>();

  const moduleOf = (file: string) => relative(join(root, 'libs'), file).split(sep)[0];

  function symbolOf(node: ts.Node): ts.Symbol | undefined {
    const symbol = checker.getSymbolAtLocation(node);
    return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  }

  function product(parts: Value[][]): Value[][] {
    let combos: Value[][] = [[]];
    for (const alternatives of parts) {
      combos = combos.flatMap((combo) => alternatives.map((a) => [...combo, a]));
      if (combos.length > MAX_ALTERNATIVES) throw new Unresolved('too many alternative texts');
    }
    return combos;
  }

  function asText(value: Value, what: string): string {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    throw new Unresolved(`${what} is not text`);
  }

  function evaluate(node: ts.Expression, env: Map<ts.Symbol, Value[]>): Value[] {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
    if (ts.isNumericLiteral(node)) return [Number(node.text)];
    if (node.kind === ts.SyntaxKind.TrueKeyword) return [true];
    if (node.kind === ts.SyntaxKind.FalseKeyword) return [false];
    if (node.kind === ts.SyntaxKind.NullKeyword) return [null];
    if (
      ts.isParenthesizedExpression(node) ||
      ts.isAsExpression(node) ||
      ts.isSatisfiesExpression(node) ||
      ts.isNonNullExpression(node)
    ) {
      return evaluate(node.expression, env);
    }
    if (ts.isTemplateExpression(node)) {
      const parts = [[node.head.text] as Value[]];
      for (const span of node.templateSpans) parts.push(evaluate(span.expression, env), [span.literal.text]);
      return product(parts).map((combo) => combo.map((v) => asText(v, `\`\${${'…'}}\``)).join(''));
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      return product([evaluate(node.left, env), evaluate(node.right, env)]).map(([a, b]) =>
        typeof a === 'number' && typeof b === 'number' ? a + b : asText(a, 'an operand') + asText(b, 'an operand'),
      );
    }
    if (ts.isConditionalExpression(node)) {
      const both = [...evaluate(node.whenTrue, env), ...evaluate(node.whenFalse, env)];
      if (both.length > MAX_ALTERNATIVES) throw new Unresolved('too many alternative texts');
      return both;
    }
    if (ts.isObjectLiteralExpression(node)) {
      const object: { [key: string]: Value[] } = {};
      for (const property of node.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ) {
          object[property.name.text] = evaluate(property.initializer, env);
        } else if (ts.isShorthandPropertyAssignment(property)) {
          object[property.name.text] = evaluate(property.name, env);
        } else {
          throw new Unresolved('an object built at run time');
        }
      }
      return [object];
    }
    if (ts.isIdentifier(node)) return identifier(node, env);
    if (ts.isPropertyAccessExpression(node)) {
      const symbol = symbolOf(node);
      const declaration = symbol?.valueDeclaration;
      if (declaration && ts.isEnumMember(declaration) && declaration.initializer) {
        return evaluate(declaration.initializer, new Map());
      }
      return evaluate(node.expression, env).map((object) => {
        const values = typeof object === 'object' && object !== null ? (object as Record<string, Value[]>) : null;
        const value = values?.[node.name.text];
        if (!Array.isArray(value) || value.length !== 1)
          throw new Unresolved(`\`${node.getText()}\` is a run-time value`);
        return value[0];
      });
    }
    if (ts.isCallExpression(node)) return call(node, env);
    throw new Unresolved(`\`${node.getText().slice(0, 60)}\` is built at run time`);
  }

  function identifier(node: ts.Identifier, env: Map<ts.Symbol, Value[]>): Value[] {
    const symbol = symbolOf(node);
    if (!symbol) throw new Unresolved(`\`${node.text}\` is unknown`);
    const bound = env.get(symbol);
    if (bound) return bound;
    const known = constants.get(symbol);
    if (known) return known;
    const declaration = symbol.valueDeclaration;
    if (declaration && ts.isParameter(declaration)) {
      throw new Unresolved(`passes its caller's \`${node.text}\` through (catalogued where the caller writes it)`);
    }
    if (
      declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const &&
      !ts.isArrowFunction(declaration.initializer) &&
      !ts.isFunctionExpression(declaration.initializer)
    ) {
      const value = evaluate(declaration.initializer, new Map());
      constants.set(symbol, value);
      return value;
    }
    throw new Unresolved(`\`${node.text}\` is a run-time value`);
  }

  /** The body of a statement-building function: an arrow's expression, or a block of one `return`. */
  function functionOf(symbol: ts.Symbol | undefined): ts.SignatureDeclaration & { body?: ts.Node } {
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isFunctionDeclaration(declaration)) return declaration;
    if (
      declaration &&
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer &&
      (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
    ) {
      return declaration.initializer;
    }
    throw new Unresolved('built at run time');
  }

  function call(node: ts.CallExpression, env: Map<ts.Symbol, Value[]>): Value[] {
    const callee = symbolOf(node.expression);
    if (callee?.name === 'namedStatement') {
      const [name, text] = node.arguments;
      const names = evaluate(name, env);
      return product([names, evaluate(text, env)]).map(([n, t]) => ({
        name: asText(n, 'a name'),
        text: asText(t, 'a text'),
      }));
    }
    let fn: ReturnType<typeof functionOf>;
    try {
      fn = functionOf(callee);
    } catch {
      throw new Unresolved(`\`${node.expression.getText()}(…)\` is built at run time`);
    }
    const body = fn.body && ts.isBlock(fn.body) ? singleReturn(fn.body) : (fn.body as ts.Expression | undefined);
    if (!body) throw new Unresolved(`\`${callee?.name}\` is not a single expression`);
    const args = fn.parameters.map((parameter, i) => {
      const arg = node.arguments[i] ?? parameter.initializer;
      if (!arg) throw new Unresolved(`\`${callee?.name}\` is called without its \`${parameter.name.getText()}\``);
      return evaluate(arg, env);
    });
    return product(args).flatMap((combo) => {
      const inner = new Map<ts.Symbol, Value[]>();
      fn.parameters.forEach((parameter, i) => {
        const symbol = checker.getSymbolAtLocation(parameter.name);
        if (!symbol || !ts.isIdentifier(parameter.name)) throw new Unresolved('a destructured parameter');
        inner.set(symbol, [combo[i]]);
      });
      return evaluate(body, inner);
    });
  }

  function singleReturn(block: ts.Block): ts.Expression | undefined {
    const [only] = block.statements;
    return block.statements.length === 1 && ts.isReturnStatement(only) ? only.expression : undefined;
  }

  function siteOf(node: ts.Node, file: string): string {
    const names: string[] = [];
    for (let at: ts.Node | undefined = node; at; at = at.parent) {
      if ((ts.isMethodDeclaration(at) || ts.isGetAccessor(at) || ts.isFunctionDeclaration(at)) && at.name) {
        names.unshift(at.name.getText());
      } else if (ts.isClassDeclaration(at) && at.name) {
        names.unshift(at.name.text);
      } else if (ts.isVariableDeclaration(at) && ts.isIdentifier(at.name) && ts.isSourceFile(at.parent.parent.parent)) {
        names.unshift(at.name.text);
      }
    }
    return `${relative(root, file)} ${names.join('.') || '(top level)'}`;
  }

  function record(file: string, site: string, value: Value, at: number): void {
    const module = moduleOf(file);
    const named =
      typeof value === 'object' && value !== null && 'text' in value ? (value as { name: string; text: string }) : null;
    const text = normaliseStatement(named ? named.text : asText(value, 'the statement'));
    const key = `${module}\u0000${named?.name ?? ''}\u0000${text}`;
    const order: [string, number] = [relative(root, file), at];
    const entry = found.get(key) ?? { module, text, ...(named ? { name: named.name } : {}), sites: [], order };
    if (!entry.sites.includes(site)) entry.sites.push(site);
    found.set(key, entry);
  }

  function statementArgument(node: ts.CallExpression): ts.Expression | undefined {
    const callee = node.expression;
    if (ts.isPropertyAccessExpression(callee) && PORT_METHODS.has(callee.name.text)) {
      const receiver = checker.getTypeAtLocation(callee.expression);
      const names = [receiver, ...(receiver.isUnion() ? receiver.types : [])].map(
        (t) => (t.getSymbol() ?? t.aliasSymbol)?.name,
      );
      if (names.some((n) => n && PORT_TYPES.has(n))) return node.arguments[0];
      return undefined;
    }
    const symbol = symbolOf(callee);
    if (symbol?.name === 'namedStatement') return node;
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isFunctionDeclaration(declaration)) {
      const index = declaration.parameters.findIndex(
        (p) => ts.isIdentifier(p.name) && STATEMENT_PARAMETERS.has(p.name.text),
      );
      if (index >= 0) return node.arguments[index];
    }
    return undefined;
  }

  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const statementFile = STATEMENT_FILE.test(file);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const argument = statementArgument(node);
        // namedStatement's own calls are recorded where the statement is used, or as a statement file's constant.
        const symbol = symbolOf(node.expression);
        if (argument && !(symbol?.name === 'namedStatement' && statementFile)) {
          const site = siteOf(node, file);
          try {
            for (const value of evaluate(argument, new Map())) record(file, site, value, node.getStart());
          } catch (error) {
            if (!(error instanceof Unresolved)) throw error;
            skipped.push({ module: moduleOf(file), site, reason: error.message });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (statementFile) {
      for (const statement of source.statements) {
        if (
          !ts.isVariableStatement(statement) ||
          !(ts.getCombinedNodeFlags(statement.declarationList) & ts.NodeFlags.Const)
        ) {
          continue;
        }
        for (const declaration of statement.declarationList.declarations) {
          const initializer = declaration.initializer;
          if (!initializer || !ts.isIdentifier(declaration.name)) continue;
          if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) continue;
          const site = `${relative(root, file)} ${declaration.name.text}`;
          try {
            for (const value of evaluate(initializer, new Map())) {
              const text = typeof value === 'object' && value !== null && 'text' in value ? value.text : value;
              if (typeof text === 'string' && WHOLE_STATEMENT.test(text))
                record(file, site, value, declaration.getStart());
            }
          } catch (error) {
            if (!(error instanceof Unresolved)) throw error;
            skipped.push({ module: moduleOf(file), site, reason: error.message });
          }
        }
      }
    }
  }
  return { statements: [...found.values()], skipped };
}

/** Whether PostgreSQL can PREPARE the statement: only SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES (and WITH). */
export function isPreparable(text: string): boolean {
  return WHOLE_STATEMENT.test(text.replace(/^(\s*--[^\n]*\n)+/, ''));
}

/** The catalogue files, one per module (`docs/statements/<module>.sql`), as the test writes them. */
export function renderCatalogue(catalogue: Catalogue): Map<string, string> {
  const modules = [...new Set([...catalogue.statements, ...catalogue.skipped].map((s) => s.module))].sort();
  const files = new Map<string, string>();
  for (const module of modules) {
    const lines = [
      `-- Every SQL statement of libs/${module}, read from its db/ folders; each one prepares against the migrated schema.`,
      '-- Generated by libs/testing/src/schema/statements.medium-spec.ts (UPDATE_CATALOGUE=1 rewrites it). Do not edit by hand.',
      '',
    ];
    const statements = catalogue.statements
      .filter((s) => s.module === module)
      .sort((a, b) => a.order[0].localeCompare(b.order[0]) || a.order[1] - b.order[1] || a.text.localeCompare(b.text));
    for (const statement of statements) {
      for (const site of statement.sites) lines.push(`-- ${site}`);
      if (statement.name) lines.push(`-- prepared as ${statement.name}`);
      if (!isPreparable(statement.text))
        lines.push('-- not prepared: PostgreSQL prepares only SELECT, INSERT, UPDATE, DELETE');
      lines.push(`${statement.text};`, '');
    }
    const skipped = catalogue.skipped
      .filter((s) => s.module === module)
      .sort((a, b) => a.site.localeCompare(b.site) || a.reason.localeCompare(b.reason));
    if (skipped.length) {
      lines.push('-- Statements whose text is built at run time (not in this catalogue):');
      for (const s of skipped) lines.push(`--   ${s.site}: ${s.reason}`);
      lines.push('');
    }
    files.set(module, lines.join('\n'));
  }
  return files;
}
