// The runtime's value helpers, which carry the semantics of simple conditions (reference §4.1): loose
// equality and ordering, pointer reads that see own properties only, template text, regex criteria.

import { describe, expect, it } from "vitest";
import { looseCompare, looseEquals, matchesPattern, templateText, valueAt } from "../runtime/runtime.js";

type Op = "<" | "<=" | ">" | ">=";
const OPS: readonly Op[] = ["<", "<=", ">", ">="];

/** JSON-like values of every kind, plus undefined (a missing value). */
const SAMPLES: readonly unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  200,
  1.5,
  -3,
  NaN,
  Infinity,
  "",
  " ",
  "0",
  "1",
  "200",
  "1.5",
  "abc",
  "ABC",
  "true",
  "null",
  [],
  [1, 2],
  ["a"],
  {},
  { a: 1 },
  { a: { b: [1, "x"] } },
];

describe("looseEquals", () => {
  const table: [unknown, unknown, boolean][] = [
    // strings: case-insensitive
    ["abc", "abc", true],
    ["abc", "ABC", true],
    ["CompletedJob", "completedjob", true],
    ["Straße", "STRASSE", false], // lower-casing, not full case folding
    ["abc", "abd", false],
    ["abc", "abc ", false],
    ["", "", true],
    // numbers and numeric strings
    [200, 200, true],
    [200, 201, false],
    [200, "200", true],
    ["200", 200, true],
    [1.5, "1.5", true],
    [1000, "1e3", true],
    [-3, "-3", true],
    [200, "200.0", true],
    [200, "abc", false],
    [0, "", false],
    [0, " ", false],
    ["", 0, false],
    [0, -0, true],
    [NaN, NaN, false],
    ["NaN", NaN, false],
    // two numeric strings are strings
    ["1.0", "1", false],
    ["200", "200", true],
    // null and undefined
    [null, null, true],
    [undefined, null, true],
    [null, undefined, true],
    [null, 0, false],
    [null, "", false],
    [null, "null", false],
    [null, false, false],
    [undefined, false, false],
    [undefined, "", false],
    [undefined, 0, false],
    [0, null, false],
    // booleans compare by value only
    [true, true, true],
    [false, false, true],
    [true, false, false],
    [true, 1, false],
    [false, 0, false],
    [true, "true", false],
    [false, "", false],
    // objects and arrays: deep equality, key order ignored
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: { b: { c: null } } }, { a: { b: { c: null } } }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: 1 }, { b: 1 }, false],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [[], [], true],
    [{}, {}, true],
    [[], {}, false],
    [{ 0: "a" }, ["a"], false],
    // mismatched types
    ["abc", 1, false],
    [{}, "[object Object]", false],
    [[1], 1, false],
    [["a"], "a", false],
    [{ a: 1 }, null, false],
  ];

  it.each(table)("looseEquals(%j, %j) is %s", (a, b, expected) => {
    expect(looseEquals(a, b)).toBe(expected);
  });

  it("is symmetric and never throws, for every pair of sample values", () => {
    for (const a of SAMPLES)
      for (const b of SAMPLES) {
        const ab = looseEquals(a, b);
        expect(typeof ab).toBe("boolean");
        expect(looseEquals(b, a), `${String(a)} vs ${String(b)}`).toBe(ab);
      }
  });

  it("is reflexive for every sample except NaN", () => {
    for (const a of SAMPLES) expect(looseEquals(a, a), String(a)).toBe(!Number.isNaN(a));
  });

  it("does not mistake inherited properties for members", () => {
    const inherited = Object.create({ a: 1 }) as Record<string, unknown>;
    expect(looseEquals(inherited, { a: 1 })).toBe(false);
    expect(looseEquals(JSON.parse('{"__proto__": 1}'), {})).toBe(false);
    expect(looseEquals(JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 1}'))).toBe(true);
  });
});

describe("looseCompare", () => {
  const table: [unknown, Op, unknown, boolean][] = [
    // numbers
    [1, "<", 2, true],
    [2, "<", 2, false],
    [2, "<=", 2, true],
    [3, ">", 2, true],
    [2, ">=", 3, false],
    [-1, "<", 0, true],
    [1.5, ">", 1, true],
    // numeric strings against numbers compare numerically, not as text
    ["10", ">", 9, true],
    [10, "<", "9", false],
    [9, "<", "10", true],
    ["1e3", ">=", 1000, true],
    ["abc", "<", 1, false],
    ["abc", ">=", 1, false],
    ["", "<", 1, false],
    [" ", ">=", 0, false],
    // strings: case-insensitive
    ["a", "<", "B", true],
    ["B", ">", "a", true],
    ["B", "<=", "b", true],
    ["b", ">=", "B", true],
    ["apple", "<", "Banana", true],
    ["abc", "<", "abcd", true],
    // null, undefined, booleans, objects, NaN: false for every operator
    [null, "<=", null, false],
    [null, "<", 1, false],
    [undefined, ">=", undefined, false],
    [undefined, "<", 1, false],
    [0, ">=", null, false],
    [true, ">", false, false],
    [false, "<", true, false],
    [true, ">=", true, false],
    [[1], "<", [2], false],
    [{ a: 1 }, "<=", { a: 1 }, false],
    [NaN, "<", 1, false],
    [1, ">=", NaN, false],
  ];

  it.each(table)("looseCompare(%j, %s, %j) is %s", (a, op, b, expected) => {
    expect(looseCompare(a, op, b)).toBe(expected);
  });

  it("a < b exactly when b > a, and <= is < or ==, for every pair of samples, without throwing", () => {
    for (const a of SAMPLES)
      for (const b of SAMPLES) {
        const lt = looseCompare(a, "<", b);
        expect(looseCompare(b, ">", a), `${String(a)} < ${String(b)}`).toBe(lt);
        expect(looseCompare(b, ">=", a), `${String(a)} <= ${String(b)}`).toBe(looseCompare(a, "<=", b));
        for (const op of OPS) expect(typeof looseCompare(a, op, b)).toBe("boolean");
      }
  });

  it("relational operators are false whenever a side is null, undefined, boolean, object or array", () => {
    const incomparable = [null, undefined, true, false, [], [1], {}, { a: 1 }];
    for (const x of incomparable)
      for (const y of SAMPLES)
        for (const op of OPS) {
          expect(looseCompare(x, op, y), `${JSON.stringify(x)} ${op} ${JSON.stringify(y)}`).toBe(false);
          expect(looseCompare(y, op, x), `${JSON.stringify(y)} ${op} ${JSON.stringify(x)}`).toBe(false);
        }
  });

  // Reference §4.1: strings compare "lower-case both sides, locale-independent, by code point". Plain `<` on
  // JS strings compares UTF-16 code units, so a supplementary character (U+1F600, stored as the surrogates
  // D83D DE00) sorts before U+FF5E although its code point is larger (regression: looseCompare used plain `<`).
  it("strings are ordered by code point, not by UTF-16 code unit", () => {
    expect(looseCompare("\u{1F600}", ">", "\uFF5E")).toBe(true);
    expect(looseCompare("\uFF5E", "<", "\u{1F600}")).toBe(true);
  });
});

describe("valueAt", () => {
  const doc = { id: "j1", type: "CompletedJob", result: { items: [10, 20, { name: "x" }] }, empty: null, "a/b": 1, "": "root-empty" };

  it("walks objects and arrays by pointer tokens", () => {
    expect(valueAt(doc, [])).toBe(doc);
    expect(valueAt(doc, ["type"])).toBe("CompletedJob");
    expect(valueAt(doc, ["result", "items", "1"])).toBe(20);
    expect(valueAt(doc, ["result", "items", "2", "name"])).toBe("x");
    expect(valueAt(doc, ["a/b"])).toBe(1);
    expect(valueAt(doc, [""])).toBe("root-empty");
    expect(valueAt(doc, ["empty"])).toBeNull();
    expect(valueAt([["a", "b"]], ["0", "1"])).toBe("b");
  });

  it("is undefined when any step is missing", () => {
    expect(valueAt(doc, ["missing"])).toBeUndefined();
    expect(valueAt(doc, ["empty", "x"])).toBeUndefined();
    expect(valueAt(doc, ["type", "x"])).toBeUndefined();
    expect(valueAt(doc, ["result", "items", "3"])).toBeUndefined();
    expect(valueAt(null, ["a"])).toBeUndefined();
    expect(valueAt(undefined, ["a"])).toBeUndefined();
    expect(valueAt(42, ["a"])).toBeUndefined();
  });

  it("array indexes are canonical non-negative integers", () => {
    const list = [10, 20];
    expect(valueAt(list, ["0"])).toBe(10);
    for (const token of ["01", "-1", "1.0", " 1", "1e0", "", "x", "-0"]) expect(valueAt(list, [token]), token).toBeUndefined();
  });

  it("reads own properties only: constructor, __proto__, toString, length of a string are undefined", () => {
    expect(valueAt({}, ["constructor"])).toBeUndefined();
    expect(valueAt({}, ["__proto__"])).toBeUndefined();
    expect(valueAt({}, ["toString"])).toBeUndefined();
    expect(valueAt({}, ["hasOwnProperty"])).toBeUndefined();
    expect(valueAt({ a: {} }, ["a", "constructor", "name"])).toBeUndefined();
    expect(valueAt("abc", ["length"])).toBeUndefined();
    expect(valueAt("abc", ["0"])).toBeUndefined();
    expect(valueAt([1, 2], ["length"])).toBeUndefined();
    expect(valueAt([1, 2], ["map"])).toBeUndefined();
    expect(valueAt(Object.create({ inherited: 1 }), ["inherited"])).toBeUndefined();
  });

  it("an own member named __proto__ (as JSON.parse makes it) is read", () => {
    expect(valueAt(JSON.parse('{"__proto__": {"polluted": true}}'), ["__proto__", "polluted"])).toBe(true);
    expect(valueAt(JSON.parse('{"constructor": 7}'), ["constructor"])).toBe(7);
  });
});

describe("templateText", () => {
  it.each([
    ["abc", "abc"],
    ["", ""],
    [undefined, ""],
    [null, "null"],
    [42, "42"],
    [-1.5, "-1.5"],
    [true, "true"],
    [false, "false"],
    [{ a: 1, b: "x" }, '{"a":1,"b":"x"}'],
    [[1, "a", null], '[1,"a",null]'],
    [{}, "{}"],
    [[], "[]"],
  ] as [unknown, string][])("templateText(%j) is %j", (value, text) => {
    expect(templateText(value)).toBe(text);
  });

  it("strings are inserted as they are, never JSON-quoted", () => {
    expect(templateText('say "hi"\n')).toBe('say "hi"\n');
  });
});

describe("matchesPattern", () => {
  it("searches strings, unanchored unless the pattern anchors", () => {
    expect(matchesPattern(/done/, "job is done")).toBe(true);
    expect(matchesPattern(/^done$/, "job is done")).toBe(false);
    expect(matchesPattern(/^ok$/i, "OK")).toBe(true);
    expect(matchesPattern(/^$/, "")).toBe(true);
  });

  it("numbers and booleans are matched as their text", () => {
    expect(matchesPattern(/^2\d\d$/, 200)).toBe(true);
    expect(matchesPattern(/^2\d\d$/, 404)).toBe(false);
    expect(matchesPattern(/^true$/, true)).toBe(true);
    expect(matchesPattern(/^-1\.5$/, -1.5)).toBe(true);
  });

  it("objects and arrays are matched as JSON", () => {
    expect(matchesPattern(/"status":"done"/, { status: "done" })).toBe(true);
    expect(matchesPattern(/^\[1,2\]$/, [1, 2])).toBe(true);
  });

  it("a missing or null value never matches, whatever the pattern", () => {
    for (const pattern of [/.*/, /^$/, /null/, /undefined/]) {
      expect(matchesPattern(pattern, undefined)).toBe(false);
      expect(matchesPattern(pattern, null)).toBe(false);
    }
  });

  it("gives the same answer when called again with the same pattern", () => {
    const pattern = /^2\d\d$/;
    expect([200, 200, 201, 404, 200].map((v) => matchesPattern(pattern, v))).toEqual([true, true, true, false, true]);
  });
});
