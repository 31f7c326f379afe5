// Structural validation of an Arazzo document: the zod schemas, with each issue turned into a
// diagnostic at the exact node it concerns.
import type { z } from "zod";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { getAtPointer, joinPointer } from "../load/pointer.js";
import type { ParsedFile } from "../load/yaml.js";
import { arazzoDocumentSchema, type ArazzoDocument } from "./arazzo.js";

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

export function validateArazzo(file: ParsedFile): { document?: ArazzoDocument; diagnostics: Diagnostic[] } {
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
    if (!/^1\.0(\.\d+)?$/.test(written)) return { diagnostics: [at("AZC2004", { version: written }, "/arazzo")] };
    return { diagnostics: [at("AZC2005", { version: written }, "/arazzo")] };
  }
  if (typeof version === "string" && !/^1\.0\.\d+(-.+)?$/.test(version)) {
    return { diagnostics: [at("AZC2004", { version }, "/arazzo")] };
  }

  const result = arazzoDocumentSchema.safeParse(root);
  if (result.success) return { document: keepProtoKeys(root, result.data), diagnostics: [] };

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    const pointer = joinPointer("", ...path.map((p) => String(p)));
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
      diagnostic = at("AZC2003", { field, object: objectNameAt(parentPointer) }, parentPointer, true);
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
