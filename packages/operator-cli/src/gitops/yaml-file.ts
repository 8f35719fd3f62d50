import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';

/** A path into a parsed document: map keys and sequence indexes. */
export type YamlPath = (string | number)[];

/** One document of a YAML file that parsed. */
export interface YamlDoc {
  /** The document as plain data. */
  readonly value: unknown;
  /** 1-based line of its first node. */
  readonly line: number;
  /** The line of the node at `path`, or of its nearest ancestor that exists. */
  lineOf(path: YamlPath): number;
  /** Every string scalar value, with where it sits. */
  strings(): YamlString[];
}

/** A string scalar of a document: its value, its source text and where it starts. */
export interface YamlString {
  readonly value: string;
  readonly path: YamlPath;
  /** The scalar as written (quotes, block indentation), so a match maps to a line. */
  readonly source: string;
  /** Line of a character offset into `source`. */
  lineAt(offsetInSource: number): number;
}

/** A YAML file: the documents that parsed, and where the others failed. */
export interface YamlFile {
  /** Repository-relative path, `/`-separated. */
  readonly path: string;
  readonly docs: YamlDoc[];
  readonly errors: { readonly line: number; readonly message: string }[];
}

/**
 * Parses every document of `text` with line numbers. `lineOffset` shifts every line, for YAML
 * embedded in a block scalar of another file (a kustomize inline patch).
 */
export function parseYaml(path: string, text: string, lineOffset = 0): YamlFile {
  const counter = new LineCounter();
  const lineAt = (offset: number) => counter.linePos(offset).line + lineOffset;
  const docs: YamlDoc[] = [];
  const errors: { line: number; message: string }[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      errors.push({ line: lineAt(first.pos[0]), message: first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') });
      continue;
    }
    if (doc.contents === null) continue;
    docs.push(yamlDoc(doc, text, lineAt));
  }
  return { path, docs, errors };
}

function yamlDoc(doc: Document.Parsed, text: string, lineAt: (offset: number) => number): YamlDoc {
  const rangeStart = (node: unknown) => (node as Node | undefined)?.range?.[0];
  return {
    value: doc.toJS({ maxAliasCount: -1 }),
    line: lineAt(rangeStart(doc.contents) ?? 0),
    lineOf(path: YamlPath): number {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        const start = rangeStart(node);
        if (start !== undefined) return lineAt(start);
      }
      return lineAt(0);
    },
    strings(): YamlString[] {
      const found: YamlString[] = [];
      collectStrings(doc.contents, [], text, lineAt, found);
      return found;
    },
  };
}

function collectStrings(node: unknown, path: YamlPath, text: string, lineAt: (offset: number) => number, out: YamlString[]): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.range) {
      const start = node.range[0];
      out.push({ value: node.value, path, source: text.slice(start, node.range[1]), lineAt: (offset) => lineAt(start + offset) });
    }
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      collectStrings(pair.value, [...path, key], text, lineAt, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => collectStrings(item, [...path, index], text, lineAt, out));
  }
}

/** The value at `path` of plain data, or undefined. */
export function getPath(value: unknown, path: YamlPath): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** `value` as a plain object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** `value` as an array, or empty. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value` if it is a string, else undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Visits every plain object of `value` depth first, with its path. */
export function walkObjects(value: unknown, visit: (object: Record<string, unknown>, path: YamlPath) => void, path: YamlPath = []): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkObjects(item, visit, [...path, index]));
    return;
  }
  const object = asObject(value);
  if (object === undefined) return;
  visit(object, path);
  for (const [key, child] of Object.entries(object)) walkObjects(child, visit, [...path, key]);
}
