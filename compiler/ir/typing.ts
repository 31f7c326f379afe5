// Types of a workflow's values, computed from the schemas on demand: inputs from the inputs schema, step
// outputs from the OpenAPI responses they read, workflow outputs from the step outputs. Shared by the IR
// producers; the result is plain TypeIr data.
import { valueRefs, type BoundStep, type BoundWorkflow, type Ref, type Value, type WorkflowRef } from "../check/model.js";
import { analyzeFlow } from "../check/flow.js";
import type { CheckedStep, CheckedWorkflow } from "../check/lower-workflow.js";
import { bodySchemas, continuesOnFailure, observedResponses } from "../check/responses.js";
import { isJsonMediaType } from "../load/json.js";
import type { SchemaNormalizer } from "../load/schemas.js";
import { SchemaTyper, throughNames, union, UNKNOWN, withUndefined, type TypeIr } from "./types.js";

const HEADER_NAMES_WITH_SECRETS = new Set(["authorization", "cookie", "proxy-authorization", "x-api-key", "api-key"]);

/** The workflows a step's goto actions hand control to. */
export function gotoTargets(step: BoundStep): WorkflowRef[] {
  return [...step.onSuccess, ...step.onFailure].flatMap((a) => (a.kind === "gotoWorkflow" ? [a.workflow] : []));
}

/**
 * Each step of the document that a path from its workflow's first step reaches and that was bound, with the typing
 * of its workflow: what the rules that type a step's request read.
 */
export function reachableTypedSteps(
  workflows: readonly CheckedWorkflow[],
  schemas: SchemaNormalizer,
): { step: CheckedStep; bound: BoundStep; typing: WorkflowTyping }[] {
  const typingOf = documentTypings(
    workflows.map((w) => w.bound),
    schemas,
  );
  return workflows.flatMap((workflow) => {
    const declared = workflow.bound;
    if (!declared) return [];
    const typing = typingOf({ workflowId: declared.workflowId })!;
    const flow = analyzeFlow(declared.steps, declared.dependsOn);
    return workflow.steps.flatMap((step) =>
      step.bound && flow.reachable.has(step.symbol.stepId) ? [{ step, bound: step.bound, typing }] : [],
    );
  });
}

/**
 * The typings of one document's workflows, each made on first use, for rules that type what a step reads.
 * Workflows of other documents are not typed here: their values count as unknown.
 */
function documentTypings(
  workflows: readonly (BoundWorkflow | undefined)[],
  schemas: SchemaNormalizer,
): (ref: { readonly workflowId: string; readonly source?: string }) => WorkflowTyping | undefined {
  const typings = new Map<string, WorkflowTyping>();
  const typingOf = (ref: { readonly workflowId: string; readonly source?: string }): WorkflowTyping | undefined => {
    if (ref.source !== undefined) return undefined;
    const other = workflows.find((w) => w?.workflowId === ref.workflowId);
    if (!other) return undefined;
    let typing = typings.get(ref.workflowId);
    if (!typing) typings.set(ref.workflowId, (typing = new WorkflowTyping(other, schemas, typingOf)));
    return typing;
  };
  return typingOf;
}

/**
 * The types of one workflow's values: inputs from its schema, step outputs from the OpenAPI responses
 * they read, workflow outputs from the step outputs. Computed on demand and memoized, since an output may
 * read another step's output or another workflow's (`$outputs`, `$workflows`); a cycle yields `unknown`.
 */
export class WorkflowTyping {
  readonly inputsType: TypeIr;
  readonly returnsOthers: boolean;
  private readonly steps: Map<string, BoundStep>;
  private readonly memo = new Map<string, TypeIr>();
  private readonly computing = new Set<string>();
  private readonly typer: SchemaTyper;

  /**
   * `schemas`: the compilation's schema normalizer (DocumentStore.schemas); types are read from its table.
   * `definitions`: the types of named schemas, shared by the typings of one compilation.
   */
  constructor(
    private readonly workflow: BoundWorkflow,
    private readonly schemas: SchemaNormalizer,
    private readonly typingOf: (ref: WorkflowRef) => WorkflowTyping | undefined,
    private readonly definitions: Map<string, TypeIr> = new Map(),
  ) {
    this.typer = new SchemaTyper(schemas.table, definitions);
    this.inputsType = workflow.inputs ? this.typer.inputsType(schemas.normalize(workflow.inputs)) : { kind: "object", properties: [] };
    this.returnsOthers = workflow.steps.some((step) => gotoTargets(step).length > 0);
    this.steps = new Map(workflow.steps.map((s) => [s.stepId, s]));
  }

  private memoized(key: string, compute: () => TypeIr): TypeIr {
    const hit = this.memo.get(key);
    if (hit) return hit;
    if (this.computing.has(key)) return UNKNOWN;
    this.computing.add(key);
    const type = compute();
    this.computing.delete(key);
    this.memo.set(key, type);
    return type;
  }

  stepOutputType(stepId: string, name: string): TypeIr {
    return this.memoized(`step\u0000${stepId}\u0000${name}`, () => {
      const step = this.steps.get(stepId);
      const output = step?.outputs.find((o) => o.name === name);
      return step && output ? this.valueType(output.value, step) : UNKNOWN;
    });
  }

  workflowOutputType(name: string): TypeIr {
    return this.memoized(`workflow\u0000${name}`, () => {
      const output = this.workflow.outputs.find((o) => o.name === name);
      return output ? this.valueType(output.value, undefined) : UNKNOWN;
    });
  }

  private valueType(value: Value, step: BoundStep | undefined): TypeIr {
    if (value.kind === "ref") return this.refType(value.ref, step);
    if (value.kind === "template") return { kind: "string" };
    if (value.kind === "select") return this.selectType(value, step);
    // A constant output (AZC3025) has its literal type.
    if (value.kind === "literal") {
      const constant = value.value;
      if (constant === null) return { kind: "null" };
      if (typeof constant === "string" || typeof constant === "number" || typeof constant === "boolean")
        return { kind: "literal", value: constant };
    }
    return UNKNOWN;
  }

  /** The workflows certainly run before each step (flow facts), computed on first use. */
  private workflowsRunBefore: Map<string, Set<string>> | undefined;
  private workflowsRun(stepId: string): ReadonlySet<string> {
    this.workflowsRunBefore ??= analyzeFlow(this.workflow.steps, this.workflow.dependsOn).workflowsMustHaveRun as Map<string, Set<string>>;
    return this.workflowsRunBefore.get(stepId) ?? new Set();
  }

  /**
   * A Selector Object's type (delta A-26), walked from the context's type: a JSON pointer or a singular JSONPath
   * query gives the type at its end (with undefined where a member may be absent); any other query an array of
   * the selected nodes' type. Descendant segments and several selectors in one segment give unknown nodes.
   */
  private selectType(value: Extract<Value, { kind: "select" }>, step: BoundStep | undefined): TypeIr {
    const context = this.refType(value.context, step);
    const selector = value.selector;
    // A named schema's type is looked through where the walk reads into it.
    const look: Look = (type) => throughNames(type, (name) => this.definitions.get(name));
    const memberOf = (type: TypeIr, name: string) => memberIn(type, name, look);
    const elementAt = (type: TypeIr) => elementIn(type, look);
    const childrenOf = (type: TypeIr) => childrenIn(type, look);
    if (selector.kind === "pointer")
      return selector.path.reduce<TypeIr>(
        (type, token) => (/^(0|[1-9][0-9]*)$/.test(token) && hasArray(type, look) ? elementAt(type) : memberOf(type, token)),
        context,
      );
    let type = context;
    let many = false;
    for (const segment of selector.query.segments) {
      const only = segment.selectors.length === 1 ? segment.selectors[0]! : undefined;
      if (segment.descendant || !only) return { kind: "array", items: UNKNOWN };
      if (only.kind === "NameSelector") type = memberOf(type, only.name);
      else if (only.kind === "IndexSelector") type = elementAt(type);
      else {
        // A wildcard, slice or filter: the children it may select.
        type = only.kind === "SliceSelector" ? elementAt(type) : childrenOf(type);
        many = true;
      }
      // A nodelist holds only nodes that exist.
      if (many) type = present(type);
    }
    return many ? { kind: "array", items: present(type) } : type;
  }

  /** The type of input `name` (at `path` inside it); an input the schema does not require may be absent. */
  inputType(name: string, path: readonly string[]): TypeIr {
    if (!this.workflow.inputs) return UNKNOWN;
    const inputs = this.inputsType;
    if (path.length === 0 && inputs.kind === "object") {
      // An input the schema does not require may be absent.
      const property = inputs.properties.find((p) => p.name === name);
      return property ? (property.optional ? withUndefined(property.type) : property.type) : UNKNOWN;
    }
    return this.typer.typeAt(this.schemas.normalize(this.workflow.inputs), [name, ...path]);
  }

  /** `type` looked through the names of schemas it stands for (`unknown` for a name not defined). */
  lookThrough(type: TypeIr): TypeIr {
    return throughNames(type, (name) => this.definitions.get(name));
  }

  /** The type of what `ref` reads in `step` (before its request for request values; undefined: in the outputs). */
  typeOf(ref: Ref, step: BoundStep | undefined): TypeIr {
    return this.refType(ref, step);
  }

  /**
   * Whether a schema says on purpose that what `ref` reads may be absent: an input, or a member along a response
   * body pointer (through a step output), that its object leaves out of a `required` list naming others, or an
   * array element. An object that requires nothing says nothing about presence (most documents and descriptions
   * declare no `required`), so it does not count.
   */
  declaredOptional(ref: Ref, depth = 0): boolean {
    const look: Look = (type) => throughNames(type, (name) => this.definitions.get(name));
    if (ref.kind === "input") return this.workflow.inputs !== undefined && optionalAlong(this.inputsType, [ref.name, ...ref.path], look);
    if (ref.kind !== "stepOutput" || depth > 8) return false;
    const step = this.steps.get(ref.stepId);
    const output = step?.outputs.find((o) => o.name === ref.name);
    if (!step || output?.value.kind !== "ref") return false;
    const read = output.value.ref;
    if (read.kind === "responseBody") return optionalAlong(this.bodyTypeAt(step, []), [...read.path, ...ref.path], look);
    return ref.path.length === 0 && this.declaredOptional(read, depth + 1);
  }

  private refType(ref: Ref, step: BoundStep | undefined): TypeIr {
    switch (ref.kind) {
      case "input":
        return this.inputType(ref.name, ref.path);
      case "stepOutput":
        return ref.path.length > 0 ? UNKNOWN : this.stepOutputType(ref.stepId, ref.name);
      case "callOutput": {
        if (ref.path.length > 0 || step?.target.kind !== "workflow") return UNKNOWN;
        // The called workflow may fail while this step continues through a failure action.
        const callee = this.typingOf(step.target.workflow);
        // A workflow that may hand its result to another has outputs of either shape.
        const type = callee && !callee.returnsOthers ? callee.workflowOutputType(ref.name) : UNKNOWN;
        return continuesOnFailure(step) ? withUndefined(type) : type;
      }
      case "workflowOutput":
      case "workflowInput": {
        const typing = this.typingOf({ workflowId: ref.workflowId, ...(ref.source !== undefined ? { source: ref.source } : {}) });
        let type: TypeIr = UNKNOWN;
        if (ref.kind === "workflowInput") type = typing ? typing.inputType(ref.name, ref.path) : UNKNOWN;
        else if (ref.path.length === 0 && typing && !typing.returnsOthers) type = typing.workflowOutputType(ref.name);
        // In a step, where the workflow may not have run; a workflow output is then absent instead.
        const calledHere = step?.target.kind === "workflow" && step.target.workflow.workflowId === ref.workflowId;
        return step && !calledHere && !this.workflowsRun(step.stepId).has(ref.workflowId) ? withUndefined(type) : type;
      }
      case "statusCode":
        // A step that calls a workflow: the status of the last response the called workflow received.
        if (step?.target.kind === "workflow") return continuesOnFailure(step) ? withUndefined({ kind: "number" }) : { kind: "number" };
        return step?.admittedStatuses && !continuesOnFailure(step)
          ? union(step.admittedStatuses.map((s) => ({ kind: "literal", value: s }) as TypeIr))
          : { kind: "number" };
      case "url":
      case "method":
        return { kind: "string" };
      case "responseHeader": {
        // A string where every response the outputs can see declares the header as required.
        const responses = step ? observedResponses(step) : [];
        const always =
          responses.length > 0 && responses.every((r) => r.headers.some((h) => h.name === ref.name.toLowerCase() && h.required));
        return always ? { kind: "string" } : withUndefined({ kind: "string" });
      }
      case "responseBody":
        return step ? this.bodyTypeAt(step, ref.path) : UNKNOWN;
      case "messagePayload":
        return step ? this.messageTypeAt(step, "payload", ref.path) : UNKNOWN;
      case "messageHeader":
        return step ? this.messageTypeAt(step, "headers", [ref.name]) : UNKNOWN;
    }
  }

  /**
   * The type at `path` of a message step's payload or headers: the union over the messages it may carry. A message
   * without that schema, or with a schema in another format (Avro...), says nothing (unknown).
   */
  messageTypeAt(step: BoundStep, part: "payload" | "headers", path: readonly string[]): TypeIr {
    if (step.target.kind !== "message") return UNKNOWN;
    const messages = step.target.message.messages;
    if (messages.length === 0) return UNKNOWN;
    return union(
      messages.map((m) => {
        const schema = m[part];
        if (schema === undefined || (part === "payload" && m.foreignSchemaFormat !== undefined)) return UNKNOWN;
        return this.typer.typeAt(this.schemas.normalize(schema), path);
      }),
    );
  }

  bodyTypeAt(step: BoundStep, path: readonly string[]): TypeIr {
    const media = bodySchemas(observedResponses(step));
    if (media.length === 0) return UNKNOWN;
    return union(
      media.map((m) => {
        if (!m.schema) return UNKNOWN;
        const schema = this.schemas.normalize(m.schema);
        if (!isJsonMediaType(m.mediaType)) return path.length === 0 ? this.typer.toType(schema) : withUndefined(UNKNOWN);
        return this.typer.typeAt(schema, path);
      }),
    );
  }
}

/** Header names whose values every target treats as credentials; security schemes need not name them again. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"]);

/**
 * Where an operation's security schemes put credentials (API-key headers, query parameters and cookies),
 * less the headers that are credentials anyway: what is sent there is a secret, whatever the value's origin.
 * Sorted, unique.
 */
export function secretParameters(
  parameters: ReadonlyArray<{ readonly in: "header" | "query" | "cookie"; readonly name: string }>,
): { in: "header" | "query" | "cookie"; name: string }[] {
  const found = new Map<string, { in: "header" | "query" | "cookie"; name: string }>();
  for (const p of parameters)
    if (!(p.in === "header" && CREDENTIAL_HEADERS.has(p.name.toLowerCase()))) found.set(`${p.in}:${p.name}`, { in: p.in, name: p.name });
  return [...found.keys()].sort().map((key) => found.get(key)!);
}

/** Inputs marked `format: password`, and inputs whose values flow into credential headers. */
export function secretInputs(workflow: BoundWorkflow, inputsType: TypeIr): string[] {
  const secrets = new Set<string>();
  if (inputsType.kind === "object") for (const p of inputsType.properties) if (p.format === "password") secrets.add(p.name);
  for (const step of workflow.steps) {
    for (const p of step.parameters) {
      const credential = (p.in === "header" && HEADER_NAMES_WITH_SECRETS.has(p.name.toLowerCase())) || p.in === "cookie";
      if (!credential) continue;
      for (const ref of valueRefs(p.value)) if (ref.kind === "input") secrets.add(ref.name);
    }
  }
  return [...secrets].sort();
}

/**
 * Members of object inputs marked `format: password` (`env.AUTH_TOKEN`), as paths: their values are secrets like
 * those of top-level inputs. Through unions, intersections and named schemas (`look`), and into the items of arrays
 * and tuples, which add nothing to the path: the runtime applies the rest of a path to each item of an array it
 * meets (`["accounts", "password"]` is the password of every account). Bounded in depth.
 */
export function nestedSecretInputs(inputsType: TypeIr, look: Look = (type) => type): string[][] {
  const found = new Map<string, string[]>();
  const walk = (type: TypeIr, path: readonly string[], depth: number): void => {
    if (depth > 8) return;
    type = look(type);
    if (type.kind === "union" || type.kind === "intersection") return type.members.forEach((m) => walk(m, path, depth + 1));
    if (type.kind === "array") return walk(type.items, path, depth + 1);
    if (type.kind === "tuple") return type.items.forEach((item) => walk(item, path, depth + 1));
    if (type.kind !== "object") return;
    for (const p of type.properties) {
      const at = [...path, p.name];
      if (path.length > 0 && p.format === "password") found.set(JSON.stringify(at), at);
      walk(p.type, at, depth + 1);
    }
  };
  walk(inputsType, [], 0);
  return [...found.keys()].sort().map((key) => found.get(key)!);
}

/** Whether a pointer's path passes a member its object deliberately does not require, or an array element. */
function optionalAlong(type: TypeIr, path: readonly string[], look: Look): boolean {
  let current = type;
  for (const [i, token] of path.entries()) {
    current = look(current);
    if (current.kind === "union") return current.members.some((m) => optionalAlong(m, path.slice(i), look));
    if (current.kind === "array" || current.kind === "tuple") {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return false;
      return true;
    }
    if (current.kind !== "object") return false;
    const property = current.properties.find((p) => p.name === token);
    if (!property) return false;
    if (property.optional && current.properties.some((p) => !p.optional)) return true;
    current = property.type;
  }
  return false;
}

/** Without undefined: the type of a node that exists. */
function present(type: TypeIr): TypeIr {
  return type.kind === "union"
    ? union(type.members.filter((m) => m.kind !== "undefined"))
    : type.kind === "undefined"
      ? { kind: "never" }
      : type;
}

type Look = (type: TypeIr) => TypeIr;

function hasArray(type: TypeIr, look: Look): boolean {
  type = look(type);
  return type.kind === "array" || type.kind === "tuple" || (type.kind === "union" && type.members.some((m) => hasArray(m, look)));
}

/** The value of member `name` (undefined where it may be absent, or where the value is no object). */
function memberIn(type: TypeIr, name: string, look: Look): TypeIr {
  type = look(type);
  switch (type.kind) {
    case "unknown":
      return UNKNOWN;
    case "object": {
      const property = type.properties.find((p) => p.name === name);
      if (property) return property.optional ? withUndefined(property.type) : property.type;
      return type.additional ? withUndefined(type.additional) : { kind: "undefined" };
    }
    case "union":
      return union(type.members.map((m) => memberIn(m, name, look)));
    case "intersection":
      return UNKNOWN;
    default:
      return { kind: "undefined" };
  }
}

/** An element of an array (undefined where the index may be out of range, or the value no array). */
function elementIn(type: TypeIr, look: Look): TypeIr {
  type = look(type);
  switch (type.kind) {
    case "unknown":
      return UNKNOWN;
    case "array":
      return withUndefined(type.items);
    case "tuple":
      return withUndefined(union(type.items));
    case "union":
      return union(type.members.map((m) => elementIn(m, look)));
    case "intersection":
      return UNKNOWN;
    default:
      return { kind: "undefined" };
  }
}

/** The children of a value: an array's elements, an object's member values. */
function childrenIn(type: TypeIr, look: Look): TypeIr {
  type = look(type);
  switch (type.kind) {
    case "unknown":
      return UNKNOWN;
    case "array":
      return type.items;
    case "tuple":
      return union(type.items);
    case "object":
      return union([...type.properties.map((p) => p.type), ...(type.additional ? [type.additional] : [])]);
    case "union":
      return union(type.members.map((m) => childrenIn(m, look)));
    case "intersection":
      return UNKNOWN;
    default:
      return { kind: "never" };
  }
}
