// Base URIs inside a document, for `$ref` resolution by identity. An OpenAPI 3.2 description (and an Arazzo 1.1
// document) may declare `$self`, the URI it gives itself: its relative references resolve against that, not
// against where the file was read (RFC 3986 §5.1). A JSON Schema 2020-12 schema (OpenAPI 3.1 and later, Arazzo
// inputs, a schema file of its own) may declare `$id`: the references inside it resolve against that, and the
// schema is a resource addressed by that URI wherever it is written. A document that declares neither keeps the
// retrieval location as its only base, and resolves as it always did.
import { isObject } from "./json.js";
import { resolveUri, retrievalUri } from "./identity.js";
import { joinPointer } from "./pointer.js";

/** Keywords whose values are data, not schemas or descriptions: a `$id` or `$ref` inside them is no keyword. */
const DATA_KEYWORDS = new Set(["example", "examples", "enum", "const", "default"]);

/** Where a base URI comes from, for messages: `its $self`, `the $id at /components/schemas/Order`. */
export interface Base {
  readonly uri: string;
  readonly from: string;
}

/** A `$self` or `$id` that is no URI reference: references under it keep the base above it. */
export interface ScopeProblem {
  readonly pointer: string;
  readonly keyword: "$self" | "$id";
  readonly value: string;
  readonly base: string;
}

export interface DocumentScope {
  /** The URI the document was read from. */
  readonly retrieval: string;
  /** The document's base: its `$self` resolved against `retrieval`, else `retrieval`. */
  readonly base: Base;
  /** The identity the document declares (its resolved `$self`), when it declares one. */
  readonly self?: string;
  /** Each `$id` schema resource: its absolute URI, and the pointer tokens of the schema. */
  readonly resources: ReadonlyMap<string, readonly string[]>;
  /** The base URI at each node that declares a usable `$id`, by JSON pointer. */
  readonly bases: ReadonlyMap<string, Base>;
  readonly problems: readonly ScopeProblem[];
}

/**
 * Which of the two keywords a document's kind gives meaning to: OpenAPI 3.2 and Arazzo 1.1 both; OpenAPI 3.1
 * `$id` (its schemas are JSON Schema 2020-12); a document of no known kind (a schema file) `$id`. OpenAPI 3.0,
 * Swagger 2.0, AsyncAPI and Arazzo 1.0 neither: they resolve by location only.
 */
function keywordsOf(root: unknown): { self: boolean; id: boolean; schema?: true } | undefined {
  if (!isObject(root)) return undefined;
  const version = (key: string): string | undefined => (typeof root[key] === "string" ? (root[key] as string) : undefined);
  if ("arazzo" in root) return /^1\.1\./.test(version("arazzo") ?? "") ? { self: true, id: true } : undefined;
  if ("openapi" in root) {
    const openapi = version("openapi") ?? "";
    if (/^3\.2\./.test(openapi)) return { self: true, id: true };
    return /^3\.1\./.test(openapi) ? { self: false, id: true } : undefined;
  }
  if ("swagger" in root || "asyncapi" in root) return undefined;
  return { self: false, id: true, schema: true };
}

/** `reference` resolved against `base` by RFC 3986, without its fragment; undefined when it is no URI reference. */
function resolveAgainst(reference: string, base: string): string | undefined {
  return reference.includes("#") ? undefined : resolveUri(reference, base);
}

/**
 * The scope of a document read from `location`; undefined when its kind resolves by location only, or when it
 * declares neither keyword (then nothing differs from resolving by location).
 */
export function documentScope(root: unknown, location: string): DocumentScope | undefined {
  const keywords = keywordsOf(root);
  if (!keywords || !isObject(root)) return undefined;
  const retrieval = retrievalUri(location);
  const problems: ScopeProblem[] = [];
  let base: Base = { uri: retrieval, from: "where it was read" };
  let self: string | undefined;
  if (keywords.self && typeof root["$self"] === "string") {
    const resolved = resolveAgainst(root["$self"], retrieval);
    if (resolved === undefined) problems.push({ pointer: "/$self", keyword: "$self", value: root["$self"], base: retrieval });
    else {
      self = resolved;
      base = { uri: resolved, from: "its $self" };
    }
  }
  const resources = new Map<string, readonly string[]>();
  const bases = new Map<string, Base>();
  if (keywords.id) {
    // An explicit stack: descriptions nest deeply, and some are large.
    const stack: { value: unknown; tokens: string[]; base: Base }[] = [{ value: root, tokens: [], base }];
    while (stack.length > 0) {
      const { value, tokens, base: outer } = stack.pop()!;
      if (Array.isArray(value)) {
        value.forEach((item, i) => stack.push({ value: item, tokens: [...tokens, String(i)], base: outer }));
        continue;
      }
      if (!isObject(value)) continue;
      let here = outer;
      const id = value["$id"];
      // A fragment-only `$id` is a draft-07 anchor, not a base; the root of an Arazzo or OpenAPI document is no schema.
      if (typeof id === "string" && !id.startsWith("#") && (tokens.length > 0 || keywords.schema)) {
        const pointer = joinPointer("", ...tokens);
        const resolved = resolveAgainst(id.replace(/#$/, ""), outer.uri);
        if (resolved === undefined) problems.push({ pointer: joinPointer(pointer, "$id"), keyword: "$id", value: id, base: outer.uri });
        else {
          here = { uri: resolved, from: `the $id at ${pointer}` };
          bases.set(pointer, here);
          if (!resources.has(resolved)) resources.set(resolved, tokens);
        }
      }
      for (const [key, child] of Object.entries(value))
        if (!DATA_KEYWORDS.has(key) && child !== null && typeof child === "object") stack.push({ value: child, tokens: [...tokens, key], base: here });
    }
  }
  if (self === undefined && bases.size === 0 && problems.length === 0) return undefined;
  return { retrieval, base, ...(self !== undefined ? { self } : {}), resources, bases, problems };
}

/** The base URI that applies at the node with these pointer tokens (a `$id` on the node itself counts). */
export function baseAt(scope: DocumentScope, tokens: readonly string[]): Base {
  let base = scope.base;
  if (scope.bases.size === 0) return base;
  for (let i = 0; i <= tokens.length; i++) {
    const declared = scope.bases.get(joinPointer("", ...tokens.slice(0, i)));
    if (declared) base = declared;
  }
  return base;
}

/** Every `$ref` string of a document (outside data keywords), with the pointer of the object that holds it. */
export function referencesOf(root: unknown): { pointer: string; tokens: string[]; ref: string }[] {
  const found: { pointer: string; tokens: string[]; ref: string }[] = [];
  const stack: { value: unknown; tokens: string[] }[] = [{ value: root, tokens: [] }];
  while (stack.length > 0) {
    const { value, tokens } = stack.pop()!;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, tokens: [...tokens, String(i)] }));
      continue;
    }
    if (!isObject(value)) continue;
    if (typeof value["$ref"] === "string") found.push({ pointer: joinPointer("", ...tokens), tokens, ref: value["$ref"] });
    for (const [key, child] of Object.entries(value))
      if (!DATA_KEYWORDS.has(key) && child !== null && typeof child === "object") stack.push({ value: child, tokens: [...tokens, key] });
  }
  return found.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
