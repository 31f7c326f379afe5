// Structural validation of an Arazzo document: the zod schemas, with each issue turned into a
// diagnostic at the exact node it concerns.
import type { z } from "zod";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { getAtPointer, joinPointer, parsePointer } from "../load/pointer.js";
import type { ParsedFile } from "../load/yaml.js";
import {
  arazzoVersionOf,
  looksLikeSelector,
  schemasFor,
  type ArazzoDocument,
  type ArazzoVersion,
  type Components,
  type SourceDescription,
  type Step,
  type Workflow,
} from "./arazzo.js";
import { findV11Constructs } from "./constructs.js";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}

/** The issues to report for a union: those of the branch the value was evidently meant to be. */
function unionBranch(issue: z.core.$ZodIssueInvalidUnion, value: unknown): z.core.$ZodIssue[] {
  const isReusable = value !== null && typeof value === "object" && "reference" in value;
  const branches = issue.errors;
  if (branches.length === 2) return (isReusable ? branches[0] : branches[1]) ?? [];
  return branches.reduce((best, b) => (b.length < best.length ? b : best), branches[0] ?? []);
}

function objectNameAt(pointer: string): string {
  const parts = pointer.split("/").filter((p) => p !== "" && !/^\d+$/.test(p));
  const last = parts[parts.length - 1];
  const names: Record<string, string> = {
    info: "Info",
    sourceDescriptions: "Source Description",
    workflows: "Workflow",
    steps: "Step",
    parameters: "Parameter",
    onSuccess: "Success Action",
    successActions: "Success Action",
    onFailure: "Failure Action",
    failureActions: "Failure Action",
    requestBody: "Request Body",
    successCriteria: "Criterion",
    criteria: "Criterion",
    replacements: "Payload Replacement",
    components: "Components",
  };
  return (last && names[last]) ?? "the document";
}

/**
 * Validates a document against the schemas of the version it declares (`arazzo: 1.0.x` or `1.1.x`). A 1.0
 * document that uses a 1.1 construct is told that the construct needs `arazzo: 1.1.0` (AZC2010), in place of
 * what the 1.0 schema says about it there. The document when it is valid; else the structural diagnostics,
 * and the parts that could be read (`partial`), so that their semantic problems are reported in the same round.
 */
export function validateArazzo(file: ParsedFile): {
  document?: ArazzoDocument;
  version?: ArazzoVersion;
  partial?: { document: ArazzoDocument; damage: Damage[] };
  diagnostics: Diagnostic[];
} {
  const at = (code: DiagnosticCode, args: Record<string, string | number>, pointer: string, preferKey = false): Diagnostic =>
    makeDiagnostic(code, args, { file: file.displayPath, pointer, range: file.locate(pointer, preferKey) });

  const root = file.value;
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    return { diagnostics: [at("AZC1005", { actual: describe(root) }, "")] };
  }
  const version = (root as Record<string, unknown>)["arazzo"];
  if (typeof version === "number") {
    // Show the number as written (1.0 reads back as 1); only a 1.0.x spelling is worth quoting.
    const range = file.locate("/arazzo");
    const written = range
      ? (file.text.split(/\r?\n/)[range.line - 1] ?? "")
          .slice(range.column - 1, range.endLine === range.line ? range.endColumn - 1 : undefined)
          .trim()
      : String(version);
    if (!/^1\.[01](\.\d+)?$/.test(written)) return { diagnostics: [at("AZC2004", { version: written }, "/arazzo")] };
    return { diagnostics: [at("AZC2005", { version: written }, "/arazzo")] };
  }
  const arazzoVersion = arazzoVersionOf(version);
  if (typeof version === "string" && arazzoVersion === undefined) {
    return { diagnostics: [at("AZC2004", { version }, "/arazzo")] };
  }
  // A missing or mistyped arazzo field is reported by the schema of the version arazzoc knows best.
  const selected: ArazzoVersion = arazzoVersion ?? "1.0";

  const diagnostics: Diagnostic[] = [];
  /** Pointers of 1.1 constructs in a 1.0 document: reported as such, not as what the 1.0 schema says. */
  const newer: string[] = [];
  if (selected === "1.0") {
    for (const found of findV11Constructs(root)) {
      if (found.onlyIn11) continue;
      newer.push(found.pointer);
      diagnostics.push(at("AZC2010", { construct: found.construct, version: String(version) }, found.pointer, found.key));
    }
  }
  // A channelPath step against a source that is not AsyncAPI: that is the mistake, not its missing action.
  const misplaced = selected === "1.1" ? misplacedChannelPaths(root as Record<string, unknown>) : [];
  for (const step of misplaced)
    diagnostics.push(at("AZC2011", { channelPath: step.channelPath, source: step.source, type: step.type }, step.pointer));
  newer.push(...misplaced.map((m) => joinPointer(m.pointer.replace(/\/channelPath$/, ""), "action")));
  const underNewer = (pointer: string): boolean => newer.some((p) => pointer === p || pointer.startsWith(p + "/"));

  const result = schemasFor(selected).documentSchema.safeParse(root);
  if (result.success && diagnostics.length === 0) return { document: keepProtoKeys(root, result.data), version: selected, diagnostics: [] };
  if (result.success) return { diagnostics };

  const seen = new Set<string>();
  const report = (issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    const pointer = joinPointer("", ...path.map((p) => String(p)));
    if (underNewer(pointer)) return;
    if (issue.code === "invalid_union") {
      for (const inner of unionBranch(issue, getAtPointer(root, path.map(String)))) report(inner, path);
      return;
    }
    const value = getAtPointer(root, path.map(String));
    const field = String(path[path.length - 1] ?? "");
    const parentPointer = joinPointer("", ...path.slice(0, -1).map(String));
    let diagnostic: Diagnostic;
    const params = (issue as { params?: Record<string, string> }).params;
    if (params?.["kind"] === "unknown-field") {
      diagnostic = at("AZC2002", { field, object: params["object"] ?? "this object" }, pointer, true);
    } else if (params?.["kind"] === "key") {
      const owner = String(path[path.length - 2] ?? "");
      const what = owner === "outputs" ? "an output" : `a component of ${owner}`;
      diagnostic = at("AZC2020", { key: field, what, suggestion: suggestedName(field) }, pointer, true);
    } else if (value === undefined && (issue.code === "invalid_type" || params?.["kind"] === "missing")) {
      const object = looksLikeSelector(getAtPointer(root, path.slice(0, -1).map(String))) ? "Selector" : objectNameAt(parentPointer);
      diagnostic = at("AZC2003", { field, object }, parentPointer, true);
    } else {
      const message = issue.code === "invalid_type" ? `expected ${issue.expected}, got ${describe(value)}` : issue.message;
      diagnostic = at("AZC2001", { message: `${field ? `'${field}': ` : ""}${message}` }, pointer);
    }
    const key = `${diagnostic.code}${diagnostic.pointer}${diagnostic.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(diagnostic);
    }
  };
  for (const issue of result.error.issues) report(issue, []);
  const partial = partialDocument(root as Raw, schemasFor(selected));
  return partial ? { partial, version: selected, diagnostics } : { diagnostics };
}

/**
 * A name in the pattern of output and component names made of the words of one that breaks it: a trailing
 * description in parentheses dropped, every run of other characters made one '_' (none next to a '.').
 */
export function suggestedName(key: string): string {
  const words = key.replace(/\s*\([^)]*\)\s*$/, "").trim() || key;
  const name = words
    .replace(/[^a-zA-Z0-9.\-_]+/g, "_")
    .replace(/_*\._*/g, ".")
    .replace(/^[_.]+|[_.]+$/g, "");
  return name || "value";
}

/**
 * Steps whose channelPath cannot address an AsyncAPI channel because the source it names (or, when it names
 * none, every source of the document) declares another type.
 */
function misplacedChannelPaths(root: Record<string, unknown>): { pointer: string; channelPath: string; source: string; type: string }[] {
  const sources = Array.isArray(root["sourceDescriptions"]) ? (root["sourceDescriptions"] as unknown[]) : [];
  const typeOf = new Map<string, unknown>();
  for (const s of sources)
    if (s !== null && typeof s === "object" && typeof (s as Record<string, unknown>)["name"] === "string")
      typeOf.set((s as Record<string, unknown>)["name"] as string, (s as Record<string, unknown>)["type"]);
  const found: { pointer: string; channelPath: string; source: string; type: string }[] = [];
  const workflows = Array.isArray(root["workflows"]) ? (root["workflows"] as unknown[]) : [];
  workflows.forEach((workflow, w) => {
    const steps = workflow !== null && typeof workflow === "object" ? (workflow as Record<string, unknown>)["steps"] : undefined;
    if (!Array.isArray(steps)) return;
    steps.forEach((step, s) => {
      const channelPath = step !== null && typeof step === "object" ? (step as Record<string, unknown>)["channelPath"] : undefined;
      if (typeof channelPath !== "string") return;
      const named = /^\{\$sourceDescriptions\.([^.}]+)\.url\}/.exec(channelPath)?.[1];
      const candidates = named !== undefined ? [named] : [...typeOf.keys()];
      if (candidates.length === 0 || candidates.some((name) => typeOf.get(name) === undefined || typeOf.get(name) === "asyncapi")) return;
      found.push({
        pointer: joinPointer("/workflows", w, "steps", s, "channelPath"),
        channelPath,
        source: candidates.join(", "),
        type: [...new Set(candidates.map((name) => String(typeOf.get(name))))].join(", "),
      });
    });
  });
  return found;
}

/**
 * A member named `__proto__` (an output, an input property) is data like any other. zod builds objects by
 * assignment, which for that name sets the prototype instead, so the member would vanish (and an object value
 * would become the prototype). Every such member of the document is put back as an own property, with the
 * plain Object prototype restored, wherever the parsed document has an object at the same place.
 */
function keepProtoKeys<T>(raw: unknown, parsed: T): T {
  const walk = (from: unknown, to: unknown): void => {
    if (from === null || typeof from !== "object" || to === null || typeof to !== "object") return;
    if (Array.isArray(from)) {
      if (Array.isArray(to)) from.forEach((item, i) => walk(item, to[i]));
      return;
    }
    const source = from as Record<string, unknown>;
    const target = to as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(source, "__proto__") && !Object.prototype.hasOwnProperty.call(target, "__proto__")) {
      if (Object.getPrototypeOf(target) !== Object.prototype) Object.setPrototypeOf(target, Object.prototype);
      Object.defineProperty(target, "__proto__", { value: source["__proto__"], enumerable: true, writable: true, configurable: true });
    }
    for (const key of Object.keys(source)) if (key !== "__proto__") walk(source[key], target[key]);
  };
  walk(raw, parsed);
  return parsed;
}

/**
 * What was left out or repaired to read a document with structural errors: pointers of the objects whose
 * unknown fields were dropped or whose fields were left out (`object`), and of workflows whose control flow
 * is incomplete for that (`flow`).
 */
export interface Damage {
  readonly pointer: string;
  readonly scope: "object" | "flow";
}

/**
 * Workflows, steps, source descriptions and components that stand in for ones that could not be read: their
 * identity only, never lowered, read or resolved.
 */
const STUBS = new WeakSet<object>();

/** Whether a part of a partial document stands in for one that could not be read. */
export function isStub(node: object): boolean {
  return STUBS.has(node);
}

type Raw = Record<string, unknown>;

function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A step that always validates, put in place of steps and workflows while the parts around them are read. */
const PLACEHOLDER_STEP = { stepId: "placeholder", operationId: "placeholder" };
const PLACEHOLDER_WORKFLOW = { workflowId: "placeholder", steps: [PLACEHOLDER_STEP] };

/**
 * A copy of `value` with each unknown field (not an x- extension) dropped, and each output whose key breaks
 * the key pattern set aside to be put back after parsing (the key is reported; its value is still read).
 */
function withoutUnknownFields(value: unknown, issues: readonly z.core.$ZodIssue[]): { value: unknown; outputs: Map<string, Raw> } {
  const copy: unknown = structuredCloneJson(value);
  const outputs = new Map<string, Raw>();
  for (const issue of issues) {
    const params = (issue as { params?: Record<string, string> }).params;
    const path = issue.path.map(String);
    if (params?.["kind"] !== "unknown-field" && params?.["kind"] !== "key") continue;
    const parent = getAtPointer(copy, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (!isRaw(parent) || !(key in parent)) continue;
    if (params["kind"] === "key") {
      if (typeof parent[key] !== "string") continue;
      const pointer = joinPointer("", ...path.slice(0, -1));
      outputs.set(pointer, { ...(outputs.get(pointer) ?? {}), [key]: parent[key] });
    }
    delete parent[key];
  }
  return { value: copy, outputs };
}

function structuredCloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCloneJson);
  if (!isRaw(value)) return value;
  const out: Raw = {};
  for (const key of Object.keys(value))
    Object.defineProperty(out, key, { value: structuredCloneJson(value[key]), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Parses `raw` with `schema` after dropping its unknown fields and setting aside bad output keys. */
function parseLeniently<T>(schema: z.ZodType<T>, raw: unknown, at: readonly PropertyKey[], damage: Damage[]): T | undefined {
  const first = schema.safeParse(raw);
  if (first.success) return keepProtoKeys(raw, first.data);
  const issues = flatIssues(first.error.issues, raw, []);
  const { value, outputs } = withoutUnknownFields(raw, issues);
  const second = schema.safeParse(value);
  if (!second.success) return undefined;
  const parsed = keepProtoKeys(value, second.data);
  for (const issue of issues) {
    if ((issue as { params?: Record<string, string> }).params?.["kind"] !== "unknown-field") continue;
    damage.push({ pointer: joinPointer("", ...[...at, ...issue.path.slice(0, -1)].map(String)), scope: "object" });
  }
  // The outputs with keys the pattern refuses are reported, and read as written.
  for (const [pointer, entries] of outputs) {
    const target = getAtPointer(parsed, parsePointer(pointer) ?? []);
    if (!isRaw(target)) continue;
    for (const [key, v] of Object.entries(entries))
      Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return parsed;
}

/** The issues of a union flattened into those of the branch the value was meant to be, paths made whole. */
function flatIssues(issues: readonly z.core.$ZodIssue[], root: unknown, prefix: readonly PropertyKey[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== "invalid_union") return [{ ...issue, path }];
    return flatIssues(unionBranch(issue, getAtPointer(root, path.map(String))), root, path);
  });
}

/** A stand-in step: its id and the outputs it declares, so that what refers to it is not reported as unknown. */
function stubStep(raw: unknown, pointer: string): Step {
  const source = isRaw(raw) ? raw : {};
  const outputs: Record<string, string> = {};
  if (isRaw(source["outputs"])) for (const [k, v] of Object.entries(source["outputs"])) if (typeof v === "string") outputs[k] = v;
  const step = { stepId: typeof source["stepId"] === "string" && source["stepId"] !== "" ? source["stepId"] : pointer, outputs } as Step;
  STUBS.add(step);
  return step;
}

/** A stand-in workflow: its id, inputs and output names, no steps. */
function stubWorkflow(raw: unknown, pointer: string): Workflow {
  const source = isRaw(raw) ? raw : {};
  const outputs: Record<string, string> = {};
  if (isRaw(source["outputs"])) for (const key of Object.keys(source["outputs"])) outputs[key] = "";
  const workflow = {
    workflowId: typeof source["workflowId"] === "string" && source["workflowId"] !== "" ? source["workflowId"] : pointer,
    steps: [],
    outputs,
  } as unknown as Workflow;
  STUBS.add(workflow);
  return workflow;
}

const ACTION_FIELDS = new Set(["onSuccess", "onFailure"]);

type Schemas = ReturnType<typeof schemasFor>;

/** A workflow read part by part: each step that parses is kept, each that does not is a stub. */
function partialWorkflow(raw: unknown, index: number, damage: Damage[], { workflowSchema, stepSchema }: Schemas): Workflow {
  const at = ["workflows", index];
  const pointer = joinPointer("", ...at.map(String));
  const whole = parseLeniently(workflowSchema, raw, at, damage);
  if (whole) return whole;
  if (!isRaw(raw) || !Array.isArray(raw["steps"]) || raw["steps"].length === 0) return stubWorkflow(raw, pointer);
  const steps = raw["steps"].map((step: unknown, j: number): Step => {
    const stepAt = [...at, "steps", j];
    const stepPointer = joinPointer("", ...stepAt.map(String));
    const parsed = parseLeniently(stepSchema, step, stepAt, damage);
    if (parsed) return parsed;
    // A step with a bad field is read without that field (when the rest holds), so that its operation is
    // still checked; what the field would have supplied is not reported missing.
    const checked = stepSchema.safeParse(step);
    if (isRaw(step) && !checked.success) {
      const fields = new Set(flatIssues(checked.error.issues, step, []).map((i) => String(i.path[0] ?? "")));
      const required = ["stepId", "operationId", "operationPath", "channelPath", "workflowId", ""];
      if (![...fields].some((f) => required.includes(f))) {
        const rest = Object.fromEntries(Object.entries(step).filter(([k]) => !fields.has(k)));
        const reduced = parseLeniently(stepSchema, rest, stepAt, damage);
        if (reduced) {
          damage.push({ pointer: stepPointer, scope: "object" });
          if ([...fields].some((f) => ACTION_FIELDS.has(f))) damage.push({ pointer, scope: "flow" });
          return reduced;
        }
      }
    }
    damage.push({ pointer, scope: "flow" });
    return stubStep(step, stepPointer);
  });
  // The workflow's own fields, read with placeholders for its steps.
  const shell = parseLeniently(workflowSchema, { ...raw, steps: steps.map(() => PLACEHOLDER_STEP) }, at, damage);
  if (!shell) return stubWorkflow(raw, pointer);
  return { ...shell, steps };
}

/** A stand-in Info: a malformed info says nothing the checks need. */
function standInInfo(raw: unknown): ArazzoDocument["info"] {
  const source = isRaw(raw) ? raw : {};
  return { title: typeof source["title"] === "string" ? source["title"] : "", version: typeof source["version"] === "string" ? source["version"] : "" };
}

const SOURCE_TYPES: ReadonlySet<unknown> = new Set(["openapi", "arazzo", "asyncapi"]);

/**
 * A stand-in source description: its name (so that what names it is not reported unknown) and its type when
 * that is one of the spec's. It is never read: what it would have declared is unknown.
 */
function stubSource(raw: unknown, pointer: string): SourceDescription {
  const source = isRaw(raw) ? raw : {};
  const standIn = {
    name: typeof source["name"] === "string" && source["name"] !== "" ? source["name"] : pointer,
    url: typeof source["url"] === "string" ? source["url"] : "",
    ...(SOURCE_TYPES.has(source["type"]) ? { type: source["type"] as SourceDescription["type"] } : {}),
  };
  STUBS.add(standIn);
  return standIn;
}

/**
 * A source description read on its own: as written, else without its optional `type` when only that is wrong
 * (the type is then known from the file, as for a source that declares none), else a stand-in.
 */
function partialSource(raw: unknown, index: number, damage: Damage[], { sourceDescriptionSchema }: Schemas): SourceDescription {
  const at = ["sourceDescriptions", index];
  const parsed = parseLeniently(sourceDescriptionSchema, raw, at, damage);
  if (parsed) return parsed;
  const checked = sourceDescriptionSchema.safeParse(raw);
  if (isRaw(raw) && !checked.success) {
    const fields = new Set(flatIssues(checked.error.issues, raw, []).map((i) => String(i.path[0] ?? "")));
    if (fields.size === 1 && fields.has("type")) {
      const { type: _type, ...rest } = raw;
      const reduced = parseLeniently(sourceDescriptionSchema, rest, at, damage);
      if (reduced) return reduced;
    }
  }
  return stubSource(raw, joinPointer("", ...at.map(String)));
}

const COMPONENT_KINDS = ["inputs", "parameters", "successActions", "failureActions"] as const;
type ComponentKind = (typeof COMPONENT_KINDS)[number];

/**
 * The components read entry by entry: each entry that parses is kept, each that does not is a stand-in (an
 * empty object), and a kind that is not a map at all is an empty stand-in map. A reference to a stand-in is
 * neither resolved nor reported unknown (see `isStub`).
 */
function partialComponents(raw: unknown, damage: Damage[], schemas: Schemas): Components {
  const stub = (): Raw => {
    const standIn: Raw = {};
    STUBS.add(standIn);
    return standIn;
  };
  if (!isRaw(raw)) return Object.fromEntries(COMPONENT_KINDS.map((kind) => [kind, stub()])) as Components;
  const entrySchemas: Record<ComponentKind, z.ZodType<unknown> | undefined> = {
    inputs: undefined,
    parameters: schemas.parameterSchema,
    successActions: schemas.successActionSchema,
    failureActions: schemas.failureActionSchema,
  };
  const components: Raw = {};
  for (const kind of COMPONENT_KINDS) {
    const map = raw[kind];
    if (map === undefined) continue;
    if (!isRaw(map)) {
      components[kind] = stub();
      continue;
    }
    const entries: Raw = {};
    for (const name of Object.keys(map)) {
      const schema = entrySchemas[kind];
      const entry = schema ? parseLeniently(schema, map[name], ["components", kind, name], damage) : isRaw(map[name]) ? map[name] : undefined;
      Object.defineProperty(entries, name, { value: entry ?? stub(), enumerable: true, writable: true, configurable: true });
    }
    components[kind] = entries;
  }
  return components as Components;
}

/** Whether `$components.<kind>.<name>` names a component that could not be read. */
function unreadableComponent(components: Components | undefined, kind: ComponentKind, name: string): boolean {
  const map = components?.[kind] as Raw | undefined;
  if (map === undefined) return false;
  if (isStub(map)) return true;
  const entry = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
  return isRaw(entry) && isStub(entry);
}

/**
 * Damage from references to components that could not be read: a step (or a workflow, for what its steps
 * inherit) whose parameter is one of them lacks what the parameter supplies; one whose action is one of them
 * has an incomplete control flow.
 */
function componentDamage(workflows: readonly unknown[], components: Components | undefined): Damage[] {
  const damage: Damage[] = [];
  const KINDS: Record<string, ComponentKind> = {
    parameters: "parameters",
    successActions: "successActions",
    failureActions: "failureActions",
  };
  const visit = (value: unknown, path: string[], owner: string, workflow: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => visit(item, [...path, String(i)], owner, workflow));
    if (!isRaw(value)) return;
    const match = typeof value["reference"] === "string" ? /^\$components\.([A-Za-z]+)\.(.+)$/.exec(value["reference"]) : null;
    const kind = match ? KINDS[match[1]!] : undefined;
    if (match && kind && unreadableComponent(components, kind, match[2]!))
      damage.push(kind === "parameters" ? { pointer: owner, scope: "object" } : { pointer: workflow, scope: "flow" });
    for (const key of Object.keys(value)) visit(value[key], [...path, key], owner, workflow);
  };
  workflows.forEach((raw, w) => {
    if (!isRaw(raw)) return;
    const workflow = joinPointer("/workflows", w);
    for (const key of Object.keys(raw)) {
      if (key !== "steps") visit(raw[key], [key], workflow, workflow);
      else if (Array.isArray(raw[key]))
        (raw[key] as unknown[]).forEach((step, s) => visit(step, [], joinPointer(workflow, "steps", s), workflow));
    }
  });
  return damage;
}

/** Whether a workflow's inputs are a $ref to an inputs component that could not be read: its inputs are unknown. */
export function inputsUnreadable(document: ArazzoDocument, ref: string): boolean {
  const name = /^#\/components\/inputs\/(.+)$/.exec(ref)?.[1];
  return name !== undefined && unreadableComponent(document.components, "inputs", name.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Stand-ins for the top-level parts while the document's own fields are read. */
const PLACEHOLDER_INFO = { title: "placeholder", version: "placeholder" };
const PLACEHOLDER_SOURCE = { name: "placeholder", url: "placeholder" };

/**
 * The parts of a document with structural errors that can be read. A malformed info is replaced by a stand-in;
 * each source description, each component, each workflow and each step is read on its own, and one that
 * cannot be read is replaced by a stub that keeps its identity. Undefined when the top level itself cannot be
 * read (no workflows, no source descriptions, a bad arazzo field).
 */
function partialDocument(root: Raw, schemas: Schemas): { document: ArazzoDocument; damage: Damage[] } | undefined {
  const damage: Damage[] = [];
  const workflows = Array.isArray(root["workflows"]) ? root["workflows"] : undefined;
  if (!workflows || workflows.length === 0) return undefined;
  const sources = Array.isArray(root["sourceDescriptions"]) ? root["sourceDescriptions"] : undefined;
  const placeholders: Raw = { ...root, info: PLACEHOLDER_INFO, workflows: [PLACEHOLDER_WORKFLOW] };
  if (sources && sources.length > 0) placeholders["sourceDescriptions"] = [PLACEHOLDER_SOURCE];
  if ("components" in root) placeholders["components"] = {};
  const top = parseLeniently(schemas.documentSchema, placeholders, [], damage);
  if (!top) return undefined;
  const info = parseLeniently(schemas.infoSchema, root["info"], ["info"], damage) ?? standInInfo(root["info"]);
  const components = "components" in root ? partialComponents(root["components"], damage, schemas) : undefined;
  damage.push(...componentDamage(workflows, components));
  const document: ArazzoDocument = {
    ...top,
    info,
    sourceDescriptions: (sources ?? []).map((s, i) => partialSource(s, i, damage, schemas)),
    workflows: workflows.map((w, i) => partialWorkflow(w, i, damage, schemas)),
  };
  if (components !== undefined) document.components = components;
  else delete document.components;
  return { document, damage };
}

const COMPLETENESS: ReadonlySet<string> = new Set(["AZC4008", "AZC4013", "AZC4019", "AZC2003"]);
const FLOW: ReadonlySet<string> = new Set(["AZC5001", "AZC5002", "AZC4011", "AZC4020"]);

/**
 * The semantic diagnostics of a partial document without those that only follow from what was left out:
 * a required parameter, body or input reported missing where a field was dropped, and control-flow findings
 * in a workflow whose steps or actions are incomplete.
 */
export function withoutCascades(diagnostics: readonly Diagnostic[], damage: readonly Damage[]): Diagnostic[] {
  const within = (pointer: string, scope: Damage["scope"]) =>
    damage.some((d) => d.scope === scope && (pointer === d.pointer || pointer.startsWith(d.pointer + "/")));
  return diagnostics.filter(
    (d) => !(COMPLETENESS.has(d.code) && within(d.pointer, "object")) && !(FLOW.has(d.code) && within(d.pointer, "flow")),
  );
}
