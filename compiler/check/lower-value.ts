// Lowering value positions (parameter values, payloads, outputs) to IR values: whole-string expressions keep
// their type, `{$...}` templates interpolate, JSON written as text is parsed with its values in the tree,
// payload replacements are applied to the structure. Each function returns what it read.
import { parseJsonText, type JsonTextNode } from "../expressions/json-text.js";
import { parseRuntimeExpression, type RuntimeExpression } from "../expressions/runtime-expression.js";
import { classifyValueString, findBareExpressions, parseTemplate } from "../expressions/template.js";
import { isJsonMediaType, isObject } from "../load/json.js";
import { joinPointer, parsePointer } from "../load/pointer.js";
import type { Ref, Value } from "./model.js";
import { Collector, type Lowered, type Span } from "./report.js";
import { resolveExpression, type Scope } from "./resolve.js";
import { versionOf, type SymbolTable } from "./symbols.js";

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
    out.report(resolution.code, resolution.args, at);
    return out.done(undefined);
  }
  out.read({ ref: resolution.ref, text, at, place: scope.place });
  return out.done(resolution.ref);
}

/** A field that holds only a runtime expression (outputs, a criterion's context). */
export function lowerExpressionField(text: string, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Value> {
  const out = new Collector(symbols.file);
  const parsed = parseRuntimeExpression(text, versionOf(symbols));
  if (!parsed.ok) {
    out.report("AZC3001", { text, reason: parsed.reason }, { pointer });
    return out.done(undefined);
  }
  const ref = out.take(resolveRef(parsed.value, text, { pointer, span: { start: 0, end: text.length } }, scope, symbols));
  return out.done(ref && { kind: "ref", ref });
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
        const ref = out.take(resolveRef(classified.expression, raw, spanIn(place, 0, raw.length), scope, symbols));
        return out.done(ref && { kind: "ref", ref });
      }
      case "error": {
        const at = spanIn(place, classified.start, classified.start + classified.text.length);
        out.report("AZC3001", { text: classified.text, reason: classified.reason }, at);
        return out.done(undefined);
      }
      case "template": {
        // Every part is resolved, so that each wrong one is reported, not just the first.
        const parts = classified.parts.map((part) =>
          part.kind === "text"
            ? part.text
            : out.take(resolveRef(part.expression, part.text, spanIn(place, part.start, part.end), scope, symbols)),
        );
        if (!parts.every((p): p is string | Ref => p !== undefined)) return out.done(undefined);
        if (typedTemplates && parts.length === 1 && typeof parts[0] !== "string") return out.done({ kind: "ref", ref: parts[0]! });
        return out.done({ kind: "template", parts });
      }
      case "literal":
        return bareExpressions(raw, place, scope, symbols);
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
    const entries = Object.entries(raw).map(
      ([key, member]) =>
        [key, out.take(lowerValue(member, { pointer: joinPointer(place.pointer, key) }, scope, typedTemplates, symbols))] as const,
    );
    if (!entries.every((e): e is readonly [string, Value] => e[1] !== undefined)) return out.done(undefined);
    return out.done(entries.every(([, v]) => v.kind === "literal") ? { kind: "literal", value: raw } : { kind: "object", entries });
  }
  return out.done({ kind: "literal", value: raw });
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
  replacements: readonly { target: string; value: unknown }[],
  pointer: string,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Value> {
  const out = new Collector(symbols.file);
  const lowered: [string[], Value][] = [];
  for (const [i, replacement] of replacements.entries()) {
    const at = joinPointer(pointer, i);
    const tokens = parsePointer(replacement.target);
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
