// Lowering value positions (parameter values, payloads, outputs) to IR values: whole-string expressions keep
// their type, `{$...}` templates interpolate, JSON written as text is parsed with its values in the tree,
// payload replacements are applied to the structure. Each function returns what it read.
import { parseJsonText, type JsonTextNode } from "../expressions/json-text.js";
import { looksLikeExpression, parseRuntimeExpression, type RuntimeExpression } from "../expressions/runtime-expression.js";
import { classifyValueString, findBareExpressions, parseTemplate } from "../expressions/template.js";
import { isAbsoluteUri } from "../load/identity.js";
import { isJsonMediaType, isObject } from "../load/json.js";
import { joinPointer, parsePointer } from "../load/pointer.js";
import { isSingularQuery, parseJsonPath, singularQuerySteps } from "../expressions/jsonpath/index.js";
import {
  classifySelectorObject,
  goessnerExcess,
  readExpressionType,
  type ExpressionType,
  type SelectorClassification,
} from "../expressions/selector.js";
import type { SelectorIr } from "../ir/expressions.js";
import type { Ref, Value } from "./model.js";
import { Collector, type Lowered, type Span } from "./report.js";
import { PLACE_NAMES, resolveExpression, type Scope } from "./resolve.js";
import { versionOf, type SymbolTable } from "./symbols.js";
import { closest } from "./targets.js";

/**
 * What a step sends under the name an undeclared output is read by: one of its parameters, or a member of its
 * request body, whose value is a runtime expression. Authors often read a step's request as if it were among its
 * outputs; the value is where the step read it.
 */
function sentAs(
  symbols: SymbolTable,
  workflowId: string,
  stepId: string,
  output: string,
): { name: string; where: string; expression: string } | undefined {
  const step = symbols.workflowsById.get(workflowId)?.stepsById.get(stepId);
  if (!step) return undefined;
  const name = output.split(/[.[#]/, 1)[0]!;
  const expressionIn = (value: unknown): string | undefined => {
    if (typeof value !== "string") return undefined;
    const text = /^\{\$[^{}]*\}$/.test(value) ? value.slice(1, -1) : value;
    // A value the step takes from its own outputs (a mistake of its own) says nothing about where it comes from.
    if (text.startsWith(`$steps.${stepId}.`)) return undefined;
    return text.startsWith("$") && parseRuntimeExpression(text, versionOf(symbols)).ok ? text : undefined;
  };
  for (const { parameter } of step.parameters) {
    const expression = parameter.name === name ? expressionIn(parameter.value) : undefined;
    if (expression !== undefined) return { name, where: parameter.in ? `a ${parameter.in} parameter` : "a parameter", expression };
  }
  const payload = step.step.requestBody?.payload;
  const member = isObject(payload) && Object.prototype.hasOwnProperty.call(payload, name) ? expressionIn(payload[name]) : undefined;
  return member !== undefined ? { name, where: "a member of its request body", expression: member } : undefined;
}

/**
 * Where a string being lowered sits: the node at `pointer`, and how offsets in the string map to offsets in
 * that node's value (a string inside a JSON text payload is a part of the payload's text).
 */
export interface StringPlace {
  readonly pointer: string;
  readonly map?: (span: Span) => Span;
}

function spanIn(place: StringPlace, start: number, end: number): { pointer: string; span: Span } {
  const span = { start, end };
  return { pointer: place.pointer, span: place.map ? place.map(span) : span };
}

/** A parsed runtime expression resolved against the scope; the read is recorded, a failure reported there. */
export function resolveRef(
  expression: RuntimeExpression,
  text: string,
  at: { pointer: string; span?: Span },
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Ref> {
  const out = new Collector(symbols.file);
  const resolution = resolveExpression(expression, text, scope);
  if (!resolution.ok) {
    const sent = resolution.code === "AZC4004" ? sentAs(symbols, scope.workflowId, resolution.args["stepId"]!, resolution.args["output"]!) : undefined;
    const args = sent
      ? {
          ...resolution.args,
          sent: ` (it sends '${sent.name}' as ${sent.where}, from ${sent.expression})`,
          alternative: `; what a step sends is not among its outputs: read ${sent.expression} itself`,
        }
      : resolution.args;
    out.report(resolution.code, args, at);
    return out.done(undefined);
  }
  for (const sloppy of resolution.sloppy ?? []) out.report(sloppy.code, sloppy.args, at);
  out.read({ ref: resolution.ref, text, at, place: scope.place });
  return out.done(resolution.ref);
}

/**
 * Expressions whose value is known when compiling: `$sourceDescriptions.<name>.url` (the URL as the document
 * writes it), and `$method` before the request (the bound operation's method, AZC3026). undefined for others.
 */
function constantExpression(
  expression: RuntimeExpression,
  at: { pointer: string; span?: Span },
  scope: Scope,
  symbols: SymbolTable,
): Lowered<string> | undefined {
  const out = new Collector(symbols.file);
  if (expression.kind === "sourceDescriptions" && expression.rest === "url") {
    const declared = symbols.document.sourceDescriptions.find((d) => d.name === expression.name);
    return declared ? out.done(declared.url) : undefined;
  }
  const beforeRequest = scope.place === "parameter" || scope.place === "requestBody";
  if (expression.kind === "method" && beforeRequest && scope.method !== undefined && !scope.noResponse) {
    out.report("AZC3026", { place: PLACE_NAMES[scope.place], method: scope.method }, at);
    return out.done(scope.method);
  }
  return undefined;
}

/**
 * `$self` (1.1): the document's absolute `$self`, a constant of the generated code. A relative or missing
 * `$self` is reported (decisions ): resolving it would put where the file was read into the code.
 */
export function selfUri(symbols: SymbolTable, at: { pointer: string; span?: Span }, out: Collector): string | undefined {
  const self = symbols.document.$self;
  const reason =
    self === undefined ? "the document declares no $self" : !isAbsoluteUri(self) ? `its $self '${self}' is relative` : undefined;
  if (reason === undefined) return self;
  out.report("AZC4102", { reason }, at);
  return undefined;
}

/** A field that holds only a runtime expression (outputs, a criterion's context). */
export function lowerExpressionField(text: string, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  const parsed = parseRuntimeExpression(text, versionOf(symbols));
  if (!parsed.ok) {
    out.report("AZC3001", { text, reason: parsed.reason }, { pointer });
    return out.done(undefined);
  }
  if (parsed.value.kind === "self") {
    const uri = selfUri(symbols, { pointer, span: { start: 0, end: text.length } }, out);
    return out.done(uri === undefined ? undefined : { kind: "literal", value: uri });
  }
  const ref = out.take(resolveRef(parsed.value, text, { pointer, span: { start: 0, end: text.length } }, scope, symbols));
  return out.done(ref && { kind: "ref", ref });
}

/**
 * A step or workflow output: a runtime expression, or (Arazzo 1.1) a Selector Object. A constant (`status: done`,
 * `count: 3`) is compiled as that value, with a warning (AZC3025); text with `{$...}` embedded is a template, as
 * in a value position.
 */
export function lowerOutput(raw: unknown, name: string, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  if (raw !== null && typeof raw === "object") {
    const classified = classifySelectorObject(raw);
    if (classified.kind !== "literal" && isArazzo11(symbols)) return lowerSelector(classified, pointer, scope, symbols);
    out.report("AZC4130", { reason: "an output is a runtime expression or a Selector Object" }, { pointer });
    return out.done(undefined);
  }
  if (typeof raw === "string") {
    const dollar = notAnExpression(raw, { pointer, span: { start: 0, end: raw.length } }, symbols);
    if (dollar) return dollar;
  }
  if (typeof raw === "string" && raw.startsWith("$")) {
    const parsed = parseRuntimeExpression(raw, versionOf(symbols));
    const constant = parsed.ok
      ? constantExpression(parsed.value, { pointer, span: { start: 0, end: raw.length } }, scope, symbols)
      : undefined;
    if (constant) return out.done({ kind: "literal", value: out.take(constant) });
    return lowerExpressionField(raw, pointer, scope, symbols);
  }
  if (typeof raw === "string") {
    const value = out.take(lowerValue(raw, { pointer }, scope, true, symbols));
    if (value?.kind !== "literal") return out.done(value);
  }
  out.report("AZC3025", { name, value: JSON.stringify(raw) }, { pointer });
  return out.done({ kind: "literal", value: raw as string | number | boolean | null });
}

/**
 * A value position (Any | {expression}): whole-string expressions keep their type, `{$...}` templates
 * interpolate, other strings are literal except for the bare expressions of DESIGN decision 1.
 * With `typedTemplates` (a JSON payload), a string that is exactly `{$expr}` keeps the value's type (§8 #13).
 */
export function lowerValue(raw: unknown, place: StringPlace, scope: Scope, typedTemplates: boolean, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  if (typeof raw === "string") {
    const classified = classifyValueString(raw, versionOf(symbols));
    switch (classified.kind) {
      case "expression": {
        const at = spanIn(place, 0, raw.length);
        if (classified.expression.kind === "self") {
          const uri = selfUri(symbols, at, out);
          return out.done(uri === undefined ? undefined : { kind: "literal", value: uri });
        }
        const constant = constantExpression(classified.expression, at, scope, symbols);
        if (constant) return out.done({ kind: "literal", value: out.take(constant) });
        const ref = out.take(resolveRef(classified.expression, raw, at, scope, symbols));
        return out.done(ref && { kind: "ref", ref });
      }
      case "error": {
        const at = spanIn(place, classified.start, classified.start + classified.text.length);
        out.report("AZC3001", { text: classified.text, reason: classified.reason }, at);
        return out.done(undefined);
      }
      case "template": {
        // Every part is resolved, so that each wrong one is reported, not just the first.
        const parts = classified.parts.map((part) => {
          if (part.kind === "text") return part.text;
          const at = spanIn(place, part.start, part.end);
          if (part.expression.kind === "self") return selfUri(symbols, at, out);
          const constant = constantExpression(part.expression, at, scope, symbols);
          return constant ? out.take(constant) : out.take(resolveRef(part.expression, part.text, at, scope, symbols));
        });
        if (!parts.every((p): p is string | Ref => p !== undefined)) return out.done(undefined);
        if (typedTemplates && parts.length === 1 && typeof parts[0] !== "string") return out.done({ kind: "ref", ref: parts[0]! });
        // Constant parts joined with the text around them: a template only where something is read at run time.
        const joined: (string | Ref)[] = [];
        for (const part of parts) {
          const last = joined[joined.length - 1];
          if (typeof part === "string" && typeof last === "string") joined[joined.length - 1] = last + part;
          else joined.push(part);
        }
        if (joined.length === 1 && typeof joined[0] === "string") return out.done({ kind: "literal", value: joined[0] });
        return out.done({ kind: "template", parts: joined });
      }
      case "literal": {
        const dollar = notAnExpression(raw, spanIn(place, 0, raw.length), symbols);
        return dollar ?? bareExpressions(raw, place, scope, symbols);
      }
    }
  }
  if (Array.isArray(raw)) {
    const items = raw.map((member, i) =>
      out.take(lowerValue(member, { pointer: joinPointer(place.pointer, i) }, scope, typedTemplates, symbols)),
    );
    if (!items.every((v): v is Value => v !== undefined)) return out.done(undefined);
    return out.done(items.every((v) => v.kind === "literal") ? { kind: "literal", value: raw } : { kind: "array", items });
  }
  if (isObject(raw)) {
    const classified = classifySelectorObject(raw);
    if (classified.kind !== "literal") {
      if (isArazzo11(symbols)) return lowerSelector(classified, place.pointer, scope, symbols);
      if (classified.kind === "selector") out.report("AZC3050", { version: symbols.document.arazzo }, { pointer: place.pointer });
    }
    const entries = Object.entries(raw).map(
      ([key, member]) =>
        [key, out.take(lowerValue(member, { pointer: joinPointer(place.pointer, key) }, scope, typedTemplates, symbols))] as const,
    );
    if (!entries.every((e): e is readonly [string, Value] => e[1] !== undefined)) return out.done(undefined);
    return out.done(entries.every(([, v]) => v.kind === "literal") ? { kind: "literal", value: raw } : { kind: "object", entries });
  }
  return out.done({ kind: "literal", value: raw });
}

const EXPRESSION_PREFIXES = [
  "$url",
  "$method",
  "$statusCode",
  "$request",
  "$response",
  "$inputs",
  "$outputs",
  "$steps",
  "$workflows",
  "$sourceDescriptions",
  "$components",
];

/**
 * A whole string that starts like an expression (`$` and a letter) but has no known prefix (`$input.id`,
 * `$Steps.a.outputs.b`): sent as literal text, with a warning that says so and, when a prefix is close, how
 * to write the expression (AZC3027). undefined for other strings. (`$.a` JSONPath text stays text silently.)
 */
function notAnExpression(text: string, at: { pointer: string; span?: Span }, symbols: SymbolTable): Lowered<Value> | undefined {
  if (!/^\$[A-Za-z]/.test(text) || looksLikeExpression(text, versionOf(symbols))) return undefined;
  const out = new Collector(symbols.file);
  const parsed = parseRuntimeExpression(text, versionOf(symbols));
  const prefix = /^\$[A-Za-z]+/.exec(text)![0];
  const near = closest(prefix, EXPRESSION_PREFIXES);
  const reason = parsed.ok ? "" : `'${prefix}' is not an expression prefix`;
  const hint =
    near !== undefined
      ? `If it is meant as a value, write ${near}${text.slice(prefix.length)}; if it is meant as text, Arazzo 1.0 has no escape for a leading $, and this warning can be turned off with severity { AZC3027: "off" }.`
      : `If it is meant as a value, write a runtime expression such as $inputs.<name> (prefixes: ${EXPRESSION_PREFIXES.join(", ")}); if it is meant as text, Arazzo 1.0 has no escape for a leading $, and this warning can be turned off with severity { AZC3027: "off" }.`;
  out.report("AZC3027", { text, reason, hint }, at);
  return out.done({ kind: "literal", value: text });
}

/** DESIGN decision 1: `"Bearer $inputs.token"` interpolates declared names, with a warning. */
function bareExpressions(text: string, place: StringPlace, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  const parts: (string | Ref)[] = [];
  let index = 0;
  for (const candidate of findBareExpressions(text)) {
    if (candidate.start < index) continue;
    // Longest prefix of the candidate that resolves to a declared input or step output.
    let resolved: { ref: Ref; length: number } | undefined;
    for (let end = candidate.text.length; end > 0 && !resolved; end--) {
      const piece = candidate.text.slice(0, end);
      if (/[.]$/.test(piece)) continue;
      const parsed = parseRuntimeExpression(piece, versionOf(symbols));
      if (!parsed.ok) continue;
      const resolution = resolveExpression(parsed.value, piece, { ...scope, allowNavigation: false });
      const isDeclaredName =
        resolution.ok && (resolution.ref.kind === "input" || resolution.ref.kind === "stepOutput") && resolution.ref.path.length === 0;
      if (resolution.ok && isDeclaredName) resolved = { ref: resolution.ref, length: end };
    }
    if (!resolved) continue;
    const expressionText = candidate.text.slice(0, resolved.length);
    const at = spanIn(place, candidate.start, candidate.start + resolved.length);
    out.read({ ref: resolved.ref, text: expressionText, at, place: scope.place });
    const suggestion = text.slice(0, candidate.start) + "{" + expressionText + "}" + text.slice(candidate.start + resolved.length);
    out.report("AZC3002", { expression: expressionText, suggestion }, at);
    if (candidate.start > index) parts.push(text.slice(index, candidate.start));
    parts.push(resolved.ref);
    index = candidate.start + resolved.length;
  }
  if (parts.length === 0) return out.done({ kind: "literal", value: text });
  if (index < text.length) parts.push(text.slice(index));
  return out.done({ kind: "template", parts });
}

/** A request body's payload for its content type. */
export function lowerPayload(payload: unknown, contentType: string, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  if (typeof payload === "string" && /^application\/x-www-form-urlencoded/i.test(contentType)) {
    // A form body written as text: each embedded value is URL-encoded.
    const value = out.take(lowerValue(payload, { pointer }, scope, false, symbols));
    return out.done(value?.kind === "template" ? { ...value, encoding: "form" } : value);
  }
  if (
    typeof payload === "string" &&
    isJsonMediaType(contentType) &&
    parseTemplate(payload, versionOf(symbols)).ok &&
    !classifyValueString(payload, versionOf(symbols)).kind.startsWith("expression")
  ) {
    // A JSON document written as a string template: parsed here, with each `{$...}` a value of the tree,
    // so that embedded values keep their types (reference §8 #13) and can never change the structure.
    const parsed = parseJsonText(payload);
    if (!parsed.ok) {
      // The rest of the line from the error on: where a comma or a quote is missing.
      const lineEnd = payload.indexOf("\n", parsed.offset);
      const line = payload.slice(parsed.offset, lineEnd < 0 ? payload.length : lineEnd).trimEnd();
      out.report(
        "AZC3011",
        { reason: parsed.reason },
        { pointer, span: { start: parsed.offset, end: parsed.offset + Math.max(1, line.length) } },
      );
      out.take(lowerValue(payload, { pointer }, scope, false, symbols)); // its expressions' own problems
      return out.done(undefined);
    }
    const node = parsed.node;
    if (node.kind === "object" || node.kind === "array" || node.kind === "embedded") return lowerJsonText(node, pointer, scope, symbols);
  }
  return lowerValue(payload, { pointer }, scope, isJsonMediaType(contentType), symbols);
}

/** A JSON text's tree as a structured value: the text's literals as they are, its strings and values lowered. */
function lowerJsonText(node: JsonTextNode, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  switch (node.kind) {
    case "literal":
      return out.done({ kind: "literal", value: node.value });
    case "string": {
      // Offsets in the decoded string map to the characters of the text that produced them.
      const map = (span: Span): Span => ({ start: node.offsets[span.start]!, end: node.offsets[span.end]! });
      return lowerValue(node.value, { pointer, map }, scope, true, symbols);
    }
    case "embedded": {
      const at = { pointer, span: { start: node.textStart, end: node.textStart + node.text.length } };
      const parsed = parseRuntimeExpression(node.text, versionOf(symbols));
      if (!parsed.ok) {
        out.report("AZC3001", { text: node.text, reason: parsed.reason }, at);
        return out.done(undefined);
      }
      if (parsed.value.kind === "self") {
        const uri = selfUri(symbols, at, out);
        return out.done(uri === undefined ? undefined : { kind: "literal", value: uri });
      }
      const constant = constantExpression(parsed.value, at, scope, symbols);
      if (constant) return out.done({ kind: "literal", value: out.take(constant) });
      const ref = out.take(resolveRef(parsed.value, node.text, at, scope, symbols));
      return out.done(ref && { kind: "ref", ref });
    }
    case "array": {
      const items = node.items.map((item) => out.take(lowerJsonText(item, pointer, scope, symbols)));
      if (!items.every((v): v is Value => v !== undefined)) return out.done(undefined);
      return out.done(
        items.every((v) => v.kind === "literal")
          ? { kind: "literal", value: items.map((v) => (v as { value: unknown }).value) }
          : { kind: "array", items },
      );
    }
    case "object": {
      // As JSON.parse: a member named twice keeps its last value.
      const members = new Map<string, Value | undefined>();
      for (const member of node.members) {
        members.delete(member.key);
        members.set(member.key, out.take(lowerJsonText(member.value, pointer, scope, symbols)));
      }
      const entries = [...members];
      if (!entries.every((e): e is [string, Value] => e[1] !== undefined)) return out.done(undefined);
      if (!entries.every(([, v]) => v.kind === "literal")) return out.done({ kind: "object", entries });
      // defineProperty: a member named __proto__ is an own member, as JSON.parse makes it.
      const value: Record<string, unknown> = {};
      for (const [key, v] of entries)
        Object.defineProperty(value, key, { value: (v as { value: unknown }).value, enumerable: true, writable: true, configurable: true });
      return out.done({ kind: "literal", value });
    }
  }
}

/**
 * Payload replacements (JSON pointer targets): applied to the payload's structure here when it is
 * known at build time, else at run time. A target whose parent the payload lacks is an error.
 */
export function applyReplacements(
  payload: Value,
  replacements: readonly { target: string; value: unknown; targetSelectorType?: unknown }[],
  contentType: string,
  pointer: string,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Value> {
  const out = new Collector(symbols.file);
  const lowered: [string[], Value][] = [];
  for (const [i, replacement] of replacements.entries()) {
    const at = joinPointer(pointer, i);
    const tokens = isArazzo11(symbols)
      ? out.take(replacementTarget(replacement, contentType, at, symbols))
      : parsePointer(replacement.target);
    if (isArazzo11(symbols) && !tokens) return out.done(undefined);
    if (!tokens || tokens.length === 0) {
      const feature = `Replacement target '${replacement.target}' (XPath or the whole payload)`;
      out.report("AZC4006", { feature, hint: "Use a JSON pointer to a member, e.g. /petId." }, { pointer: joinPointer(at, "target") });
      return out.done(undefined);
    }
    const value = out.take(lowerValue(replacement.value, { pointer: joinPointer(at, "value") }, scope, true, symbols));
    if (!value) return out.done(undefined);
    lowered.push([tokens, value]);
  }
  if (payload.kind === "ref") return out.done({ kind: "replaced", base: payload, replacements: lowered });
  let result: Value = payload;
  for (const [i, [tokens, value]] of lowered.entries()) {
    const next = setAt(result, tokens, value);
    if (next === undefined) {
      out.report("AZC4022", { target: replacements[i]!.target }, { pointer: joinPointer(pointer, i, "target") });
      return out.done(undefined);
    }
    result = next;
  }
  return out.done(result);
}

/**
 * An Arazzo 1.1 replacement target as JSON pointer tokens: read by its targetSelectorType, else as a JSON
 * pointer (as XPath for an XML payload). A JSONPath target must name one place: members and indices.
 */
function replacementTarget(
  replacement: { target: string; targetSelectorType?: unknown },
  contentType: string,
  at: string,
  symbols: SymbolTable,
): Lowered<string[]> {
  const out = new Collector(symbols.file);
  const targetAt = joinPointer(at, "target");
  let type: ExpressionType = { kind: "jsonpointer", version: "rfc6901" };
  if (replacement.targetSelectorType !== undefined) {
    const read = readExpressionType(replacement.targetSelectorType);
    if (!read.ok) {
      // The schema admits only known kinds and versions; this guards a document that bypassed it.
      out.report("AZC4134", { target: replacement.target, reason: `has an unusable targetSelectorType: ${read.reason}` }, { pointer: joinPointer(at, "targetSelectorType") });
      return out.done(undefined);
    }
    type = read.type;
  } else if (/[/+]xml(;|$)/i.test(contentType.trim())) {
    type = { kind: "xpath", version: "xpath-31" };
  } else if (replacement.target.startsWith("$")) {
    out.report("AZC4133", { target: replacement.target }, { pointer: targetAt });
    return out.done(undefined);
  }
  const selector = out.take(compileSelector(replacement.target, type, targetAt, "replacement targets", symbols));
  if (!selector) return out.done(undefined);
  if (selector.kind === "pointer") return out.done([...selector.path]);
  const steps = singularQuerySteps(selector.query);
  const tokens = steps?.map((step) => (step.kind === "name" ? step.name : step.index >= 0 ? String(step.index) : undefined));
  if (!tokens || !tokens.every((t): t is string => t !== undefined)) {
    const reason = steps
      ? "counts an index from the end, which names no place before the payload is known"
      : "may select any number of nodes; only a path of members and indices names the places to set";
    out.report("AZC4134", { target: replacement.target, reason }, { pointer: targetAt });
    return out.done(undefined);
  }
  return out.done(tokens);
}

/** The payload with `value` set at `tokens` (`-` appends to an array); undefined when the parent is missing. */
function setAt(payload: Value, tokens: readonly string[], value: Value): Value | undefined {
  const [head, ...rest] = tokens as [string, ...string[]];
  const structured: Value =
    payload.kind === "literal" && Array.isArray(payload.value)
      ? { kind: "array", items: payload.value.map((v: unknown): Value => ({ kind: "literal", value: v })) }
      : payload.kind === "literal" && isObject(payload.value)
        ? { kind: "object", entries: Object.entries(payload.value).map(([k, v]): [string, Value] => [k, { kind: "literal", value: v }]) }
        : payload;
  if (structured.kind === "object") {
    const existing = structured.entries.find(([k]) => k === head)?.[1];
    if (rest.length > 0 && existing === undefined) return undefined;
    const inner = rest.length === 0 ? value : setAt(existing!, rest, value);
    if (inner === undefined) return undefined;
    const entries =
      existing === undefined
        ? [...structured.entries, [head, inner] as const]
        : structured.entries.map(([k, v]) => [k, k === head ? inner : v] as const);
    return { kind: "object", entries };
  }
  if (structured.kind === "array") {
    const index = head === "-" ? structured.items.length : /^(0|[1-9][0-9]*)$/.test(head) ? Number(head) : -1;
    if (index < 0 || index > structured.items.length || (rest.length > 0 && index === structured.items.length)) return undefined;
    const inner = rest.length === 0 ? value : setAt(structured.items[index]!, rest, value);
    if (inner === undefined) return undefined;
    const items = [...structured.items];
    items[index] = inner;
    return { kind: "array", items };
  }
  return undefined;
}

/** Arazzo 1.1 documents evaluate Selector Objects; in 1.0.x documents such objects are literals. */
export function isArazzo11(symbols: SymbolTable): boolean {
  return versionOf(symbols) === "1.1";
}

/** A value that is a Selector Object, or an object that means to be one (reported). */
export function lowerSelector(
  classified: Exclude<SelectorClassification, { kind: "literal" }>,
  pointer: string,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Value> {
  const out = new Collector(symbols.file);
  if (classified.kind === "malformed") {
    out.report("AZC4130", { reason: classified.reason }, { pointer: classified.field ? joinPointer(pointer, classified.field) : pointer, preferKey: true });
    return out.done(undefined);
  }
  const { context: contextText, selector: text, type } = classified.selector;
  const context = out.take(lowerExpressionField(contextText, joinPointer(pointer, "context"), scope, symbols));
  const selector = out.take(compileSelector(text, type, joinPointer(pointer, "selector"), "selectors", symbols));
  if (!context || context.kind !== "ref" || !selector) return out.done(undefined);
  return out.done({ kind: "select", context: context.ref, selector, text });
}

/** A selector text of the given expression type, compiled; `what` names the place in diagnostics. */
export function compileSelector(text: string, type: ExpressionType, pointer: string, what: string, symbols: SymbolTable): Lowered<SelectorIr> {
  const out = new Collector(symbols.file);
  if (type.kind === "xpath") {
    out.report("AZC4131", { what }, { pointer });
    return out.done(undefined);
  }
  if (type.kind === "jsonpointer") {
    const path = parsePointer(text);
    if (!path) {
      const reason = text.startsWith("#") ? "a pointer here is not a URI fragment: drop the #" : "a pointer is empty or starts with /";
      out.report("AZC4132", { text, reason }, { pointer });
      return out.done(undefined);
    }
    return out.done({ kind: "pointer", path });
  }
  const parsed = parseJsonPath(text);
  if (!parsed.ok) {
    out.report("AZC3005", { text, reason: `${parsed.message} (at offset ${parsed.offset})` }, { pointer });
    return out.done(undefined);
  }
  const excess = type.version === "rfc9535" ? undefined : goessnerExcess(parsed.query);
  if (excess) {
    out.report("AZC3052", { text, feature: excess }, { pointer });
    return out.done(undefined);
  }
  return out.done({ kind: "jsonpath", query: parsed.query, singular: isSingularQuery(parsed.query) });
}
