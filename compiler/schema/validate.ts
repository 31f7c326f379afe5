// Structural validation of an Arazzo document: the zod schemas, with each issue turned into a
// diagnostic at the exact node it concerns.
import type { z } from "zod";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { getAtPointer, joinPointer } from "../load/pointer.js";
import type { ParsedFile } from "../load/yaml.js";
import { arazzoVersionOf, looksLikeSelector, schemasFor, type ArazzoDocument, type ArazzoVersion } from "./arazzo.js";
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
 * what the 1.0 schema says about it there.
 */
export function validateArazzo(file: ParsedFile): { document?: ArazzoDocument; version?: ArazzoVersion; diagnostics: Diagnostic[] } {
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
  return { diagnostics };
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
