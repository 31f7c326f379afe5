// arazzoc runtime, JSONPath support: copied as runtime-jsonpath.ts next to the generated modules that have
// JSONPath criteria (the others do not need it). Generic helpers that queries compiled at build time call:
// the generated code never parses JSONPath, it loops and compares and calls these. Nothing (RFC 9535 §2.4.1,
// the absent value) is `undefined`, which no JSON value can be.
import { jpCompareStrings } from "./runtime.js";

/** A JSON object: not null, not an array. */
export function jpIsObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True when `value` is an object with an own member `name` (never an inherited one like "constructor"). */
export function jpHas(value: unknown, name: string): value is Record<string, unknown> {
  return jpIsObject(value) && Object.prototype.hasOwnProperty.call(value, name);
}

/** The children of a value: array elements in order, object member values, none for primitives. */
export function jpChildren(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (jpIsObject(value)) return Object.values(value);
  return [];
}

/** The value and all its descendants, parents before children and arrays in order (RFC 9535 §2.5.2.2). */
export function jpDescendants(value: unknown): unknown[] {
  // An explicit stack, so deeply nested documents cannot overflow the call stack.
  const out: unknown[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    out.push(node);
    const children = jpChildren(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** The member `name` of an object, or Nothing. */
export function jpMember(value: unknown, name: string): unknown {
  return jpHas(value, name) ? value[name] : undefined;
}

/** The element at `index` of an array (negative counts from the end), or Nothing. */
export function jpIndex(value: unknown, index: number): unknown {
  if (!Array.isArray(value)) return undefined;
  const i = index >= 0 ? index : value.length + index;
  return i >= 0 && i < value.length ? (value[i] as unknown) : undefined;
}

/** The elements selected by the slice `start:end:step` (RFC 9535 §2.3.4.2.2); null is an omitted bound. */
export function jpSlice(value: unknown, start: number | null, end: number | null, step: number | null): unknown[] {
  if (!Array.isArray(value)) return [];
  const len = value.length;
  const by = step ?? 1;
  const out: unknown[] = [];
  if (by === 0) return out;
  const normalize = (i: number): number => (i >= 0 ? i : len + i);
  if (by > 0) {
    const lower = Math.min(Math.max(normalize(start ?? 0), 0), len);
    const upper = Math.min(Math.max(normalize(end ?? len), 0), len);
    for (let i = lower; i < upper; i += by) out.push(value[i]);
  } else {
    const upper = Math.min(Math.max(normalize(start ?? len - 1), -1), len - 1);
    const lower = Math.min(Math.max(normalize(end ?? -len - 1), -1), len - 1);
    for (let i = upper; lower < i; i += by) out.push(value[i]);
  }
  return out;
}

/** `==` of RFC 9535 §2.3.5.2.2: Nothing equals only Nothing; arrays and objects compare deeply. */
export function jpEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jpEquals(a[i], b[i])) return false;
    return true;
  }
  if (jpIsObject(a) && jpIsObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!jpHas(b, key) || !jpEquals(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** `<`: numbers numerically, strings by code points, everything else false. */
export function jpLess(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") return jpCompareStrings(a, b) < 0;
  return false;
}

/** `<=` is `<` or `==` (so `[1] <= [1]` and Nothing <= Nothing hold). */
export function jpLessOrEqual(a: unknown, b: unknown): boolean {
  return jpLess(a, b) || jpEquals(a, b);
}

/** length(): characters (code points) of a string, elements of an array, members of an object; else Nothing. */
export function jpLength(value: unknown): number | undefined {
  if (typeof value === "string") {
    let count = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      // A low surrogate right after a high surrogate completes one code point already counted.
      const prev = i > 0 ? value.charCodeAt(i - 1) : 0;
      if (!(c >= 0xdc00 && c <= 0xdfff && prev >= 0xd800 && prev <= 0xdbff)) count++;
    }
    return count;
  }
  if (Array.isArray(value)) return value.length;
  if (jpIsObject(value)) return Object.keys(value).length;
  return undefined;
}

/**
 * `.length` as a document writes it after a query (`$.items.length > 0`): the length of an array or a string,
 * else the member named length. Not RFC 9535; the compiler warns where it compiles this (AZC3028).
 */
export function jpLengthProperty(value: unknown): unknown {
  return Array.isArray(value) || typeof value === "string" ? jpLength(value) : jpMember(value, "length");
}

/** value(): the only node of a nodelist, else Nothing. */
export function jpValue(nodes: readonly unknown[]): unknown {
  return nodes.length === 1 ? nodes[0] : undefined;
}

/** match()/search() with a pattern compiled at build time: false for non-strings. */
export function jpTestRegExp(pattern: RegExp, value: unknown): boolean {
  return typeof value === "string" && pattern.test(value);
}

/** match() with a pattern only known at run time: full match; false when the pattern is not an I-Regexp. */
export function jpMatch(value: unknown, pattern: unknown): boolean {
  if (typeof value !== "string" || typeof pattern !== "string") return false;
  const regexp = jpRegExp(pattern, true);
  return regexp !== undefined && regexp.test(value);
}

/** search() with a pattern only known at run time: any substring matches. */
export function jpSearch(value: unknown, pattern: unknown): boolean {
  if (typeof value !== "string" || typeof pattern !== "string") return false;
  const regexp = jpRegExp(pattern, false);
  return regexp !== undefined && regexp.test(value);
}

// Patterns coming from documents repeat (one per filtered node), so keep a small cache of translations.
const jpRegExpCache = new Map<string, RegExp | undefined>();

/** The ECMAScript RegExp for an I-Regexp, anchored for match(); undefined when it is not a valid I-Regexp. */
export function jpRegExp(pattern: string, anchored: boolean): RegExp | undefined {
  const key = (anchored ? "^" : "~") + pattern;
  if (jpRegExpCache.has(key)) return jpRegExpCache.get(key);
  // A pattern from data that nests repetition could take exponential time on a crafted subject: refused.
  const source = jpNestedRepetition(pattern) ? undefined : jpIRegexp(pattern);
  let regexp: RegExp | undefined;
  if (source !== undefined) {
    try {
      regexp = new RegExp(anchored ? `^(?:${source})$` : source, "u");
    } catch {
      regexp = undefined;
    }
  }
  if (jpRegExpCache.size >= 256) jpRegExpCache.clear();
  jpRegExpCache.set(key, regexp);
  return regexp;
}

/**
 * Whether an I-Regexp repeats a group that itself holds repetition (`(a+)+`, `(a|b*)*`, `((a{2,})?)+`): the
 * shape that makes a backtracking engine take exponential time.
 */
export function jpNestedRepetition(pattern: string): boolean {
  // Per open group: whether something inside it repeats.
  const groups: boolean[] = [];
  let repeatingGroupBefore = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const category = /^[pP]\{[^}]*\}/.exec(pattern.slice(i + 1));
      i += category ? category[0].length : 1;
      repeatingGroupBefore = false;
    } else if (c === "[") {
      // A class is one atom: skip to its closing bracket.
      for (i++; i < pattern.length && pattern[i] !== "]"; i++) if (pattern[i] === "\\") i++;
      repeatingGroupBefore = false;
    } else if (c === "(") {
      groups.push(false);
      repeatingGroupBefore = false;
    } else if (c === ")") {
      const inner = groups.pop() ?? false;
      if (inner && groups.length > 0) groups[groups.length - 1] = true;
      repeatingGroupBefore = inner;
    } else if (c === "*" || c === "+" || c === "?" || c === "{") {
      const range = c === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
      if (range) i += range[0].length - 1;
      const max = range
        ? range[2] === undefined
          ? Number(range[1])
          : range[3] === ""
            ? Infinity
            : Number(range[3])
        : c === "?"
          ? 1
          : Infinity;
      if (max > 1) {
        if (repeatingGroupBefore) return true;
        if (groups.length > 0) groups[groups.length - 1] = true;
      }
      repeatingGroupBefore = false;
    } else repeatingGroupBefore = false;
  }
  return false;
}

/**
 * I-Regexp (RFC 9485) → ECMAScript source for the `u` flag, or undefined when invalid. A copy of
 * iRegexpToECMAScript in compiler/expressions/jsonpath/iregexp.ts, which translates literal patterns at build time.
 */
export function jpIRegexp(pattern: string): string | undefined {
  const cps: number[] = [];
  for (const ch of pattern) cps.push(ch.codePointAt(0) ?? 0);
  let i = 0;
  let out = "";

  // Literal characters are re-escaped for ECMAScript (syntax characters, and "-" in classes).
  const literal = (cp: number, inClass: boolean): string => {
    const ch = String.fromCodePoint(cp);
    return "^$\\.*+?()[]{}|/".includes(ch) || (inClass && ch === "-") ? "\\" + ch : ch;
  };
  // SingleCharEsc: \n \r \t and the escaped metacharacters ( ) * + - . ? [ \ ] ^ { | }.
  const singleCharEscape = (cp: number | undefined): number | undefined => {
    if (cp === 0x6e) return 0x0a;
    if (cp === 0x72) return 0x0d;
    if (cp === 0x74) return 0x09;
    if (cp !== undefined && "()*+-.?[\\]^{|}".includes(String.fromCodePoint(cp))) return cp;
    return undefined;
  };
  // catEsc / complEsc at cps[i] === "p" | "P": \p{IsCategory}; ECMAScript accepts the same General_Category names.
  const categoryEscape = (): boolean => {
    const negated = cps[i] === 0x50;
    if (cps[i + 1] !== 0x7b) return false;
    let j = i + 2;
    let name = "";
    while (j < cps.length && cps[j] !== 0x7d) name += String.fromCodePoint(cps[j++] ?? 0);
    if (j >= cps.length) return false;
    if (!/^(?:L[lmotu]?|M[cen]?|N[dlo]?|P[cdefios]?|Z[lps]?|S[ckmo]?|C[cfno]?)$/.test(name)) return false;
    out += `\\${negated ? "P" : "p"}{${name}}`;
    i = j + 1;
    return true;
  };
  // CCchar: a class character or SingleCharEsc; undefined if none at cps[i].
  const classChar = (): number | undefined => {
    const cp = cps[i];
    if (cp === undefined) return undefined;
    if (cp === 0x5c) {
      const escaped = singleCharEscape(cps[i + 1]);
      if (escaped !== undefined) i += 2;
      return escaped;
    }
    const ok = cp <= 0x2c || (cp >= 0x2e && cp <= 0x5a) || (cp >= 0x5e && cp <= 0xd7ff) || cp >= 0xe000;
    if (!ok) return undefined;
    i++;
    return cp;
  };
  // CCE1 = ( CCchar [ "-" CCchar ] ) / charClassEsc
  const classEntry = (): boolean => {
    if (cps[i] === 0x5c && (cps[i + 1] === 0x70 || cps[i + 1] === 0x50)) {
      i++;
      return categoryEscape();
    }
    const from = classChar();
    if (from === undefined) return false;
    if (cps[i] === 0x2d && cps[i + 1] !== 0x5d && i + 1 < cps.length) {
      i++;
      const to = classChar();
      if (to === undefined || to < from) return false;
      out += `${literal(from, true)}-${literal(to, true)}`;
      return true;
    }
    out += literal(from, true);
    return true;
  };
  // charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
  const charClass = (): boolean => {
    i++;
    out += "[";
    if (cps[i] === 0x5e) {
      out += "^";
      i++;
    }
    if (cps[i] === 0x2d) {
      out += "\\-";
      i++;
    } else if (!classEntry()) {
      return false;
    }
    for (;;) {
      const cp = cps[i];
      if (cp === undefined) return false;
      if (cp === 0x5d) {
        out += "]";
        i++;
        return true;
      }
      if (cp === 0x2d) {
        if (cps[i + 1] !== 0x5d) return false;
        out += "\\-";
        i++;
        continue;
      }
      if (!classEntry()) return false;
    }
  };
  const atom = (): boolean => {
    const cp = cps[i];
    if (cp === undefined) return false;
    if (cp === 0x28) {
      i++;
      out += "(?:";
      if (!alternatives() || cps[i] !== 0x29) return false;
      i++;
      out += ")";
      return true;
    }
    if (cp === 0x2e) {
      i++;
      out += "[^\\n\\r]";
      return true;
    }
    if (cp === 0x5b) return charClass();
    if (cp === 0x5c) {
      const next = cps[i + 1];
      if (next === 0x70 || next === 0x50) {
        i++;
        return categoryEscape();
      }
      const escaped = singleCharEscape(next);
      if (escaped === undefined) return false;
      i += 2;
      out += literal(escaped, false);
      return true;
    }
    // NormalChar: anything but the metacharacters ( ) * + . ? [ \ ] { | } and surrogates.
    const normal =
      cp <= 0x27 ||
      cp === 0x2c ||
      cp === 0x2d ||
      (cp >= 0x2f && cp <= 0x3e) ||
      (cp >= 0x40 && cp <= 0x5a) ||
      (cp >= 0x5e && cp <= 0x7a) ||
      (cp >= 0x7e && cp <= 0xd7ff) ||
      cp >= 0xe000;
    if (!normal) return false;
    i++;
    // An unescaped ^ or $ is a NormalChar in the grammar, but RFC 9485 §5.3 maps it unchanged to ECMAScript,
    // where it is an anchor; the compliance suite expects that (`match(@, '^ab.*')` matches "ab").
    out += cp === 0x5e || cp === 0x24 ? String.fromCodePoint(cp) : literal(cp, false);
    return true;
  };
  // quantifier = "*" / "+" / "?" / "{" QuantExact [ "," [ QuantExact ] ] "}"
  const quantifier = (): boolean => {
    const cp = cps[i];
    if (cp === 0x2a || cp === 0x2b || cp === 0x3f) {
      out += String.fromCodePoint(cp);
      i++;
      return true;
    }
    if (cp !== 0x7b) return true;
    const digits = (): string => {
      let text = "";
      while ((cps[i] ?? 0) >= 0x30 && (cps[i] ?? 0) <= 0x39) text += String.fromCodePoint(cps[i++] ?? 0);
      return text;
    };
    i++;
    const min = digits();
    if (min === "") return false;
    let max: string | undefined;
    if (cps[i] === 0x2c) {
      i++;
      max = digits();
    }
    if (cps[i] !== 0x7d) return false;
    i++;
    // {n,m} with m < n is an error in ECMAScript; I-Regexp inherits it from XSD.
    if (max !== undefined && max !== "" && BigInt(max) < BigInt(min)) return false;
    out += max === undefined ? `{${min}}` : `{${min},${max}}`;
    return true;
  };
  const branch = (): boolean => {
    while (i < cps.length && cps[i] !== 0x7c && cps[i] !== 0x29) {
      if (!atom() || !quantifier()) return false;
    }
    return true;
  };
  const alternatives = (): boolean => {
    if (!branch()) return false;
    while (cps[i] === 0x7c) {
      i++;
      out += "|";
      if (!branch()) return false;
    }
    return true;
  };

  if (!alternatives() || i !== cps.length) return undefined;
  return out;
}
