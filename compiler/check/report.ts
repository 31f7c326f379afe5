// What the check stage's functions hand back besides their result: diagnostics, and the runtime values they
// read. Lowering functions are pure (a document node and the symbol table in, a value out); each returns a
// Lowered<T>, and a Collector composes the results of the functions it calls.
import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type RelatedInformation } from "../diagnostics.js";
import type { ParsedFile } from "../load/yaml.js";
import type { Ref } from "./model.js";
import type { Place } from "./resolve.js";

/** Offsets inside the string value at a pointer: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Where a diagnostic points: a node (its key with `preferKey`), or characters inside a string node. */
export interface At {
  readonly pointer: string;
  readonly preferKey?: boolean;
  readonly span?: Span;
}

/** A runtime value read by a lowered value or criterion: what, in which text, where and when. */
export interface Read {
  readonly ref: Ref;
  /** The expression as written. */
  readonly text: string;
  readonly at: At;
  readonly place: Place;
}

export interface Lowered<T> {
  /** undefined when the node could not be lowered (its diagnostics say why). */
  readonly value: T | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly reads: readonly Read[];
}

/** A diagnostic of `file` at a place given by pointer (and span): the file's own source map gives the range. */
export function diagnosticAt(
  file: ParsedFile,
  code: DiagnosticCode,
  args: Record<string, string | number>,
  at: At,
  related: readonly RelatedInformation[] = [],
): Diagnostic {
  const range = at.span ? file.locateIn(at.pointer, at.span.start, at.span.end) : file.locate(at.pointer, at.preferKey);
  return makeDiagnostic(code, args, { file: file.displayPath, pointer: at.pointer, range }, related);
}

/** Related information pointing at another node of the same file. */
export function relatedAt(file: ParsedFile, message: string, at: At): RelatedInformation {
  const range = at.span ? file.locateIn(at.pointer, at.span.start, at.span.end) : file.locate(at.pointer, at.preferKey);
  return range ? { file: file.displayPath, range, message } : { file: file.displayPath, message };
}

/** Shifts a span found in a part of a string (an embedded expression's text) to the whole string. */
export function shift(span: Span | undefined, by: number): Span | undefined {
  return span && { start: span.start + by, end: span.end + by };
}

/** Accumulates the diagnostics and reads of the lowering functions one function calls. */
export class Collector {
  readonly diagnostics: Diagnostic[] = [];
  readonly reads: Read[] = [];

  constructor(readonly file: ParsedFile) {}

  report(code: DiagnosticCode, args: Record<string, string | number>, at: At): void {
    this.diagnostics.push(diagnosticAt(this.file, code, args, at));
  }

  read(read: Read): void {
    this.reads.push(read);
  }

  /** The value of a lowered result, its diagnostics and reads kept here. */
  take<T>(lowered: Lowered<T>): T | undefined {
    this.diagnostics.push(...lowered.diagnostics);
    this.reads.push(...lowered.reads);
    return lowered.value;
  }

  done(value: undefined): Lowered<never>;
  done<T>(value: T | undefined): Lowered<T>;
  done<T>(value: T | undefined): Lowered<T> {
    return { value, diagnostics: this.diagnostics, reads: this.reads };
  }
}
