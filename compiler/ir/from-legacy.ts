// The lowered program (program.ts) from the builder's state-machine model (legacy.ts): exits with their
// defaults made explicit, flow facts, and schemas normalized into plain data. A bridge while both exist.
import type { JsonPathQuery, Comparable, FunctionArgument, LogicalExpression, Segment } from "../expressions/jsonpath/ast.js";
import { isObject } from "../load/json.js";
import type { Located } from "../load/openapi.js";
import { refOf, type DocumentStore } from "../load/refs.js";
import type { Action, Cond, WorkflowRef } from "./expressions.js";
import { linkKey, type ModuleIr as LegacyModule, type StepIr as LegacyStep, type WorkflowIr as LegacyWorkflow } from "./legacy.js";
import { END, type ExitIr, type ExternalWorkflowIr, type ModuleIr, type StepIr, type WorkflowIr } from "./program.js";
import type { SchemaIr } from "./schema.js";

/** Schemas as plain data: every $ref resolved into a table entry named after its location. */
class SchemaNormalizer {
  readonly table: Record<string, SchemaIr> = {};
  private readonly names = new Map<string, string>();
  constructor(private readonly store: DocumentStore) {}

  normalize(node: Located, depth = 0): SchemaIr {
    if (depth > 64) return true;
    const ref = refOf(node.value);
    if (ref !== undefined) {
      const hit = this.store.resolve(node.file, ref);
      if ("error" in hit) return true;
      const key = `${hit.file.displayPath}#${hit.pointer}`;
      let name = this.names.get(key);
      if (name === undefined) {
        name = key;
        this.names.set(key, name);
        this.table[name] = true; // a cycle reaches the name before its schema is in
        this.table[name] = this.normalize({ file: hit.file, pointer: hit.pointer, value: hit.value }, depth + 1);
      }
      return { $ref: name };
    }
    return this.plain(node, node.value, depth);
  }

  private plain(node: Located, value: unknown, depth: number): SchemaIr {
    if (typeof value === "boolean") return value;
    if (!isObject(value)) return true;
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (["properties", "patternProperties", "$defs", "definitions"].includes(key) && isObject(member)) {
        out[key] = Object.fromEntries(
          Object.entries(member).map(([k, v]) => [k, this.normalize({ file: node.file, pointer: `${node.pointer}/${key}/${k}`, value: v }, depth + 1)]),
        );
      } else if (["items", "additionalProperties", "not", "contains", "propertyNames"].includes(key) && (isObject(member) || typeof member === "boolean")) {
        out[key] = this.normalize({ file: node.file, pointer: `${node.pointer}/${key}`, value: member }, depth + 1);
      } else if (["allOf", "anyOf", "oneOf", "prefixItems"].includes(key) && Array.isArray(member)) {
        out[key] = member.map((m, i) => this.normalize({ file: node.file, pointer: `${node.pointer}/${key}/${i}`, value: m }, depth + 1));
      } else out[key] = member;
    }
    return out;
  }
}

/** JSONPath queries with `"\u0000<i>"` placeholders: the placeholders as Embedded nodes. */
function embed(query: JsonPathQuery): JsonPathQuery {
  const comparable = (c: Comparable): Comparable =>
    c.kind === "Literal" && typeof c.value === "string" && /^\u0000\d+$/.test(c.value)
      ? { kind: "Embedded", index: Number(c.value.slice(1)) }
      : c.kind === "Query"
        ? embed(c)
        : c.kind === "FunctionCall"
          ? { ...c, arguments: c.arguments.map(argument) }
          : c;
  const argument = (a: FunctionArgument): FunctionArgument =>
    a.kind === "Literal" || a.kind === "Query" || a.kind === "FunctionCall" || a.kind === "Embedded" ? comparable(a) : logical(a);
  const logical = (e: LogicalExpression): LogicalExpression => {
    switch (e.kind) {
      case "Or":
      case "And":
        return { ...e, operands: e.operands.map(logical) };
      case "Not":
        return { ...e, operand: logical(e.operand) };
      case "Comparison":
        return { ...e, left: comparable(e.left), right: comparable(e.right) };
      case "Test":
        return { ...e, operand: e.operand.kind === "Query" ? embed(e.operand) : (comparable(e.operand) as typeof e.operand) };
    }
  };
  const segment = (s: Segment): Segment => ({
    ...s,
    selectors: s.selectors.map((sel) => (sel.kind === "FilterSelector" ? { ...sel, expression: logical(sel.expression) } : sel)),
  });
  return { ...query, segments: query.segments.map(segment) };
}

function cond(c: Cond): Cond {
  switch (c.kind) {
    case "and":
    case "or":
      return { ...c, left: cond(c.left), right: cond(c.right) };
    case "not":
      return { ...c, operand: cond(c.operand) };
    case "jsonpath":
      return c.embedded && c.embedded.length > 0 ? { ...c, query: embed(c.query) } : c;
    default:
      return c;
  }
}

function exitsOf(step: LegacyStep, outcome: "success" | "failure"): ExitIr[] {
  const exits: ExitIr[] = [];
  const actions: readonly Action[] = outcome === "success" ? step.onSuccess : step.onFailure;
  for (const a of actions) {
    const when = a.criteria.map(cond);
    const base = { when, action: a.name };
    if (a.kind === "end") exits.push({ ...base, to: outcome === "success" ? { kind: "end" } : { kind: "fail" } });
    else if (a.kind === "goto") exits.push({ ...base, to: { kind: "step", step: a.stepId, loop: false } });
    else if (a.kind === "gotoWorkflow") exits.push({ ...base, to: { kind: "transfer", workflow: a.workflow } });
    else
      exits.push({
        ...base,
        to: {
          kind: "retry",
          limit: a.retryLimit,
          ...(a.retryAfter !== undefined ? { afterSeconds: a.retryAfter } : {}),
          ...(a.stepId !== undefined
            ? { via: { kind: "step", step: a.stepId } }
            : a.workflow !== undefined
              ? { via: { kind: "workflow", workflow: a.workflow } }
              : {}),
        },
      });
    if (when.length === 0 && a.kind !== "retry") return exits;
  }
  if (outcome === "failure") exits.push({ when: [], to: { kind: "fail" } });
  else exits.push({ when: [], to: step.next === null ? { kind: "end" } : { kind: "step", step: step.next, loop: false } });
  return exits;
}

function workflowOf(w: LegacyWorkflow, normalizer: SchemaNormalizer): WorkflowIr {
  const steps = w.steps.map((s) => ({ legacy: s, onSuccess: exitsOf(s, "success"), onFailure: exitsOf(s, "failure") }));
  const edges = new Map<string, string[]>();
  for (const s of steps) {
    const out: string[] = [];
    for (const e of [...s.onSuccess, ...s.onFailure]) {
      if (e.to.kind === "step") out.push(e.to.step);
      if (e.to.kind === "retry") {
        out.push(s.legacy.stepId);
        if (e.to.via?.kind === "step") out.push(e.to.via.step);
      }
    }
    edges.set(s.legacy.stepId, out);
  }
  for (const s of steps)
    for (const e of s.onFailure) if (e.to.kind === "retry" && e.to.via?.kind === "step") edges.get(e.to.via.step)?.push(s.legacy.stepId);
  const entry = w.steps[0]!.stepId;
  const may = new Map<string, Set<string>>([[entry, new Set()]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, set] of [...may]) {
      for (const to of edges.get(from) ?? []) {
        const target = may.get(to) ?? new Set<string>();
        const size = target.size;
        for (const id of [...set, from]) target.add(id);
        if (!may.has(to) || target.size !== size) changed = true;
        may.set(to, target);
      }
    }
  }
  const mayAtEnd = new Set<string>();
  for (const s of steps)
    if (may.has(s.legacy.stepId) && s.onSuccess.some((e) => e.to.kind === "end")) for (const id of [...may.get(s.legacy.stepId)!, s.legacy.stepId]) mayAtEnd.add(id);
  const loopFlag = (from: string, e: ExitIr): ExitIr =>
    e.to.kind === "step" ? { ...e, to: { ...e.to, loop: e.to.step === from || (may.get(from)?.has(e.to.step) ?? false) } } : e;
  const order = (ids: Iterable<string>) => w.steps.map((s) => s.stepId).filter((id) => new Set(ids).has(id));
  const stepIrs: StepIr[] = steps.map(({ legacy: s, onSuccess, onFailure }) => ({
    id: s.stepId,
    ...(s.description !== undefined ? { description: s.description } : {}),
    call:
      s.target.kind === "operation"
        ? {
            kind: "request",
            source: s.target.source,
            ...(s.target.server !== undefined ? { server: s.target.server } : {}),
            ...(s.target.operationId !== undefined ? { operationId: s.target.operationId } : {}),
            method: s.target.method,
            path: s.target.path,
            parameters: s.target.parameters,
            ...(s.target.body ? { body: s.target.body } : {}),
          }
        : { kind: "workflow", workflow: s.target.workflow, inputs: s.target.inputs },
    successCriteria: s.successCriteria.map(cond),
    outputs: s.outputs,
    bodyReads: s.bodyReads,
    onSuccess: onSuccess.map((e) => loopFlag(s.stepId, e)),
    onFailure: onFailure.map((e) => loopFlag(s.stepId, e)),
  }));
  return {
    id: w.workflowId,
    ...(w.summary !== undefined ? { summary: w.summary } : {}),
    ...(w.description !== undefined ? { description: w.description } : {}),
    inputs: {
      type: w.inputsType,
      ...(w.inputsSchema ? { schema: normalizer.normalize(w.inputsSchema) } : {}),
      secrets: w.secretInputs,
    },
    dependsOn: w.dependsOn,
    entry,
    steps: stepIrs,
    outputs: w.outputs,
    transfersTo: w.alsoReturns,
    flow: {
      reachable: order(may.keys()),
      mustHaveRun: Object.fromEntries([
        ...w.steps.map((s) => [s.stepId, order(s.mustHaveRun)] as const),
        [END, order(w.mustHaveRunAtEnd)] as const,
      ]),
      mayHaveRun: Object.fromEntries([...w.steps.map((s) => [s.stepId, order(may.get(s.stepId) ?? [])] as const), [END, order(mayAtEnd)] as const]),
      trapped: [],
      detours: w.steps.filter((s) => s.isRetryDetour).map((s) => s.stepId),
    },
  };
}

export function fromLegacy(
  legacy: LegacyModule,
  name: string,
  store: DocumentStore,
  externalModule: (source: string) => string | undefined,
): ModuleIr {
  const normalizer = new SchemaNormalizer(store);
  const workflows = legacy.workflows.map((w) => workflowOf(w, normalizer));
  const externals = new Map<string, ExternalWorkflowIr>();
  const refs: WorkflowRef[] = legacy.workflows.flatMap((w) => [
    ...w.dependsOn,
    ...w.alsoReturns,
    ...w.steps.flatMap((s) => [
      ...(s.target.kind === "workflow" ? [s.target.workflow] : []),
      ...[...s.onSuccess, ...s.onFailure].flatMap((a) => (a.kind === "gotoWorkflow" ? [a.workflow] : a.kind === "retry" && a.workflow ? [a.workflow] : [])),
    ]),
  ]);
  for (const ref of refs) {
    if (ref.source === undefined || externals.has(linkKey(ref))) continue;
    const module = externalModule(ref.source);
    if (module === undefined) continue;
    externals.set(linkKey(ref), {
      ref: { ...ref, source: ref.source },
      module,
      transfers: legacy.links.get(linkKey(ref))?.returnsOthers ?? false,
    });
  }
  return { sourcePath: legacy.sourcePath, name, title: legacy.title, workflows, externals: [...externals.values()], schemas: normalizer.table };
}
