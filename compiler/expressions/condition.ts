// Simple conditions (reference §4.1): the RFC 9535-derived grammar with precedence, tightest first,
// accessors, `!`, comparison, `&&`, `||`; parentheses group. Parsed once at build time to an AST that the
// emitter turns into a plain boolean expression.
import type { ArazzoVersion } from "../schema/arazzo.js";
import { parseRuntimeExpression, type RuntimeExpression } from "./runtime-expression.js";

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** Offsets in the condition's text (the whole scalar): [start, end). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Operand =
  | (Span & { readonly kind: "literal"; readonly value: string | number | boolean | null })
  | (Span & { readonly kind: "expression"; readonly text: string; readonly expression: RuntimeExpression });

export type Condition =
  | (Span & { readonly kind: "or" | "and"; readonly left: Condition; readonly right: Condition })
  | (Span & { readonly kind: "not"; readonly operand: Condition })
  | (Span & { readonly kind: "compare"; readonly operator: ComparisonOperator; readonly left: Operand; readonly right: Operand })
  | (Span & { readonly kind: "test"; readonly operand: Operand });

type Token =
  | { kind: "op"; text: string; offset: number; end: number }
  | { kind: "operand"; operand: Operand; offset: number; end: number }
  | { kind: "end"; offset: number; end: number };

class ConditionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/;
const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")"];
const EXPRESSION_END = /[\s()=!<>&|']/;

function tokenize(text: string, base: number, version: ArazzoVersion): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", text: op, offset: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ConditionError("unterminated string literal", base + i);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: "operand", operand: { kind: "literal", value, start: i, end: j + 1 }, offset: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === '"') throw new ConditionError("strings in conditions use single quotes: 'text' (write '' for a quote inside)", base + i);
    if (c === "$") {
      let j = i + 1;
      while (j < text.length && !EXPRESSION_END.test(text[j]!)) j++;
      const raw = text.slice(i, j);
      const parsed = parseRuntimeExpression(raw, version);
      if (!parsed.ok) throw new ConditionError(parsed.reason, base + i + parsed.offset);
      tokens.push({
        kind: "operand",
        operand: { kind: "expression", text: raw, expression: parsed.value, start: i, end: j },
        offset: i,
        end: j,
      });
      i = j;
      continue;
    }
    const number = NUMBER.exec(text.slice(i));
    if (number && !/[A-Za-z0-9_]/.test(text[i + number[0].length] ?? "")) {
      const end = i + number[0].length;
      tokens.push({ kind: "operand", operand: { kind: "literal", value: Number(number[0]), start: i, end }, offset: i, end });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      const literals: Record<string, boolean | null> = { true: true, false: false, null: null };
      if (word[0] in literals) {
        const end = i + word[0].length;
        tokens.push({ kind: "operand", operand: { kind: "literal", value: literals[word[0]]!, start: i, end }, offset: i, end });
        i += word[0].length;
        continue;
      }
      throw new ConditionError(`unexpected '${word[0]}': strings need single quotes ('${word[0]}') and expressions start with $`, base + i);
    }
    throw new ConditionError(`unexpected character '${c}'`, base + i);
  }
  tokens.push({ kind: "end", offset: text.length, end: text.length });
  if (base === 0) return tokens;
  // Offsets in the text as written, when this is the inside of an outer {...}.
  return tokens.map((t) => {
    const offset = t.offset + base;
    const end = t.end + base;
    if (t.kind === "operand")
      return { ...t, offset, end, operand: { ...t.operand, start: t.operand.start + base, end: t.operand.end + base } };
    return { ...t, offset, end };
  });
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.text === text;
  }
  private next(): Token {
    return this.tokens[this.index++]!;
  }

  parse(): Condition {
    const condition = this.or();
    const t = this.peek();
    if (t.kind !== "end") throw new ConditionError(`unexpected ${describe(t)}`, t.offset);
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isOp("||")) {
      this.next();
      const right = this.and();
      left = { kind: "or", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Condition {
    let left = this.basic();
    while (this.isOp("&&")) {
      this.next();
      const right = this.basic();
      left = { kind: "and", left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private basic(): Condition {
    if (this.isOp("!")) {
      const bang = this.next();
      if (this.isOp("(")) {
        const operand = this.paren();
        return { kind: "not", operand, start: bang.offset, end: this.tokens[this.index - 1]!.end };
      }
      const operand = this.operand();
      if (this.comparisonAhead())
        throw new ConditionError("! applies to a value or a parenthesised condition; write !(a == b)", bang.offset);
      return {
        kind: "not",
        operand: { kind: "test", operand, start: operand.start, end: operand.end },
        start: bang.offset,
        end: operand.end,
      };
    }
    if (this.isOp("(")) return this.paren();
    const left = this.operand();
    if (this.comparisonAhead()) {
      const operator = (this.next() as { text: ComparisonOperator }).text;
      const right = this.operand();
      if (this.comparisonAhead()) throw new ConditionError("comparisons do not chain; combine them with && or ||", this.peek().offset);
      return { kind: "compare", operator, left, right, start: left.start, end: right.end };
    }
    return { kind: "test", operand: left, start: left.start, end: left.end };
  }

  private comparisonAhead(): boolean {
    const t = this.peek();
    return t.kind === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.text);
  }

  private paren(): Condition {
    this.next(); // (
    const inner = this.or();
    const close = this.peek();
    if (!this.isOp(")")) throw new ConditionError(`expected ) but found ${describe(close)}`, close.offset);
    this.next();
    return inner;
  }

  private operand(): Operand {
    const t = this.next();
    if (t.kind === "operand") return t.operand;
    throw new ConditionError(`expected a value or runtime expression but found ${describe(t)}`, t.offset);
  }
}

function describe(t: Token): string {
  if (t.kind === "end") return "the end of the condition";
  if (t.kind === "op") return `'${t.text}'`;
  return t.operand.kind === "literal" ? `the literal ${JSON.stringify(t.operand.value)}` : `'${t.operand.text}'`;
}

export type ConditionParse = { ok: true; condition: Condition } | { ok: false; reason: string; offset: number };

export function parseCondition(text: string, version: ArazzoVersion = "1.0"): ConditionParse {
  const attempt = (source: string, shift: number): ConditionParse => {
    try {
      return { ok: true, condition: new Parser(tokenize(source, shift, version)).parse() };
    } catch (error) {
      // Errors raised while tokenizing carry inner offsets; the parser's carry shifted token offsets.
      if (error instanceof ConditionError) return { ok: false, reason: error.message, offset: error.offset };
      throw error;
    }
  };
  const direct = attempt(text, 0);
  // The 1.0.1 components example wraps a whole condition in braces: accept one outer {...}.
  const trimmed = text.trim();
  if (!direct.ok && trimmed.startsWith("{") && trimmed.endsWith("}")) {
    const inner = attempt(trimmed.slice(1, -1), text.indexOf("{") + 1);
    if (inner.ok) return inner;
  }
  return direct;
}
