// docs/diagnostics.md against the catalogue in compiler/diagnostics.ts, so that neither can drift: the page
// lists exactly the catalogue's codes, in code order, each with its severity, message template and fix as
// the code has them, and an example. And every code is triggered by a negative fixture (the cases of
// test/diagnostic-cases.ts, which test/diagnostics.test.ts compiles).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalogue } from "../compiler/index.js";
import { CASES } from "./diagnostic-cases.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOC = "docs/diagnostics.md";

interface Section {
  readonly code: string;
  readonly severity: string | undefined;
  readonly message: string | undefined;
  readonly fix: string | undefined;
  readonly examples: number;
}

/** The `## AZCnnnn` sections of the page, with their **Severity:**, **Message:** and **Fix:** lines. */
function sections(): Section[] {
  const text = readFileSync(join(ROOT, DOC), "utf8");
  const parts = text.split(/^## /m).slice(1);
  return parts
    .filter((part) => /^AZC\d{4}\s*$/m.test(part.split("\n", 1)[0]!))
    .map((part) => {
      const code = part.split("\n", 1)[0]!.trim();
      const field = (name: string) => new RegExp(`^\\*\\*${name}:\\*\\* (.*?)\\s*$`, "m").exec(part)?.[1];
      const code_ = (value: string | undefined) => (value !== undefined ? /^`(.*)`$/.exec(value)?.[1] : undefined);
      return {
        code,
        severity: field("Severity"),
        message: code_(field("Message")),
        fix: code_(field("Fix")),
        examples: (part.match(/^```\w*\n[\s\S]*?\S[\s\S]*?^```$/gm) ?? []).length,
      };
    });
}

const codes = Object.keys(catalogue).sort();

describe(`${DOC} matches the catalogue`, () => {
  it("lists exactly the catalogue's codes, in code order, each once", () => {
    expect(sections().map((s) => s.code)).toEqual(codes);
  });

  for (const code of codes) {
    it(`${code}: severity, message template and fix as in compiler/diagnostics.ts, and an example`, () => {
      const section = sections().find((s) => s.code === code);
      expect(section, `${code} has no section`).toBeDefined();
      const entry = catalogue[code as keyof typeof catalogue];
      expect(section!.severity).toBe(entry.severity);
      expect(section!.message).toBe(entry.message);
      expect(section!.fix).toBe(entry.fix);
      expect(section!.examples, "a fenced example of a fragment that triggers it").toBeGreaterThanOrEqual(1);
    });
  }
});

describe("every code is triggered by a negative fixture", () => {
  it("every case names a code of the catalogue and existing input files", () => {
    for (const c of CASES) {
      expect(codes, c.what).toContain(c.code);
      for (const input of c.inputs) expect(existsSync(join(ROOT, input)), input).toBe(true);
    }
  });

  // Codes that no input makes the compiler report (a compiler defect), registered with it.fails: none now.
  // (AZC1007 was one until the unresolvable inputs $ref was reported.)
  const NOT_TRIGGERED = new Set<string>([]);

  for (const code of codes) {
    const test = NOT_TRIGGERED.has(code) ? it.fails : it;
    test(`${code} has a fixture case that the compiler passes`, () => {
      const cases = CASES.filter((c) => c.code === code);
      expect(cases.length, `no fixture case for ${code}`).toBeGreaterThan(0);
      expect(
        cases.some((c) => c.known === undefined),
        `every case of ${code} is a known compiler defect`,
      ).toBe(true);
    });
  }
});
