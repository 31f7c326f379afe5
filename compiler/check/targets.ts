// What a step, an action or dependsOn names: an OpenAPI operation (by operationId or operationPath) or a
// workflow (of this document, or of an Arazzo source as `$sourceDescriptions.<name>.<workflowId>`).
import type { OpenApiSource, OperationInfo } from "../load/openapi.js";
import type { ArazzoDocument, Step, Workflow } from "../schema/arazzo.js";
import type { WorkflowRef } from "./model.js";
import { Collector, diagnosticAt, relatedAt, type At, type Lowered } from "./report.js";
import { versionOf, type SymbolTable } from "./symbols.js";
import { joinPointer } from "../load/pointer.js";

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = candidate.toLowerCase() === name.toLowerCase() ? 0 : distance(name.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function operationLabel(operation: OperationInfo): string {
  return operation.operationId ?? `${operation.method} ${operation.path}`;
}

export interface WorkflowTarget {
  readonly ref: WorkflowRef;
  readonly workflow: Workflow;
  readonly document: ArazzoDocument;
}

const QUALIFIED = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/;

/** The workflow `text` names, written at `pointer`. */
export function resolveWorkflow(text: string, pointer: string, symbols: SymbolTable): Lowered<WorkflowTarget> {
  const out = new Collector(symbols.file);
  const at = { pointer };
  const names = (): string => symbols.sourceDescriptions.map((d) => d.name).join(", ");
  const qualified = QUALIFIED.exec(text);
  if (qualified) {
    const [, source, workflowId] = qualified as unknown as [string, string, string];
    const declared = symbols.sourcesByName.get(source);
    if (!declared) {
      out.report("AZC4002", { name: source, names: names() }, at);
      return out.done(undefined);
    }
    const other = symbols.arazzoSources.get(source);
    if (!other) {
      // An openapi source, or an Arazzo source that failed to load or could not be read (reported where it is declared).
      if (declared.type !== "arazzo" && !declared.unread)
        out.report("AZC4014", { workflowId: text, names: `(source '${source}' is not an Arazzo document)` }, at);
      return out.done(undefined);
    }
    const workflow = other.workflows.find((w) => w.workflowId === workflowId);
    if (!workflow) {
      const ids = other.workflows.map((w) => `$sourceDescriptions.${source}.${w.workflowId}`).join(", ");
      out.report("AZC4014", { workflowId: text, names: ids }, at);
      return out.done(undefined);
    }
    return out.done({ ref: { workflowId, source }, workflow, document: other });
  }
  const found = symbols.workflowsById.get(text);
  if (!found) {
    out.report("AZC4014", { workflowId: text, names: symbols.workflows.map((w) => w.workflowId).join(", ") }, at);
    return out.done(undefined);
  }
  return out.done({ ref: { workflowId: text }, workflow: found.workflow, document: symbols.document });
}

/** Source names that are (or may be, when they failed to load) OpenAPI descriptions: all but the Arazzo ones. */
function openApiSourceNames(symbols: SymbolTable): string[] {
  const arazzo = (name: string): boolean => symbols.arazzoSources.has(name) || (symbols.arazzoFiles?.has(name) ?? false);
  return [...symbols.sourcesByName.values()].filter((s) => s.type !== "arazzo" && !arazzo(s.name)).map((s) => s.name);
}

/**
 * Source names that may be OpenAPI descriptions but were not read: the entry is malformed, or the file failed to
 * load (both reported where the source is declared). What they declare is unknown.
 */
function unreadSourceNames(symbols: SymbolTable): string[] {
  return openApiSourceNames(symbols).filter((name) => !symbols.sources.has(name) && !(symbols.asyncSources?.has(name) ?? false));
}

/**
 * A step that names an operation of a source that is no OpenAPI description: an Arazzo source named by
 * operationPath or a qualified operationId, or any operation when the document declares no OpenAPI source.
 */
function noOpenApiSource(named: string | undefined, symbols: SymbolTable): string | undefined {
  if (named !== undefined) {
    const declared = symbols.sourcesByName.get(named);
    if (!declared || symbols.sources.has(named) || openApiSourceNames(symbols).includes(named)) return undefined;
    return `source '${named}' is an Arazzo document, not an OpenAPI description`;
  }
  if (openApiSourceNames(symbols).length > 0) return undefined;
  const declared = symbols.sourceDescriptions.map((s) => s.name).join(", ");
  return `the document declares no OpenAPI source description (its sources: ${declared || "none"})`;
}

/**
 * An operationId that several operations of one description declare names none of them: the one meant is
 * named by its path. Each declaration is related information, where the description writes it.
 */
function ambiguousOperation(source: OpenApiSource, operationId: string, at: At, out: Collector, symbols: SymbolTable): boolean {
  const declarations = source.operationIdClashes.get(operationId);
  if (!declarations) return false;
  const operations = declarations.map((d) => `${d.method} ${d.path}`);
  const paths = declarations.map(
    (d) => `'{$sourceDescriptions.${source.name}.url}#${joinPointer("/paths", d.path, d.method.toLowerCase())}'`,
  );
  const related = declarations.map((d) =>
    relatedAt(d.file, `${d.method} ${d.path} declares operationId '${operationId}'`, { pointer: joinPointer(d.pointer, "operationId") }),
  );
  const args = { operationId, source: source.name, operations: operations.join(" and "), paths: paths.join(" or ") };
  out.diagnostics.push(diagnosticAt(symbols.file, "AZC4041", args, at, related));
  return true;
}

/** A pointer as written in a URI fragment, percent-decoded; as written when it holds a malformed escape. */
function decodePointer(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `<source name>#/paths/...` or `<source url>#/paths/...`: an operationPath that names a declared source without
 * the `{$sourceDescriptions.<name>.url}` expression. Read so when the pointer reaches an operation of that source
 * (reported with the standard form); undefined otherwise, and the operationPath is invalid as before.
 */
function namedBySource(text: string, symbols: SymbolTable, out: Collector, at: { pointer: string }): [string, string, string] | undefined {
  const hash = text.indexOf("#");
  if (hash <= 0) return undefined;
  const prefix = text.slice(0, hash);
  const pointer = text.slice(hash + 1);
  const byName = symbols.document.sourceDescriptions.find((d) => d.name === prefix);
  const declared = byName ?? symbols.document.sourceDescriptions.find((d) => d.url === prefix);
  if (!declared) return undefined;
  const source = symbols.sources.get(declared.name);
  if (source?.byPointer.get(decodePointer(pointer)) === undefined) return undefined;
  const suggestion = `{$sourceDescriptions.${declared.name}.url}#${pointer}`;
  out.report("AZC3021", { text, how: byName ? "its name" : "its url", suggestion }, at);
  return [text, declared.name, pointer];
}

/** The OpenAPI operation a step names by operationPath or operationId. */
export function resolveOperation(step: Step, pointer: string, symbols: SymbolTable): Lowered<OperationInfo> {
  const out = new Collector(symbols.file);
  const names = (): string => symbols.sourceDescriptions.map((s) => s.name).join(", ");
  if (step.operationPath !== undefined) {
    const at = { pointer: joinPointer(pointer, "operationPath") };
    const match =
      /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(.*)$/.exec(step.operationPath) ??
      namedBySource(step.operationPath, symbols, out, at);
    if (!match) {
      const reason = "an operationPath is '{$sourceDescriptions.<name>.url}#<JSON pointer to an operation>'";
      out.report("AZC3001", { text: step.operationPath, reason }, at);
      return out.done(undefined);
    }
    const source = symbols.sources.get(match[1]!);
    if (!source) {
      const notOpenApi = noOpenApiSource(match[1]!, symbols);
      if (notOpenApi !== undefined) out.report("AZC4040", { stepId: step.stepId, reason: notOpenApi }, at);
      else if (!symbols.sourcesByName.has(match[1]!)) out.report("AZC4002", { name: match[1]!, names: names() }, at);
      return out.done(undefined);
    }
    // 1.1 (Source Description Expression Resolution): `.url` names an operation called url before the field.
    if (versionOf(symbols) === "1.1" && [...source.byOperationId.keys()].includes("url")) {
      out.report("AZC4103", { name: match[1]!, kind: "an operation" }, at);
      return out.done(undefined);
    }
    const operation = source.byPointer.get(decodePointer(match[2]!));
    if (!operation) {
      const reason = "the pointer does not reach an Operation Object (a path item needs /get, /post, ...)";
      out.report("AZC3001", { text: step.operationPath, reason }, at);
    }
    return out.done(operation);
  }
  const text = step.operationId!;
  const at = { pointer: joinPointer(pointer, "operationId") };
  const qualified = QUALIFIED.exec(text);
  if (qualified) {
    const source = symbols.sources.get(qualified[1]!);
    if (!source) {
      const notOpenApi = noOpenApiSource(qualified[1]!, symbols);
      if (notOpenApi !== undefined) out.report("AZC4040", { stepId: step.stepId, reason: notOpenApi }, at);
      else if (!symbols.sourcesByName.has(qualified[1]!)) out.report("AZC4002", { name: qualified[1]!, names: names() }, at);
      return out.done(undefined);
    }
    const operationId = qualified[2]!;
    if (ambiguousOperation(source, operationId, at, out, symbols)) return out.done(undefined);
    const operation = source.byOperationId.get(operationId);
    if (!operation) {
      const suggestion = closest(operationId, source.byOperationId.keys());
      out.report("AZC4001", { operationId, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, at);
    }
    return out.done(operation);
  }
  const notOpenApi = noOpenApiSource(undefined, symbols);
  if (notOpenApi !== undefined) {
    out.report("AZC4040", { stepId: step.stepId, reason: notOpenApi }, at);
    return out.done(undefined);
  }
  const candidates = [...symbols.sources.values()];
  if (candidates.length === 0) return out.done(undefined); // the sources failed to load, already reported
  const having = candidates.filter((s) => s.byOperationId.get(text) !== undefined);
  // Several OpenAPI sources: the spec requires $sourceDescriptions.<name>.<operationId>. The one source
  // that declares it is still bound, so that the rest of the step is checked in the same round.
  const declared = openApiSourceNames(symbols);
  if (declared.length > 1 && having.length > 0) {
    const where =
      having.length === 1
        ? `it is declared by source '${having[0]!.name}' only`
        : `it is declared by sources ${having.map((s) => `'${s.name}'`).join(" and ")}`;
    const qualifiedForms = having.map((s) => `$sourceDescriptions.${s.name}.${text}`).join(" or ");
    out.report("AZC4042", { operationId: text, count: declared.length, where, qualified: qualifiedForms }, at);
    if (having.length > 1 || ambiguousOperation(having[0]!, text, at, out, symbols)) return out.done(undefined);
    return out.done(having[0]!.byOperationId.get(text));
  }
  if (having.length === 1) {
    if (ambiguousOperation(having[0]!, text, at, out, symbols)) return out.done(undefined);
    return out.done(having[0]!.byOperationId.get(text));
  }
  // The operation may be one of a source that was not read: not reported unknown on a guess.
  if (unreadSourceNames(symbols).length > 0) return out.done(undefined);
  const suggestion = closest(
    text,
    candidates.flatMap((s) => [...s.byOperationId.keys()]),
  );
  out.report("AZC4001", { operationId: text, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, at);
  return out.done(undefined);
}
