// I-Regexp (RFC 9485) translation: the build-time translator and its run-time copy in the runtime must agree,
// accept exactly the I-Regexp grammar, and give ECMAScript patterns with I-Regexp's meaning.

import { describe, expect, it } from "vitest";
import { iRegexpToECMAScript } from "../compiler/expressions/jsonpath/index.js";
import { jpIRegexp, jpMatch, jpSearch } from "../runtime/runtime-jsonpath.js";

const valid: Array<[string, string]> = [
  ["abc", "abc"],
  [".", "[^\\n\\r]"],
  ["a|b|", "a|b|"],
  ["(ab)*c+d?", "(?:ab)*c+d?"],
  ["a{2}b{1,}c{0,3}", "a{2}b{1,}c{0,3}"],
  ["[a-z0-9_]", "[a-z0-9_]"],
  ["[^-a]", "[^\\-a]"],
  ["[a-]", "[a\\-]"],
  ["[.]", "[\\.]"],
  ["[\\]\\[]", "[\\]\\[]"],
  ["[\\p{L}\\P{Nd}]", "[\\p{L}\\P{Nd}]"],
  ["\\p{Lu}\\P{Zs}\\p{C}", "\\p{Lu}\\P{Zs}\\p{C}"],
  ["\\.\\*\\\\\\n\\t\\-\\^\\{", "\\.\\*\\\\\n\t-\\^\\{"],
  ["^ab$", "^ab$"],
  ["/", "\\/"],
  ["😀+", "😀+"],
];

const invalid = [
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "[]",
  "[^]",
  "a**",
  "a{2,1}",
  "a{,2}",
  "\\d",
  "\\w",
  "\\$",
  "\\/",
  "(?:a)",
  "[a-\\p{L}]",
  "[z-a]",
  "[a-b-c]",
  "\\p{IsBasicLatin}",
  "\\p{Lx}",
  "\\p{L",
  "\ud800",
];

describe("iRegexpToECMAScript", () => {
  it.each(valid)("translates %s", (pattern, expected) => {
    expect(iRegexpToECMAScript(pattern)).toBe(expected);
    expect(() => new RegExp(expected, "u")).not.toThrow();
  });

  it.each(invalid)("rejects %s", (pattern) => {
    expect(iRegexpToECMAScript(pattern)).toBeUndefined();
  });

  it("gives I-Regexp meaning: . excludes only LF and CR; ^ $ are anchors as in RFC 9485 §5.3", () => {
    const dot = new RegExp(`^(?:${iRegexpToECMAScript(".") ?? ""})$`, "u");
    expect(["a", "\u2028", "\u2029", "😀"].every((s) => dot.test(s))).toBe(true);
    expect(["\n", "\r"].some((s) => dot.test(s))).toBe(false);
    expect(jpMatch("ab", "^ab")).toBe(true);
    expect(jpMatch("xyz", "\\^x")).toBe(false);
    expect(jpMatch("^x", "\\^x")).toBe(true);
  });
});

describe("the runtime's translator (jpIRegexp)", () => {
  it("is the one the build uses", () => {
    expect(iRegexpToECMAScript).toBe(jpIRegexp);
  });

  it.each([...valid.map(([pattern]) => pattern), ...invalid])("agrees on %s", (pattern) => {
    expect(jpIRegexp(pattern)).toBe(iRegexpToECMAScript(pattern));
  });

  it("matches fully for match() and anywhere for search(), false for non-strings and bad patterns", () => {
    expect(jpMatch("abc", "b")).toBe(false);
    expect(jpSearch("abc", "b")).toBe(true);
    expect(jpMatch("abc", "a.c|x")).toBe(true);
    expect(jpMatch(1, "1")).toBe(false);
    expect(jpSearch("a", 1)).toBe(false);
    expect(jpSearch("a", "[")).toBe(false);
    expect(jpSearch("a*", "^*")).toBe(false);
  });
});
