// What a step, an action or dependsOn names: an OpenAPI operation (by operationId or operationPath) or a
// workflow (of this document, or of an Arazzo source as `$sourceDescriptions.<name>.<workflowId>`).
import type { OperationInfo } from "../load/openapi.js";
import type { ArazzoDocument, Step, Workflow } from "../schema/arazzo.js";
import type { WorkflowRef } from "./model.js";
import { Collector, type Lowered } from "./report.js";
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
      // An openapi source, or an Arazzo source that failed to load (reported where it is declared).
      if (declared.type !== "arazzo")
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

/** The OpenAPI operation a step names by operationPath or operationId. */
export function resolveOperation(step: Step, pointer: string, symbols: SymbolTable): Lowered<OperationInfo> {
  const out = new Collector(symbols.file);
  const names = (): string => symbols.sourceDescriptions.map((s) => s.name).join(", ");
  if (step.operationPath !== undefined) {
    const at = { pointer: joinPointer(pointer, "operationPath") };
    const match = /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(.*)$/.exec(step.operationPath);
    if (!match) {
      const reason = "an operationPath is '{$sourceDescriptions.<name>.url}#<JSON pointer to an operation>'";
      out.report("AZC3001", { text: step.operationPath, reason }, at);
      return out.done(undefined);
    }
    const source = symbols.sources.get(match[1]!);
    if (!source) {
      if (!symbols.sourcesByName.has(match[1]!)) out.report("AZC4002", { name: match[1]!, names: names() }, at);
      return out.done(undefined);
    }
    // 1.1 (Source Description Expression Resolution): `.url` names an operation called url before the field.
    if (versionOf(symbols) === "1.1" && [...source.byOperationId.keys()].includes("url")) {
      out.report("AZC4103", { name: match[1]!, kind: "an operation" }, at);
      return out.done(undefined);
    }
    const operation = source.byPointer.get(decodeURIComponent(match[2]!));
    if (!operation) {
      const reason = "the pointer does not reach an Operation Object (a path item needs /get, /post, ...)";
      out.report("AZC3001", { text: step.operationPath, reason }, at);
    }
    return out.done(operation);
  }
  const text = step.operationId!;
  const at = { pointer: joinPointer(pointer, "operationId") };
  let candidates = [...symbols.sources.values()];
  let operationId = text;
  const qualified = QUALIFIED.exec(text);
  if (qualified) {
    const source = symbols.sources.get(qualified[1]!);
    if (!source) {
      if (!symbols.sourcesByName.has(qualified[1]!)) out.report("AZC4002", { name: qualified[1]!, names: names() }, at);
      return out.done(undefined);
    }
    candidates = [source];
    operationId = qualified[2]!;
  }
  if (candidates.length === 0) return out.done(undefined); // the sources failed to load, already reported
  const found = candidates.map((s) => s.byOperationId.get(operationId)).filter((op): op is OperationInfo => op !== undefined);
  if (found.length === 1) return out.done(found[0]);
  if (found.length > 1) {
    const what = "operationId across sources (qualify it as $sourceDescriptions.<name>.<operationId>)";
    out.report("AZC4010", { what, name: operationId }, at);
    return out.done(undefined);
  }
  const suggestion = closest(
    operationId,
    candidates.flatMap((s) => [...s.byOperationId.keys()]),
  );
  out.report("AZC4001", { operationId, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, at);
  return out.done(undefined);
}
