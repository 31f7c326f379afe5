// A JSON document written as text with values embedded (`{"count": {$inputs.count}, "name": "{$inputs.name}"}`,
// reference §8 #13), parsed at build time into a tree whose leaves are JSON literals, strings (which may hold
// `{$...}` templates) and embedded values. The values are then put into the structure, never spliced into the
// text: whatever an input holds, it stays one JSON value. Every node keeps its offsets in the text.

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type JsonTextNode =
  | (Span & { readonly kind: "object"; readonly members: readonly JsonTextMember[] })
  | (Span & { readonly kind: "array"; readonly items: readonly JsonTextNode[] })
  | (Span & { readonly kind: "literal"; readonly value: null | boolean | number })
  /**
   * A string literal: `value` decoded; `offsets[i]` is the offset in the text of the character that produced
   * value[i] (offsets[value.length] is the closing quote), so spans inside the string map back exactly.
   */
  | (Span & { readonly kind: "string"; readonly value: string; readonly offsets: readonly number[] })
  /** `{$...}` standing for a whole JSON value; `text` is the expression, starting at `textStart`. */
  | (Span & { readonly kind: "embedded"; readonly text: string; readonly textStart: number });

export interface JsonTextMember {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: JsonTextNode;
}

export type JsonTextParse = { ok: true; node: JsonTextNode } | { ok: false; reason: string; offset: number };

class JsonTextError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses JSON (RFC 8259) in which `{$...}` may stand wherever a value may. Never throws for bad input. */
export function parseJsonText(text: string): JsonTextParse {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new JsonTextError(reason, at);
  };
  const blank = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const found = (): string => (i >= text.length ? "the end of the text" : `'${text[i]}'`);

  const value = (): JsonTextNode => {
    blank();
    const start = i;
    const c = text[i];
    if (c === "{" && text[i + 1] === "$") {
      const close = text.indexOf("}", i);
      if (close < 0) fail("the embedded expression has no closing }");
      i = close + 1;
      return { kind: "embedded", text: text.slice(start + 1, close), textStart: start + 1, start, end: i };
    }
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(text.slice(i));
      if (!match) fail(`invalid number at ${found()}`);
      i += match![0].length;
      return { kind: "literal", value: Number(match![0]), start, end: i };
    }
    for (const [word, literal] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: "literal", value: literal, start, end: i };
      }
    }
    return fail(`expected a value but found ${found()}`);
  };

  const object = (): JsonTextNode => {
    const start = i++;
    const members: JsonTextMember[] = [];
    blank();
    if (text[i] === "}") {
      i++;
      return { kind: "object", members, start, end: i };
    }
    for (;;) {
      blank();
      if (text[i] !== '"') fail(`expected a member name in double quotes but found ${found()}`);
      const key = string();
      blank();
      if (text[i] !== ":") fail(`expected ':' after the member name but found ${found()}`);
      i++;
      members.push({ key: key.kind === "string" ? key.value : "", keySpan: { start: key.start, end: key.end }, value: value() });
      blank();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return { kind: "object", members, start, end: i };
      }
      fail(`expected ',' or '}' after a member but found ${found()}`);
    }
  };

  const array = (): JsonTextNode => {
    const start = i++;
    const items: JsonTextNode[] = [];
    blank();
    if (text[i] === "]") {
      i++;
      return { kind: "array", items, start, end: i };
    }
    for (;;) {
      items.push(value());
      blank();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return { kind: "array", items, start, end: i };
      }
      fail(`expected ',' or ']' after an item but found ${found()}`);
    }
  };

  const string = (): JsonTextNode => {
    const start = i++;
    let decoded = "";
    const offsets: number[] = [];
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const c = text[i]!;
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail("\\u must be followed by four hex digits");
          decoded += String.fromCharCode(Number.parseInt(hex, 16));
          offsets.push(i);
          i += 6;
          continue;
        }
        if (e === undefined || !(e in ESCAPES)) fail(`invalid escape sequence \\${e ?? ""}`);
        decoded += ESCAPES[e!]!;
        offsets.push(i);
        i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail("a control character must be escaped in a string");
      decoded += c;
      offsets.push(i);
      i++;
    }
    offsets.push(i);
    i++;
    return { kind: "string", value: decoded, offsets, start, end: i };
  };

  try {
    const node = value();
    blank();
    if (i < text.length) fail(`unexpected ${found()} after the JSON value`);
    return { ok: true, node };
  } catch (error) {
    if (error instanceof JsonTextError) return { ok: false, reason: error.message, offset: error.offset };
    throw error;
  }
}
