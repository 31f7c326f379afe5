// `arazzoc upgrade` on files: finds the documents, asks the 1.0 front end which bare expressions it
// interpolates (so that the upgraded document says what arazzoc compiled), upgrades each text (upgrade.ts)
// and writes it in place, to --out, or (with --check) nowhere.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { makeDiagnostic, type Diagnostic } from "./diagnostics.js";
import { check, createCompileCache, type CompileCache, type CompileOptions } from "./index.js";
import { expandInputs } from "./inputs.js";
import { displayPathOf } from "./load/files.js";
import { upgradeText, type BareExpression, type UpgradedDocument } from "./upgrade.js";

export interface UpgradeOptions {
  readonly inputs: readonly string[];
  /** How the documents' sources are read for the 1.0 check, as for compile (sources, root, limits). */
  readonly reading?: Omit<CompileOptions, "inputs" | "emit" | "target">;
  readonly cwd?: string;
}

export interface UpgradeRun {
  /** Each document's upgrade, with its absolute path, the folder it was found in, and its original text. */
  readonly documents: readonly (UpgradedDocument & { readonly path: string; readonly base: string; readonly original: string })[];
  /** Problems with the inputs themselves (a folder with no documents). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The bare expressions the 1.0 compiler interpolates in one document, read from its AZC3002 warnings. */
async function bareExpressions(
  path: string,
  text: string,
  options: UpgradeOptions,
  cwd: string,
  cache: CompileCache,
): Promise<{ bare: BareExpression[]; problems: Diagnostic[] }> {
  const reading = options.reading ?? {};
  // Whatever the project's severities say, the warnings are what is asked for here.
  const severity = { ...(reading.severity ?? {}), AZC3002: "warning" as const };
  const result = await check({ ...reading, cwd, inputs: [path], strict: false, severity, cache });
  const file = displayPathOf(path, cwd);
  // A source mapping that only other documents use is no problem of this one.
  const errors = result.diagnostics.filter((d) => d.severity === "error" && d.code !== "AZC7010");
  if (errors.length > 0) {
    const count = `${errors.length} error${errors.length === 1 ? "" : "s"}, the first ${errors[0]!.code}`;
    return { bare: [], problems: [makeDiagnostic("AZC7025", { count }, { file, pointer: "" })] };
  }
  const lines = text.split("\n");
  const bare: BareExpression[] = [];
  for (const d of result.diagnostics) {
    if (d.code !== "AZC3002" || d.file !== file || !d.range || d.range.endLine !== d.range.line) continue;
    // The warning's range is the expression as written: in a one-line scalar, the source text is the expression.
    const expression = (lines[d.range.line - 1] ?? "").slice(d.range.column - 1, d.range.endColumn - 1);
    if (expression.startsWith("$")) bare.push({ pointer: d.pointer, expression });
  }
  return { bare, problems: [] };
}

/** Upgrades the documents the inputs name, without writing anything. */
export async function upgrade(options: UpgradeOptions): Promise<UpgradeRun> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const expanded = expandInputs(options.inputs, cwd);
  const diagnostics = expanded.empty.map((input) => makeDiagnostic("AZC1006", { path: input }, { file: displayPathOf(resolve(cwd, input), cwd), pointer: "" }));
  const documents: UpgradeRun["documents"][number][] = [];
  // Documents of one folder share their descriptions: each is parsed once for all the checks.
  const cache = createCompileCache();
  for (const { path, base } of expanded.documents) {
    const file = displayPathOf(path, cwd);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      diagnostics.push(makeDiagnostic("AZC1001", { file, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, { file, pointer: "" }));
      continue;
    }
    const first = upgradeText(text, file);
    if (!first.changed) {
      documents.push({ ...first, path, base, original: text });
      continue;
    }
    const { bare, problems } = await bareExpressions(path, text, options, cwd, cache);
    const upgraded = bare.length > 0 ? upgradeText(text, file, bare) : first;
    documents.push({ ...upgraded, diagnostics: [...upgraded.diagnostics, ...problems], path, base, original: text });
  }
  return { documents, diagnostics };
}

/**
 * Where each upgraded document goes: in place; with `out`, to that file (one document, `out` not a folder) or
 * into that folder, keeping each document's path below the folder it was found in.
 */
export function destinations(run: UpgradeRun, out: string | undefined, cwd: string): Map<string, string> {
  const targets = new Map<string, string>();
  const folder = out !== undefined && (run.documents.length > 1 || out.endsWith("/") || (existsSync(resolve(cwd, out)) && statSync(resolve(cwd, out)).isDirectory()));
  for (const document of run.documents) {
    const target = out === undefined ? document.path : folder ? join(resolve(cwd, out), relative(document.base, document.path)) : resolve(cwd, out);
    targets.set(document.path, target);
  }
  return targets;
}

/** Writes each changed document (or, to another place, every document) where destinations() says. */
export function writeUpgraded(run: UpgradeRun, targets: ReadonlyMap<string, string>): string[] {
  const written: string[] = [];
  for (const document of run.documents) {
    const target = targets.get(document.path)!;
    if (target === document.path && !document.changed) continue;
    if (document.diagnostics.some((d) => d.severity === "error")) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, document.text);
    written.push(target);
  }
  return written;
}
