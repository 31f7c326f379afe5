// Documents by absolute path, and JSON Reference ($ref) resolution across them. Each file is read and
// parsed once per compilation however many $refs point into it.
import { dirname, resolve } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";
import { displayPathOf, readText } from "./files.js";
import { getAtPointer, parsePointer } from "./pointer.js";
import { parseFast, parseWithPositions, type ParsedFile } from "./yaml.js";

export interface Resolved {
  readonly file: ParsedFile;
  readonly pointer: string;
  readonly value: unknown;
}

export class DocumentStore {
  private readonly files = new Map<string, { file?: ParsedFile; diagnostics: Diagnostic[] }>();
  constructor(readonly cwd: string) {}

  /** Forgets every file not loaded with positions (the sources), so their memory can be reclaimed. */
  releaseSources(): void {
    for (const [path, entry] of this.files) if (entry.file && !entry.file.hasPositions) this.files.delete(path);
  }

  /** Loads a file once. `positions` asks for a full source map up front (Arazzo documents). */
  load(path: string, positions: boolean): { file?: ParsedFile; diagnostics: Diagnostic[] } {
    const cached = this.files.get(path);
    if (cached) return cached;
    const displayPath = displayPathOf(path, this.cwd);
    const read = readText(path);
    let result: { file?: ParsedFile; diagnostics: Diagnostic[] };
    if (!read.ok) {
      result = { diagnostics: [makeDiagnostic("AZC1001", { file: displayPath, reason: read.reason }, { file: displayPath, pointer: "" })] };
    } else if (read.text.trim() === "") {
      result = {
        diagnostics: [
          makeDiagnostic("AZC1004", {}, { file: displayPath, pointer: "", range: { line: 1, column: 1, endLine: 1, endColumn: 1 } }),
        ],
      };
    } else {
      result = positions ? parseWithPositions(path, displayPath, read.text) : parseFast(path, displayPath, read.text);
    }
    this.files.set(path, result);
    return result;
  }

  /**
   * Resolves `ref` written in `from`, following chains of $ref objects. Returns a reason instead of
   * throwing; a cycle of pure references is a reason too.
   */
  resolve(from: ParsedFile, ref: string): Resolved | { error: string } {
    const seen = new Set<string>();
    let file = from;
    let current = ref;
    for (;;) {
      const hash = current.indexOf("#");
      const filePart = hash < 0 ? current : current.slice(0, hash);
      const pointerText = hash < 0 ? "" : decodeURIComponent(current.slice(hash + 1));
      if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) return { error: "remote references are not read" };
      if (filePart !== "") {
        const target = resolve(dirname(file.path), decodeURIComponent(filePart));
        const loaded = this.load(target, false);
        if (!loaded.file) return { error: loaded.diagnostics[0]?.message ?? "cannot read the file" };
        file = loaded.file;
      }
      const tokens = parsePointer(pointerText);
      if (!tokens) return { error: `'${pointerText}' is not a JSON pointer` };
      const key = `${file.path}#${pointerText}`;
      if (seen.has(key)) return { error: "the references form a cycle" };
      seen.add(key);
      const value = getAtPointer(file.value, tokens);
      if (value === undefined) return { error: `nothing at #${pointerText} in ${file.displayPath}` };
      const next = refOf(value);
      if (next === undefined) return { file, pointer: pointerText, value };
      current = next;
    }
  }
}

/** The `$ref` string of a Reference Object, if `value` is one. */
export function refOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const ref = (value as Record<string, unknown>)["$ref"];
  return typeof ref === "string" ? ref : undefined;
}
