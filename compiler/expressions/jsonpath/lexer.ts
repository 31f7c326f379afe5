// Tokenizer for RFC 9535 JSONPath. Whitespace is significant in a few places (`$. a`, `count (`, `$[?@[ 0 ]==1]`),
// so tokens keep their offsets and the parser checks adjacency where the grammar forbids blanks.

export type TokenKind =
  | "$"
  | "@"
  | "."
  | ".."
  | "["
  | "]"
  | "("
  | ")"
  | ","
  | ":"
  | "*"
  | "?"
  | "!"
  | "&&"
  | "||"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "Name"
  | "String"
  | "Number"
  /** `{$...}` or `'{$...}'`, only when the tokenizer is asked for embedded values; value: the inner text. */
  | "Embedded"
  | "EOF";

export interface Token {
  readonly kind: TokenKind;
  /** Offset (UTF-16 code units) of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  /** Name: its text; String: the decoded value; Number: the raw text; otherwise the punctuator. */
  readonly value: string;
}

export class JsonPathSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = "JsonPathSyntaxError";
  }
}

/** B = %x20 / %x09 / %x0A / %x0D (RFC 9535 §2.1.1): the only blanks allowed anywhere. */
export function isBlank(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isDigit(code: number | undefined): boolean {
  return code !== undefined && code >= 0x30 && code <= 0x39;
}

/** name-first = ALPHA / "_" / %x80-D7FF / %xE000-10FFFF (code points, so surrogate pairs count as one). */
function isNameFirst(cp: number): boolean {
  return (
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    cp === 0x5f ||
    (cp >= 0x80 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0x10ffff)
  );
}

function isNameChar(cp: number): boolean {
  return isNameFirst(cp) || isDigit(cp);
}

/** A well-formed code point at `i`: a lone surrogate yields undefined. */
function codePointAt(text: string, i: number): number | undefined {
  const cp = text.codePointAt(i);
  if (cp === undefined) return undefined;
  if (cp >= 0xd800 && cp <= 0xdfff) return undefined;
  return cp;
}

const PUNCTUATORS: ReadonlyArray<TokenKind> = [
  "..",
  "&&",
  "||",
  "==",
  "!=",
  "<=",
  ">=",
  "$",
  "@",
  ".",
  "[",
  "]",
  "(",
  ")",
  ",",
  ":",
  "*",
  "?",
  "!",
  "<",
  ">",
];

/** With `embedded`, `{$...}` (or `'{$...}'`) is one token: a value from outside the query, never query text. */
export function tokenize(text: string, options: { readonly embedded?: boolean } = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isBlank(code)) {
      i++;
      continue;
    }
    const start = i;
    if (options.embedded) {
      const embedded = readEmbedded(text, i);
      if (embedded !== undefined) {
        tokens.push({ kind: "Embedded", start, end: embedded.end, value: embedded.inner });
        i = embedded.end;
        continue;
      }
    }
    if (code === 0x22 || code === 0x27) {
      const [value, end] = readString(text, i);
      tokens.push({ kind: "String", start, end, value });
      i = end;
      continue;
    }
    if (isDigit(code) || (code === 0x2d && isDigit(text.charCodeAt(i + 1)))) {
      // Greedy and permissive; the parser validates the exact int/number grammar for its context so the
      // error can say what was expected.
      const match = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
      const raw = match?.[0] ?? "";
      tokens.push({ kind: "Number", start, end: i + raw.length, value: raw });
      i += raw.length;
      continue;
    }
    const cp = codePointAt(text, i);
    if (cp !== undefined && isNameFirst(cp)) {
      let end = i;
      for (;;) {
        const c = codePointAt(text, end);
        if (c === undefined || !isNameChar(c)) break;
        end += c > 0xffff ? 2 : 1;
      }
      tokens.push({ kind: "Name", start, end, value: text.slice(start, end) });
      i = end;
      continue;
    }
    const punctuator = PUNCTUATORS.find((p) => text.startsWith(p, i));
    if (punctuator === undefined) {
      throw new JsonPathSyntaxError(`Unexpected character ${describeChar(text, i)}`, i);
    }
    tokens.push({ kind: punctuator, start, end: i + punctuator.length, value: punctuator });
    i += punctuator.length;
  }
  tokens.push({ kind: "EOF", start: text.length, end: text.length, value: "" });
  return tokens;
}

/**
 * `{$...}` at `i`, ending at the first `}`, or the same in single quotes (`'{$inputs.name}'`, which authors
 * write to say "a string"): the quotes belong to the token, the value is the expression's text.
 */
function readEmbedded(text: string, i: number): { inner: string; end: number } | undefined {
  const quoted = text[i] === "'";
  const open = quoted ? i + 1 : i;
  if (!text.startsWith("{$", open)) return undefined;
  const close = text.indexOf("}", open);
  if (close < 0) throw new JsonPathSyntaxError("The embedded expression has no closing }", open);
  const inner = text.slice(open + 1, close);
  if (!quoted) return { inner, end: close + 1 };
  if (text[close + 1] !== "'") throw new JsonPathSyntaxError("The quoted embedded expression has no closing '", close + 1);
  return { inner, end: close + 2 };
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i) ?? 0;
  const ch = String.fromCodePoint(cp);
  return cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff) ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `"${ch}"`;
}

/**
 * Reads a string-literal (RFC 9535 §2.3.1.1) starting at the quote at `start`. Returns the decoded value and
 * the offset after the closing quote.
 */
function readString(text: string, start: number): [string, number] {
  const quote = text.charCodeAt(start);
  let value = "";
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new JsonPathSyntaxError("Unterminated string literal", start);
    const code = text.charCodeAt(i);
    if (code === quote) return [value, i + 1];
    if (code === 0x5c) {
      const [decoded, next] = readEscape(text, i, quote);
      value += decoded;
      i = next;
      continue;
    }
    if (code < 0x20) {
      throw new JsonPathSyntaxError(`Control character ${describeChar(text, i)} must be escaped in a string literal`, i);
    }
    const cp = codePointAt(text, i);
    if (cp === undefined) throw new JsonPathSyntaxError("Lone surrogate in string literal", i);
    value += String.fromCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "/": "/", "\\": "\\" };

function readEscape(text: string, i: number, quote: number): [string, number] {
  const c = text[i + 1];
  if (c === undefined) throw new JsonPathSyntaxError("Unterminated escape sequence", i);
  // Only the enclosing quote may be escaped: '\'' in '...' and '\"' in "...".
  if (c.charCodeAt(0) === quote) return [c, i + 2];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, i + 2];
  if (c !== "u") throw new JsonPathSyntaxError(`Invalid escape sequence ${describeEscape(c)}`, i);
  const high = readHex4(text, i);
  if (high >= 0xdc00 && high <= 0xdfff) throw new JsonPathSyntaxError("Escaped low surrogate without a preceding high surrogate", i);
  if (high < 0xd800 || high > 0xdbff) return [String.fromCharCode(high), i + 6];
  // A high surrogate must be followed by an escaped low surrogate (hexchar of RFC 9535).
  if (text[i + 6] !== "\\" || text[i + 7] !== "u") {
    throw new JsonPathSyntaxError("Escaped high surrogate must be followed by an escaped low surrogate", i);
  }
  const low = readHex4(text, i + 6);
  if (low < 0xdc00 || low > 0xdfff) {
    throw new JsonPathSyntaxError("Escaped high surrogate must be followed by an escaped low surrogate", i + 6);
  }
  return [String.fromCharCode(high, low), i + 12];
}

function describeEscape(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return cp < 0x20 ? `\\U+${cp.toString(16).toUpperCase().padStart(4, "0")}` : `"\\${c}"`;
}

/** Four hex digits after `\u` at `i` (the backslash). */
function readHex4(text: string, i: number): number {
  const digits = text.slice(i + 2, i + 6);
  if (!/^[0-9A-Fa-f]{4}$/.test(digits)) throw new JsonPathSyntaxError("\\u must be followed by four hex digits", i);
  return Number.parseInt(digits, 16);
}
