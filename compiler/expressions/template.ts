// Strings in value positions (parameter values, payloads): a whole runtime expression keeps the value's
// type, `{$...}` embeds expressions in text, anything else is literal (reference §3.2).
import type { ArazzoVersion } from "../schema/arazzo.js";
import { looksLikeExpression, parseRuntimeExpression, type RuntimeExpression } from "./runtime-expression.js";

/** Offsets in the string the node was parsed from: [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type TemplatePart =
  | (Span & { readonly kind: "text"; readonly text: string })
  /** An embedded expression; its span is the expression's text, without the braces. */
  | (Span & { readonly kind: "expression"; readonly text: string; readonly expression: RuntimeExpression });

export type ValueString =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "expression"; readonly text: string; readonly expression: RuntimeExpression }
  | { readonly kind: "template"; readonly parts: readonly TemplatePart[] }
  /** `text` (the expression in error) starts at `start`; the problem is at `offset`. */
  | { readonly kind: "error"; readonly text: string; readonly reason: string; readonly offset: number; readonly start: number };

/** Splits `a{$inputs.x}b` into text and expression parts; an embedded expression ends at the first `}`. */
export function parseTemplate(
  text: string,
  version: ArazzoVersion = "1.0",
): { ok: true; parts: TemplatePart[] } | { ok: false; text: string; reason: string; offset: number; start: number } {
  const parts: TemplatePart[] = [];
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf("{$", index);
    if (open < 0) break;
    const close = text.indexOf("}", open);
    if (close < 0)
      return { ok: false, text: text.slice(open), reason: "the embedded expression has no closing }", offset: open, start: open };
    if (open > index) parts.push({ kind: "text", text: text.slice(index, open), start: index, end: open });
    const inner = text.slice(open + 1, close);
    const parsed = parseRuntimeExpression(inner, version);
    if (!parsed.ok) return { ok: false, text: inner, reason: parsed.reason, offset: open + 1 + parsed.offset, start: open + 1 };
    parts.push({ kind: "expression", text: inner, expression: parsed.value, start: open + 1, end: close });
    index = close + 1;
  }
  if (index < text.length) parts.push({ kind: "text", text: text.slice(index), start: index, end: text.length });
  return { ok: true, parts };
}

export function classifyValueString(text: string, version: ArazzoVersion = "1.0"): ValueString {
  if (looksLikeExpression(text, version)) {
    const parsed = parseRuntimeExpression(text, version);
    return parsed.ok
      ? { kind: "expression", text, expression: parsed.value }
      : { kind: "error", text, reason: parsed.reason, offset: parsed.offset, start: 0 };
  }
  if (text.includes("{$")) {
    const template = parseTemplate(text, version);
    return template.ok
      ? { kind: "template", parts: template.parts }
      : { kind: "error", text: template.text, reason: template.reason, offset: template.offset, start: template.start };
  }
  return { kind: "literal", text };
}

/**
 * Candidates for a bare expression inside a larger literal string (`"Bearer $inputs.token"`): the start
 * offset and the longest run of name characters after it. The check stage decides, by longest match
 * against declared inputs and step outputs, whether each is meant as an expression (DESIGN decision 1).
 */
export function findBareExpressions(text: string): { start: number; text: string }[] {
  const found: { start: number; text: string }[] = [];
  const pattern = /\$(?:inputs\.[A-Za-z0-9_.-]+|steps\.[A-Za-z0-9_-]+\.outputs\.[A-Za-z0-9_.-]+)/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m.index === 0 && m[0].length === text.length) continue; // a whole-string expression is not bare
    found.push({ start: m.index, text: m[0] });
  }
  return found;
}
