// Runtime expressions (reference §3): `$url`, `$statusCode`, `$response.body#/a/b`, `$inputs.x`,
// `$steps.s.outputs.o#/p`, ... parsed to an AST. Names that may contain dots (inputs, outputs, component
// keys) are kept as written here; the check stage resolves them by longest match against what the
// document declares, and whatever follows is `.member` / `[n]` navigation.
//
// Arazzo 1.1 rewrote the grammar: `$message.header.<name>`, `$message.payload#/p` and `$self` are new, and
// it is stricter. A 1.1 document's expressions are parsed by the 1.1 rules (no braces anywhere in an
// expression, `$steps.<id>.outputs.<name>` in full, `$workflows.<id>.inputs|outputs.<name>`, three kinds of
// `$components`, and only the sources each root has: decision A-31); a 1.0 document's exactly as before.
import { unescapePointerToken } from "../load/pointer.js";
import type { ArazzoVersion } from "../schema/arazzo.js";

export type MessagePart = "header" | "query" | "path" | "body" | "payload";

/**
 * Deviations from the grammar whose meaning is clear, accepted by the parser and reported by the check
 * stage with the standard form: `#name` for `#/name`, `$response.headers.X` for `$response.header.X`.
 */
export type SloppyForm = "pointer-without-slash" | "headers";

export type RuntimeExpression =
  | { readonly kind: "url" | "method" | "statusCode" }
  | {
      readonly kind: "request" | "response";
      readonly part: "header" | "query" | "path";
      readonly name: string;
      readonly sloppy?: readonly SloppyForm[];
    }
  | {
      readonly kind: "request" | "response";
      readonly part: "body";
      readonly pointer?: readonly string[];
      readonly navigation: string;
      readonly sloppy?: readonly SloppyForm[];
    }
  /** `$inputs.<rest>`, `$outputs.<rest>`: rest is the name, possibly followed by navigation. */
  | {
      readonly kind: "inputs" | "outputs";
      readonly rest: string;
      readonly pointer?: readonly string[];
      readonly sloppy?: readonly SloppyForm[];
    }
  /** `$steps.<stepId>.<field>.<rest>` and `$workflows.<workflowId>.<field>.<rest>`. */
  | {
      readonly kind: "steps" | "workflows";
      readonly id: string;
      readonly field: string;
      readonly rest: string;
      readonly pointer?: readonly string[];
      readonly sloppy?: readonly SloppyForm[];
    }
  | { readonly kind: "sourceDescriptions"; readonly name: string; readonly rest: string }
  | { readonly kind: "components"; readonly rest: string }
  /** 1.1: `$message.header.<name>` of an AsyncAPI step's message. */
  | { readonly kind: "message"; readonly part: "header"; readonly name: string; readonly sloppy?: readonly SloppyForm[] }
  /** 1.1: `$message.payload[#pointer]`; `navigation` is `.a.b` written after payload (decision A-32). */
  | {
      readonly kind: "message";
      readonly part: "payload";
      readonly pointer?: readonly string[];
      readonly navigation: string;
      readonly sloppy?: readonly SloppyForm[];
    }
  /** 1.1: `$self`, the URI the document gives itself. */
  | { readonly kind: "self" };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string; offset: number };

const ID = /^[A-Za-z0-9_-]+/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function splitPointer(text: string): { head: string; pointer?: readonly string[]; error?: string; sloppy?: SloppyForm[] } {
  const hash = text.indexOf("#");
  if (hash < 0) return { head: text };
  const raw = text.slice(hash + 1);
  if (/~[^01]|~$/.test(raw)) return { head: text, error: `'#${raw}' has an invalid ~ escape (only ~0 and ~1 are allowed)` };
  // `#name` means `#/name`: a pointer whose first token lost its slash (reported by the check stage).
  const withoutSlash = raw !== "" && !raw.startsWith("/");
  const pointer = raw === "" ? [] : (withoutSlash ? raw : raw.slice(1)).split("/").map(unescapePointerToken);
  return { head: text.slice(0, hash), pointer, ...(withoutSlash ? { sloppy: ["pointer-without-slash"] } : {}) };
}

/** The optional members of an expression with a pointer: the pointer, and the sloppy forms met on the way. */
function pointerFields(
  pointer: readonly string[] | undefined,
  sloppy: readonly SloppyForm[],
): { pointer?: readonly string[]; sloppy?: readonly SloppyForm[] } {
  return { ...(pointer ? { pointer } : {}), ...(sloppy.length > 0 ? { sloppy } : {}) };
}

/** The component kinds a 1.1 `$components.` expression may name (a Reusable Object's targets). */
const COMPONENT_KINDS = ["parameters", "successActions", "failureActions"];

/**
 * Parses a complete runtime expression such as `$response.body#/id`, by the grammar of the document's
 * version (1.0 unless said).
 */
export function parseRuntimeExpression(text: string, version: ArazzoVersion = "1.0"): ParseResult<RuntimeExpression> {
  const parsed = parse10(text, version);
  if (!parsed.ok || version === "1.0") return parsed;
  return restrict11(text, parsed.value);
}

/** The 1.1 rules a 1.0-grammatical expression must also meet. */
function restrict11(text: string, expression: RuntimeExpression): ParseResult<RuntimeExpression> {
  const fail = (reason: string, offset = 0): ParseResult<RuntimeExpression> => ({ ok: false, reason, offset });
  const brace = text.search(/[{}]/);
  if (brace >= 0)
    return fail("Arazzo 1.1 expressions contain no { or }; to read a member whose name has one, use a Selector Object", brace);
  switch (expression.kind) {
    case "request":
    case "response":
      if (expression.kind === "response" && (expression.part === "query" || expression.part === "path"))
        return fail(`$response.${expression.part} does not exist; a response has header and body`, "$response.".length);
      return { ok: true, value: expression };
    case "steps":
      if (expression.field !== "outputs" || expression.rest === "")
        return fail(
          `write $steps.${expression.id}.outputs.<name>: a step exposes only its outputs`,
          "$steps.".length + expression.id.length,
        );
      return { ok: true, value: expression };
    case "workflows":
      if (expression.field === "steps")
        return fail(
          `$workflows.${expression.id}.steps… is allowed only in dependsOn; expose the value as an output of ${expression.id} and read $workflows.${expression.id}.outputs.<name>`,
          "$workflows.".length + expression.id.length,
        );
      if ((expression.field !== "outputs" && expression.field !== "inputs") || expression.rest === "")
        return fail(`write $workflows.${expression.id}.outputs.<name> or $workflows.${expression.id}.inputs.<name>`, "$workflows.".length);
      return { ok: true, value: expression };
    case "components": {
      const kind = expression.rest.split(".", 1)[0]!;
      if (!COMPONENT_KINDS.includes(kind) || expression.rest.length <= kind.length + 1)
        return fail(
          `$components. names parameters, successActions or failureActions, then the component: $components.parameters.<name>${kind === "inputs" ? " (inputs are reached with a JSON Schema $ref)" : ""}`,
          "$components.".length,
        );
      return { ok: true, value: expression };
    }
    default:
      return { ok: true, value: expression };
  }
}

function parse10(text: string, version: ArazzoVersion): ParseResult<RuntimeExpression> {
  const fail = (reason: string, offset = 0): ParseResult<RuntimeExpression> => ({ ok: false, reason, offset });
  if (!text.startsWith("$")) return fail("a runtime expression starts with $");
  if (version === "1.1" && text === "$self") return { ok: true, value: { kind: "self" } };
  if (text === "$url") return { ok: true, value: { kind: "url" } };
  if (text === "$method") return { ok: true, value: { kind: "method" } };
  if (text === "$statusCode") return { ok: true, value: { kind: "statusCode" } };

  const dot = text.indexOf(".");
  const prefix = dot < 0 ? text : text.slice(0, dot);
  const after = dot < 0 ? "" : text.slice(dot + 1);
  switch (prefix) {
    case "$request":
    case "$response": {
      const kind = prefix === "$request" ? "request" : "response";
      const partMatch = /^(header|query|path)\.(.+)$/.exec(after);
      if (partMatch) {
        const part = partMatch[1] as "header" | "query" | "path";
        const name = partMatch[2]!;
        if (part === "header" && !TOKEN.test(name)) return fail(`'${name}' is not a valid header name`, prefix.length + 8);
        return { ok: true, value: { kind, part, name } };
      }
      if (after === "body" || after.startsWith("body#") || after.startsWith("body.") || after.startsWith("body[")) {
        const { head, pointer, error, sloppy } = splitPointer(after.slice(4));
        if (error) return fail(error, prefix.length + 5);
        return { ok: true, value: { kind, part: "body", navigation: head, ...pointerFields(pointer, sloppy ?? []) } };
      }
      // `headers.<name>`, plural: one header all the same (reported by the check stage).
      const plural = /^headers\.(.+)$/.exec(after);
      if (plural) {
        const name = plural[1]!;
        if (!TOKEN.test(name)) return fail(`'${name}' is not a valid header name`, prefix.length + 9);
        return { ok: true, value: { kind, part: "header", name, sloppy: ["headers"] } };
      }
      return fail(`after ${prefix}. comes header.<name>, query.<name>, path.<name> or body`, prefix.length + 1);
    }
    case "$inputs":
    case "$outputs": {
      const { head, pointer, error, sloppy } = splitPointer(after);
      if (error) return fail(error, prefix.length + 1);
      if (head === "") return fail(`${prefix} needs a name, e.g. ${prefix}.name`, prefix.length);
      const kind = prefix === "$inputs" ? "inputs" : "outputs";
      return { ok: true, value: { kind, rest: head, ...pointerFields(pointer, sloppy ?? []) } };
    }
    case "$steps":
    case "$workflows": {
      const { head, pointer, error, sloppy } = splitPointer(after);
      if (error) return fail(error, prefix.length + 1);
      const id = ID.exec(head)?.[0];
      if (!id)
        return fail(
          `${prefix} needs an id, e.g. ${prefix === "$steps" ? "$steps.<stepId>.outputs.<name>" : "$workflows.<workflowId>.outputs.<name>"}`,
          prefix.length + 1,
        );
      const afterId = head.slice(id.length);
      const fieldMatch = /^\.([A-Za-z]+)(?:\.(.*))?$/.exec(afterId);
      if (!fieldMatch) return fail(`expected .outputs.<name> after ${prefix}.${id}`, prefix.length + 1 + id.length);
      const field = fieldMatch[1]!;
      const rest = fieldMatch[2] ?? "";
      const kind = prefix === "$steps" ? "steps" : "workflows";
      return { ok: true, value: { kind, id, field, rest, ...pointerFields(pointer, sloppy ?? []) } };
    }
    case "$sourceDescriptions": {
      const name = ID.exec(after)?.[0];
      if (!name) return fail("$sourceDescriptions needs a source name", prefix.length + 1);
      const rest = after.slice(name.length);
      if (!rest.startsWith(".") || rest.length < 2)
        return fail(`expected .<operationId>, .<workflowId> or .url after $sourceDescriptions.${name}`, prefix.length + 1 + name.length);
      return { ok: true, value: { kind: "sourceDescriptions", name, rest: rest.slice(1) } };
    }
    case "$components": {
      if (after === "") return fail("$components needs a component, e.g. $components.parameters.<name>", prefix.length);
      return { ok: true, value: { kind: "components", rest: after } };
    }
    case "$message": {
      if (version === "1.0") return fail("$message needs arazzo: 1.1.0 (it reads the message of an AsyncAPI step)");
      const header = /^header\.(.+)$/.exec(after);
      if (header) {
        if (!TOKEN.test(header[1]!)) return fail(`'${header[1]}' is not a valid header name`, prefix.length + 8);
        return { ok: true, value: { kind: "message", part: "header", name: header[1]! } };
      }
      if (after === "payload" || after.startsWith("payload#") || after.startsWith("payload.") || after.startsWith("payload[")) {
        const { head, pointer, error, sloppy } = splitPointer(after.slice(7));
        if (error) return fail(error, prefix.length + 8);
        return { ok: true, value: { kind: "message", part: "payload", navigation: head, ...pointerFields(pointer, sloppy ?? []) } };
      }
      // `headers.<name>`, plural, as for $response: one header all the same (reported by the check stage).
      const plural = /^headers\.(.+)$/.exec(after);
      if (plural) {
        if (!TOKEN.test(plural[1]!)) return fail(`'${plural[1]}' is not a valid header name`, prefix.length + 9);
        return { ok: true, value: { kind: "message", part: "header", name: plural[1]!, sloppy: ["headers"] } };
      }
      return fail("after $message. comes header.<name> or payload", prefix.length + 1);
    }
    case "$self":
      if (version === "1.0") return fail("$self needs arazzo: 1.1.0");
      return fail(`$self takes nothing after it; '${text}' is not an expression`, prefix.length);
    case "$url":
    case "$method":
    case "$statusCode":
      return fail(`${prefix} takes nothing after it; '${text}' is not an expression`, prefix.length);
    default:
      return fail(
        version === "1.0"
          ? `unknown expression '${prefix}'; expressions start with $url, $method, $statusCode, $request., $response., $inputs., $outputs., $steps., $workflows., $sourceDescriptions. or $components.`
          : `unknown expression '${prefix}'; expressions start with $url, $method, $statusCode, $request., $response., $message., $inputs., $outputs., $steps., $workflows., $sourceDescriptions., $components. or $self`,
      );
  }
}

/** Does this string start like a runtime expression (so that a failed parse is an error, not a literal)? */
export function looksLikeExpression(text: string, version: ArazzoVersion = "1.0"): boolean {
  if (version === "1.1" && /^\$(?:message|self)(?:$|\.)/.test(text)) return true;
  return /^\$(?:url|method|statusCode|request|response|inputs|outputs|steps|workflows|sourceDescriptions|components)(?:$|\.)/.test(text);
}

/**
 * Splits navigation written after a resolved name, `.member` and `[0]` (allowed only in simple
 * conditions), into steps. undefined when the text is not navigation.
 */
export function parseNavigation(text: string): (string | number)[] | undefined {
  const steps: (string | number)[] = [];
  let rest = text;
  while (rest !== "") {
    const member = /^\.([A-Za-z0-9_-]+)/.exec(rest);
    if (member) {
      steps.push(member[1]!);
      rest = rest.slice(member[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      steps.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    return undefined;
  }
  return steps;
}
