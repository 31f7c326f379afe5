// The naming pass (compiler/emit/ts/identifiers.ts and names.ts): identifiers from Arazzo ids, unique within a module, never reserved
// words, stable across runs.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { camelCase, NameTable, pascalCase } from "../compiler/emit/ts/identifiers.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** ECMAScript IdentifierName. */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

describe("camelCase and pascalCase", () => {
  it.each([
    ["run-script-with-cancel-guard", "runScriptWithCancelGuard", "RunScriptWithCancelGuard"],
    ["bootstrap-workspace", "bootstrapWorkspace", "BootstrapWorkspace"],
    ["runScript", "runScript", "RunScript"],
    ["RunScript", "runScript", "RunScript"],
    ["runScript_v2", "runScriptV2", "RunScriptV2"],
    ["run_script", "runScript", "RunScript"],
    ["run.script", "runScript", "RunScript"],
    ["run  script", "runScript", "RunScript"],
    ["--run--script--", "runScript", "RunScript"],
    ["getURL", "getURL", "GetURL"],
    ["v2Api", "v2Api", "V2Api"],
    ["a", "a", "A"],
    ["", "", ""],
    ["---", "", ""],
  ])("%j -> %j / %j", (id, camel, pascal) => {
    expect(camelCase(id)).toBe(camel);
    expect(pascalCase(id)).toBe(pascal);
  });

  it("keeps unicode letters", () => {
    expect(camelCase("Ünïcode id")).toBe("ünïcodeId");
    expect(pascalCase("Ünïcode id")).toBe("ÜnïcodeId");
    expect(camelCase("café-crème")).toBe("caféCrème");
    expect(pascalCase("ärger-öffnen")).toBe("ÄrgerÖffnen");
    expect(camelCase("日本語-workflow")).toBe("日本語Workflow");
    expect(pascalCase("заказ-оплата")).toBe("ЗаказОплата");
  });

  it("drops characters that are neither letters nor digits", () => {
    expect(camelCase("run 🚀 script!")).toBe("runScript");
    expect(camelCase("a/b:c@d")).toBe("aBCD");
  });

  it("leading digits are kept here; NameTable fixes them", () => {
    expect(camelCase("123-start")).toBe("123Start");
    expect(pascalCase("2fa-login")).toBe("2faLogin");
  });

  it("gives the same answer every time", () => {
    const ids = ["run-script-with-cancel-guard", "Ünïcode id", "runScript_v2", "123-start"];
    expect(ids.map(camelCase)).toEqual(ids.map(camelCase));
    expect(ids.map(pascalCase)).toEqual(ids.map(pascalCase));
  });

  it("camelCase of a camelCase name and pascalCase of a PascalCase name change nothing", () => {
    for (const id of ["run-script-with-cancel-guard", "runScript_v2", "Ünïcode id", "a-b-c"]) {
      expect(camelCase(camelCase(id))).toBe(camelCase(id));
      expect(pascalCase(pascalCase(id))).toBe(pascalCase(id));
      expect(pascalCase(camelCase(id))).toBe(pascalCase(id));
    }
  });
});

describe("NameTable", () => {
  it("hands out the wanted name when it is free", () => {
    const table = new NameTable();
    expect(table.claim("runScriptWithCancelGuard", "workflow")).toBe("runScriptWithCancelGuard");
    expect(table.claim("RunScriptWithCancelGuardInputs", "workflow")).toBe("RunScriptWithCancelGuardInputs");
  });

  it("collisions get 2, 3, ...", () => {
    const table = new NameTable();
    expect(["runScript", "runScript", "runScript", "runScript"].map((n) => table.claim(n, "workflow"))).toEqual([
      "runScript",
      "runScript2",
      "runScript3",
      "runScript4",
    ]);
  });

  it("a name that is itself taken by a numbered one is numbered further", () => {
    const table = new NameTable();
    expect(table.claim("runScript2", "workflow")).toBe("runScript2");
    expect(table.claim("runScript", "workflow")).toBe("runScript");
    expect(table.claim("runScript", "workflow")).toBe("runScript3");
  });

  it("names are case-sensitive: runScript and RunScript do not collide", () => {
    const table = new NameTable();
    expect(table.claim("runScript", "workflow")).toBe("runScript");
    expect(table.claim("RunScript", "workflow")).toBe("RunScript");
  });

  it("leading digits and empty names get the fallback prefix", () => {
    const table = new NameTable();
    expect(table.claim("123Start", "workflow")).toBe("workflow123Start");
    expect(table.claim("2fa", "step")).toBe("step2fa");
    expect(table.claim("", "workflow")).toBe("workflow");
    expect(table.claim("", "workflow")).toBe("workflow2");
  });

  it("reserved words get the fallback prefix as a suffix", () => {
    const table = new NameTable();
    for (const word of [
      "delete",
      "class",
      "function",
      "new",
      "return",
      "import",
      "await",
      "enum",
      "interface",
      "type",
      "undefined",
      "arguments",
      "eval",
    ])
      expect(table.claim(word, "workflow"), word).toBe(`${word}Workflow`);
    expect(table.claim("delete", "workflow")).toBe("deleteWorkflow2");
    expect(table.claim("Delete", "workflow")).toBe("Delete");
  });

  it("names given to the constructor are taken", () => {
    const table = new NameTable(["WorkflowOptions", "valueAt"]);
    expect(table.claim("WorkflowOptions", "type")).toBe("WorkflowOptions2");
    expect(table.claim("valueAt", "workflow")).toBe("valueAt2");
    expect(table.claim("other", "workflow")).toBe("other");
  });

  it("the same claims in the same order give the same names", () => {
    const wanted = ["runScript", "runScript", "delete", "123Start", "", "ünïcode", "runScript2"];
    const first = new NameTable();
    const second = new NameTable();
    expect(wanted.map((w) => first.claim(w, "workflow"))).toEqual(wanted.map((w) => second.claim(w, "workflow")));
  });

  it("every name handed out is a valid, unique identifier (ASCII and letters)", () => {
    const table = new NameTable();
    const ids = ["run-script", "run_script", "RunScript", "123", "delete", "", "🚀", "Ünïcode id", "日本語", "class", "x-1", "x1"];
    const names = ids.map((id) => table.claim(camelCase(id), "workflow"));
    for (const name of names) expect(name, name).toMatch(IDENTIFIER);
    expect(new Set(names).size).toBe(names.length);
  });

  // Regression: "²" (U+00B2) is a number (\p{N}) but not an identifier character; workflowId "area-m²" once
  // became `areaM²` and crashed the CLI in prettier (see cli.test.ts).
  it("a name from an id with a superscript digit is a valid identifier", () => {
    const table = new NameTable();
    expect(table.claim(camelCase("area-m²"), "workflow")).toMatch(IDENTIFIER);
  });
});

describe("names in generated modules", () => {
  async function compileWorkflowNamed(workflowId: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "arazzoc-names-"));
    try {
      const seed = readFileSync(
        join(ROOT, "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml"),
        "utf8",
      );
      const openapi = join(ROOT, "fixtures/windmill/api-evangelist/openapi/windmill-api-openapi.yml");
      const doc = seed
        .replace("workflowId: run-script-with-cancel-guard", `workflowId: ${workflowId}`)
        .replace("url: ../openapi/windmill-api-openapi.yml", `url: ${openapi}`);
      expect(doc).toContain(`workflowId: ${workflowId}`);
      writeFileSync(join(dir, "doc.yml"), doc);
      // The description stays in the fixtures, outside the temporary project folder.
      const result = await compile({ inputs: ["doc.yml"], cwd: dir, allowOutsideRoot: true });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const module = result.files.get("doc.ts");
      expect(module).toBeDefined();
      return module!;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("the seed's workflow function is runScriptWithCancelGuard with its Inputs and Outputs types", async () => {
    const module = await compileWorkflowNamed("run-script-with-cancel-guard");
    expect(module).toContain("export async function runScriptWithCancelGuard(");
    expect(module).toMatch(/export (interface|type) RunScriptWithCancelGuardInputs\b/);
    expect(module).toMatch(/export (interface|type) RunScriptWithCancelGuardOutputs\b/);
  });

  it("a workflow named then is exported under another name: the module is no thenable", async () => {
    const module = await compileWorkflowNamed("then");
    expect(module).not.toMatch(/export (async )?function then\b/);
    expect(module).toContain("export async function thenWorkflow(");
  });

  // U+1E4D0 NAG MUNDARI LETTER O (Unicode 15): Node's regular expressions know it as a letter, the
  // TypeScript compiler may not; the name then falls back to an ASCII form without escapes.
  it("a letter newer than TypeScript's Unicode tables gives a name TypeScript accepts", async () => {
    const module = await compileWorkflowNamed("\u{1E4D0}-flow");
    const name = /export async function (\S+)\(/.exec(module)?.[1] ?? "";
    expect(name).toMatch(/^[A-Za-z0-9_$\u{1E4D0}]+$/u);
    const { ts } = await import("ts-morph");
    const [first, ...rest] = [...name];
    expect(ts.isIdentifierStart(first!.codePointAt(0)!, ts.ScriptTarget.ESNext)).toBe(true);
    for (const c of rest) expect(ts.isIdentifierPart(c.codePointAt(0)!, ts.ScriptTarget.ESNext)).toBe(true);
  });

  // Regression: the module's NameTable started empty, so a workflowId equal to a runtime helper the module
  // imports (valueAt, looseEquals, isObject, WorkflowRun, ...) gave `export async function valueAt` next to
  // `import { ..., valueAt } from "./runtime.js"`: TS2440, the module did not compile. Public names come
  // first: the workflow exports `valueAt`, and a runtime import of that name is aliased.
  it("a workflow function keeps its name; runtime imports give way", async () => {
    const module = await compileWorkflowNamed("valueAt");
    expect(module).toContain("export async function valueAt(");
    const imported = /import \{([^}]*)\} from "\.\/runtime\.js"/.exec(module)?.[1] ?? "";
    const locals = imported.split(",").map((s) => s.trim().replace(/^type\s+/, "").split(/\s+as\s+/).pop());
    const functions = [...module.matchAll(/export async function (\w+)/g)].map((m) => m[1]);
    for (const name of functions) expect(locals).not.toContain(name);
  });
});
