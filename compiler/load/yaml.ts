// YAML and JSON documents with a source map from JSON pointer to line:column. Arazzo documents are read
// with positions for every node; large OpenAPI sources take a fast path (js-yaml, several times quicker
// on an 800 KB description) and get positions only when a diagnostic needs one.
import jsYaml from "js-yaml";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { makeDiagnostic, type Diagnostic, type SourceRange } from "../diagnostics.js";
import { joinPointer } from "./pointer.js";

export interface Located {
  /** Range of the mapping key, when the node is a mapping value. */
  readonly key?: SourceRange;
  readonly value: SourceRange;
}

export interface ParsedFile {
  /** Absolute path. */
  readonly path: string;
  /** Path as shown to the user. */
  readonly displayPath: string;
  readonly text: string;
  readonly value: unknown;
  /** Whether the file was loaded as an Arazzo document (positions up front) rather than a source (on demand). */
  readonly hasPositions: boolean;
  /** Range of the node at `pointer` (the key when `preferKey` and the node is a mapping value). */
  locate(pointer: string, preferKey?: boolean): SourceRange | undefined;
  /**
   * Range of the characters [start, end) of the string value at `pointer` (offsets in the value as read, after
   * quotes, escapes and line folding): the exact place of an expression inside a string. The whole node when the
   * value is not a string scalar there.
   */
  locateIn(pointer: string, start: number, end: number): SourceRange | undefined;
}

/** A string scalar as written: where it starts in the text, its style, and the value it reads as. */
interface ScalarSource {
  readonly start: number;
  readonly end: number;
  readonly type: string | undefined;
  readonly value: string;
}

interface PositionIndex {
  readonly map: Map<string, Located>;
  readonly scalars: Map<string, ScalarSource>;
  readonly lineCounter: LineCounter;
  readonly value: unknown;
  readonly diagnostics: Diagnostic[];
}

function formatOf(path: string): string {
  return /\.json$/i.test(path) ? "JSON" : "YAML";
}

/** The mapping key that starts at `offset` (the parser's error span may cover only its first character). */
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset).split(/\r?\n/, 1)[0] ?? "";
  const quoted = /^(["'])(.*?)\1\s*:/.exec(line);
  if (quoted) return quoted[2]!;
  const plain = /^(.*?)\s*:(\s|$)/.exec(line);
  return (plain?.[1] ?? line).trim() || "?";
}

function rangeOf(lc: LineCounter, start: number, end: number): SourceRange {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

function indexPositions(text: string, displayPath: string): PositionIndex {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: "1.2" });
  const map = new Map<string, Located>();
  const scalars = new Map<string, ScalarSource>();
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    const range = rangeOf(lineCounter, start, end);
    const duplicate = /Map keys must be unique/.test(error.message);
    const reason = error.message.split("\n")[0] ?? error.message;
    diagnostics.push(
      duplicate
        ? makeDiagnostic("AZC1003", { key: keyAt(text, start) }, { file: displayPath, pointer: "", range })
        : makeDiagnostic(
            "AZC1002",
            { format: formatOf(displayPath), reason: reason.replace(/ at line \d+, column \d+.*$/, "") },
            { file: displayPath, pointer: "", range },
          ),
    );
  }
  if (diagnostics.length > 0) return { map, scalars, lineCounter, value: undefined, diagnostics };

  const visit = (node: Node | null | undefined, pointer: string, key?: SourceRange): void => {
    if (!node) return;
    const [start, end] = node.range ?? [0, 0, 0];
    map.set(pointer, key ? { key, value: rangeOf(lineCounter, start, end) } : { value: rangeOf(lineCounter, start, end) });
    if (isScalar(node) && typeof node.value === "string") scalars.set(pointer, { start, end, type: node.type, value: node.value });
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        const name = isScalar(k) ? String(k.value) : String(k);
        const [ks, ke] = k?.range ?? [start, start, start];
        const keyRange = rangeOf(lineCounter, ks, ke);
        const child = pair.value as Node | null;
        if (child) visit(child, joinPointer(pointer, name), keyRange);
        else map.set(joinPointer(pointer, name), { key: keyRange, value: keyRange });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node, joinPointer(pointer, i)));
    } else if (isAlias(node)) {
      // Aliases resolve to the anchored node's value; its position is the alias itself.
    }
  };
  visit(doc.contents as Node | null, "");
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    const excessive = /alias/i.test((error as Error).message);
    diagnostics.push(
      excessive
        ? makeDiagnostic("AZC1053", { file: displayPath, limit: MAX_ALIAS_EXPANSION }, { file: displayPath, pointer: "" })
        : makeDiagnostic(
            "AZC1002",
            { format: formatOf(displayPath), reason: (error as Error).message },
            { file: displayPath, pointer: "" },
          ),
    );
    return { map, scalars, lineCounter, value: undefined, diagnostics };
  }
  const aliasProblem = aliasDiagnostic(value, displayPath);
  if (aliasProblem) diagnostics.push(aliasProblem);
  return { map, scalars, lineCounter, value, diagnostics };
}

/**
 * For each character of a scalar's value, the offset (in `text`) of the characters that produce it: walks the
 * source and the value together, decoding escapes and '' and stepping over what the value drops (quotes,
 * block headers, indentation, folded line breaks). undefined when the two cannot be aligned.
 */
function scalarOffsets(text: string, scalar: ScalarSource): { starts: number[]; ends: number[] } | undefined {
  const { value, type } = scalar;
  let j = scalar.start;
  if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") j++;
  else if (type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") j = text.indexOf("\n", j) + 1;
  if (j <= 0) return undefined;
  const starts: number[] = [];
  const ends: number[] = [];
  const ESCAPE_LENGTH: Record<string, number> = { x: 4, u: 6, U: 10 };
  for (let i = 0; i < value.length;) {
    if (j >= scalar.end) return undefined;
    const c = text[j]!;
    if (type === "QUOTE_DOUBLE" && c === "\\") {
      const next = text[j + 1] ?? "";
      if (next === "\n" || next === "\r") {
        j += next === "\r" && text[j + 2] === "\n" ? 3 : 2; // an escaped line break produces nothing
        continue;
      }
      const length = ESCAPE_LENGTH[next] ?? 2;
      // \U escapes may produce a surrogate pair: both halves come from the one escape.
      const produced = next === "U" && Number.parseInt(text.slice(j + 2, j + 10), 16) > 0xffff ? 2 : 1;
      for (let k = 0; k < produced; k++, i++) {
        starts.push(j);
        ends.push(j + length);
      }
      j += length;
      continue;
    }
    if (type === "QUOTE_SINGLE" && c === "'" && text[j + 1] === "'" && value[i] === "'") {
      starts.push(j);
      ends.push(j + 2);
      i++;
      j += 2;
      continue;
    }
    const folded = (value[i] === " " || value[i] === "\n") && (c === "\n" || c === "\r");
    if (c === value[i] || folded) {
      starts.push(j);
      ends.push(j + 1);
      i++;
    }
    j++;
  }
  return { starts, ends };
}

function scalarLocator(text: string, index: () => PositionIndex, locate: (pointer: string) => SourceRange | undefined) {
  const aligned = new Map<string, { starts: number[]; ends: number[] } | undefined>();
  return (pointer: string, start: number, end: number): SourceRange | undefined => {
    const { scalars, lineCounter } = index();
    const scalar = scalars.get(pointer);
    if (!scalar || start < 0 || end > scalar.value.length || start >= end) return locate(pointer);
    if (!aligned.has(pointer)) aligned.set(pointer, scalarOffsets(text, scalar));
    const offsets = aligned.get(pointer);
    if (!offsets) return locate(pointer);
    return rangeOf(lineCounter, offsets.starts[start]!, offsets.ends[end - 1]!);
  };
}

/**
 * Nodes that YAML aliases may add to a document, beyond the nodes written. Parsers share an anchored
 * node among its aliases, so forty nested aliases in 2 KB make a value of 2^40 nodes for whatever walks
 * it; and an alias inside its own anchor makes a cycle. Both are refused before any stage walks the value.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/** undefined when `value` is a tree, or shares nodes within the bound; else why it is refused. */
export function aliasExpansion(value: unknown): "cycle" | "too-large" | undefined {
  const sizes = new Map<object, number>();
  const visiting = new Set<object>();
  let distinct = 0;
  let problem: "cycle" | "too-large" | undefined;
  const size = (node: unknown): number => {
    if (problem) return 1;
    if (node === null || typeof node !== "object") {
      distinct++; // a scalar is never shared: it is written where it counts
      return 1;
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) {
      problem = "cycle";
      return 1;
    }
    visiting.add(node);
    distinct++;
    let total = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      total += size(child);
      if (total - distinct > MAX_ALIAS_EXPANSION) problem ??= "too-large";
    }
    visiting.delete(node);
    sizes.set(node, total);
    return total;
  };
  const total = size(value);
  if (!problem && total - distinct > MAX_ALIAS_EXPANSION) problem = "too-large";
  return problem;
}

function aliasDiagnostic(value: unknown, displayPath: string): Diagnostic | undefined {
  const problem = aliasExpansion(value);
  if (problem === undefined) return undefined;
  const where = { file: displayPath, pointer: "" };
  return problem === "cycle"
    ? makeDiagnostic("AZC1002", { format: "YAML", reason: "an alias refers to the node that contains it (a cycle)" }, where)
    : makeDiagnostic("AZC1053", { file: displayPath, limit: MAX_ALIAS_EXPANSION }, where);
}

function locator(index: () => PositionIndex) {
  return (pointer: string, preferKey = false): SourceRange | undefined => {
    const { map } = index();
    // Fall back to the nearest ancestor that has a position (e.g. a missing field points at its object).
    let p = pointer;
    for (;;) {
      const hit = map.get(p);
      if (hit) return preferKey && hit.key ? hit.key : hit.value;
      if (p === "") return undefined;
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
}

/**
 * Above this size a file gets no source map: the positional parser needs about 80 times the text in
 * memory (a 50 MB document ran out of 4 GB after six minutes). Its diagnostics then name the file and the
 * JSON pointer, without line and column; its syntax errors keep theirs.
 */
export const POSITIONS_MAX_BYTES = 8 * 1024 * 1024;

/** Parses with a position for every node: for Arazzo documents, where diagnostics point at nodes. */
export function parseWithPositions(path: string, displayPath: string, text: string): { file?: ParsedFile; diagnostics: Diagnostic[] } {
  if (text.length > POSITIONS_MAX_BYTES) {
    const parsed = parseFast(path, displayPath, text);
    // Still an Arazzo document, kept for the whole compilation (see DocumentStore.releaseSources).
    return parsed.file ? { file: { ...parsed.file, hasPositions: true }, diagnostics: parsed.diagnostics } : parsed;
  }
  const index = indexPositions(text, displayPath);
  if (index.diagnostics.length > 0) return { diagnostics: index.diagnostics };
  const locate = locator(() => index);
  const locateIn = scalarLocator(text, () => index, locate);
  return { file: { path, displayPath, text, value: index.value, hasPositions: true, locate, locateIn }, diagnostics: [] };
}

/** Parses quickly; positions are computed on first use. For large sources such as OpenAPI descriptions. */
export function parseFast(path: string, displayPath: string, text: string): { file?: ParsedFile; diagnostics: Diagnostic[] } {
  let value: unknown;
  const json = text.trimStart().startsWith("{");
  try {
    value = json ? JSON.parse(text) : jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
  } catch (error) {
    // Let the positional parser describe the error precisely, when the file is small enough for it.
    if (text.length <= POSITIONS_MAX_BYTES) return parseWithPositions(path, displayPath, text);
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = ((error as { reason?: string }).reason ?? (error as Error).message).split("\n")[0]!;
    const range = mark ? { line: mark.line + 1, column: mark.column + 1, endLine: mark.line + 1, endColumn: mark.column + 2 } : undefined;
    return {
      diagnostics: [makeDiagnostic("AZC1002", { format: formatOf(displayPath), reason }, { file: displayPath, pointer: "", range })],
    };
  }
  // JSON has no aliases; YAML's are bounded before any stage walks the value.
  const aliasProblem = json ? undefined : aliasDiagnostic(value, displayPath);
  if (aliasProblem) return { diagnostics: [aliasProblem] };
  let index: PositionIndex | undefined;
  // Above the limit no positions are computed: diagnostics then say the JSON pointer alone.
  const none: PositionIndex = { map: new Map(), scalars: new Map(), lineCounter: new LineCounter(), value, diagnostics: [] };
  const lazy = () => (index ??= text.length > POSITIONS_MAX_BYTES ? none : indexPositions(text, displayPath));
  const locate = locator(lazy);
  return {
    file: { path, displayPath, text, value, hasPositions: false, locate, locateIn: scalarLocator(text, lazy, locate) },
    diagnostics: [],
  };
}
