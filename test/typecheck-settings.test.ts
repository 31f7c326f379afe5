// Generated code type-checks where users' code does: the committed fixture output (out/windmill, out/cases,
// out/examples, out/durable) and the runtime files next to it, compiled by TypeScript 7 (the project's own) and by
// TypeScript 5 (test/typescript5, installed by the global setup), under the library settings users' projects have:
// the DOM library without its iterable part, and a Node project without the DOM library at all. Every setting is
// strict and has noUnusedLocals and noUnusedParameters.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { TYPESCRIPT5_DIR } from "./support/install-typescript5.js";

const ROOT = resolve(".");
const COMPILERS = {
  "TypeScript 7": join(ROOT, "node_modules/.bin/tsc"),
  "TypeScript 5": join(TYPESCRIPT5_DIR, "node_modules/.bin/tsc"),
} as const;

/** Every generated module and runtime file, but the Restate wrappers (they need the SDK, a Node dependency). */
const PORTABLE = ["out/windmill/*.ts", "out/cases/**/*.ts", "out/examples/**/*.ts", "out/durable/*.ts"].map((p) => join(ROOT, p));
const RESTATE = [join(ROOT, "out/durable/*.restate.ts"), join(ROOT, "out/durable/runtime-restate.ts")];

const STRICT = {
  target: "es2022",
  module: "nodenext",
  moduleResolution: "nodenext",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noEmit: true,
  // The project's @types, wherever the configuration file is.
  typeRoots: [join(ROOT, "node_modules/@types")],
};

const SETTINGS: ReadonlyArray<{ name: string; options: object; include: readonly string[]; exclude: readonly string[] }> = [
  {
    name: "lib es2022 and dom without dom.iterable",
    options: { lib: ["es2022", "dom"], types: [], skipLibCheck: false },
    include: PORTABLE,
    exclude: RESTATE,
  },
  {
    name: "a Node project without the DOM library (@types/node)",
    options: { lib: ["es2022"], types: ["node"], skipLibCheck: false },
    include: PORTABLE,
    exclude: RESTATE,
  },
  {
    // The Restate wrappers run in Node; the SDK's own declarations need skipLibCheck.
    name: "the durable wrappers in a Node project without the DOM library",
    options: { lib: ["es2022"], types: ["node"], skipLibCheck: true },
    include: [join(ROOT, "out/durable/*.ts")],
    exclude: [],
  },
];

const temp = mkdtempSync(join(tmpdir(), "arazzoc-settings-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("generated code type-checks under users' settings", () => {
  let n = 0;
  for (const [compiler, tsc] of Object.entries(COMPILERS))
    for (const setting of SETTINGS)
      it(`with ${compiler}, ${setting.name}`, async () => {
        const config = join(temp, `tsconfig.${++n}.json`);
        writeFileSync(
          config,
          JSON.stringify({ compilerOptions: { ...STRICT, ...setting.options }, include: setting.include, exclude: setting.exclude }),
        );
        // --listFiles: a configuration that matched no generated file would pass vacuously.
        const result = await execa(tsc, ["-p", config, "--listFiles", "--pretty", "false"], { reject: false });
        const lines = (result.stdout + result.stderr).split("\n").filter((l) => l.trim() !== "");
        expect(lines.filter((l) => !/\.ts$/.test(l.trim()))).toEqual([]);
        expect(lines.some((l) => /out\/(windmill|durable)\/runtime\.ts$/.test(l))).toBe(true);
        expect(result.exitCode).toBe(0);
      }, 180_000);
});
