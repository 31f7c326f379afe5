// Named types (compiler/ir/types.ts, compiler/ir/named-types.ts, the TypeScript target's naming pass): the type of
// a schema that a module's types share is declared once and referred to by name; recursive schemas get recursive
// types; a schema used once is written in place; the names are public, stable and collision-free.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { shareTypes } from "../compiler/ir/named-types.js";
import type { SchemaTable } from "../compiler/ir/schema.js";
import { SchemaTyper, type TypeIr } from "../compiler/ir/types.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-named-types-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("the typer", () => {
  const table: SchemaTable = {
    Tree: { type: "object", properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "Tree" } } } },
    Loop: { oneOf: [{ $ref: "Loop" }, { type: "string" }] },
    Id: { type: "string" },
    Ids: { type: "array", items: { $ref: "Id" } },
    Pair: { type: "object", required: ["a", "b"], properties: { a: { $ref: "Tree" }, b: { $ref: "Tree" } } },
  };

  it("gives a reference its name and computes the definition once", () => {
    const typer = new SchemaTyper(table);
    expect(typer.toType({ $ref: "Pair" })).toEqual({ kind: "named", name: "Pair" });
    const pair = typer.definitions.get("Pair");
    expect(pair?.kind === "object" && pair.properties.map((p) => p.type)).toEqual([
      { kind: "named", name: "Tree" },
      { kind: "named", name: "Tree" },
    ]);
  });

  it("types a recursive schema recursively through its array member", () => {
    const typer = new SchemaTyper(table);
    typer.toType({ $ref: "Tree" });
    const tree = typer.definitions.get("Tree");
    expect(tree?.kind === "object" && tree.properties[1]?.type).toEqual({ kind: "array", items: { kind: "named", name: "Tree" } });
  });

  it("gives up (unknown) where a schema contains itself with no member or item between", () => {
    const typer = new SchemaTyper(table);
    typer.toType({ $ref: "Loop" });
    // Never `type Loop = Loop | string`, which TypeScript rejects; unknown absorbs the union.
    expect(typer.definitions.get("Loop")).toEqual({ kind: "unknown" });
  });

  it("writes a definition as short as a name in place", () => {
    const typer = new SchemaTyper(table);
    expect(typer.toType({ $ref: "Id" })).toEqual({ kind: "string" });
    expect(typer.toType({ $ref: "Ids" })).toEqual({ kind: "array", items: { kind: "string" } });
  });
});

describe("the module's named types", () => {
  const object = (name: string, type: TypeIr): TypeIr => ({ kind: "object", properties: [{ name, type, optional: false }] });
  const named = (name: string): TypeIr => ({ kind: "named", name });
  const definitions = new Map<string, TypeIr>([
    ["Once", object("x", { kind: "string" })],
    ["Twice", object("y", { kind: "number" })],
    ["Self", object("next", named("Self"))],
    ["other.Twice", object("z", { kind: "boolean" })],
  ]);
  const schemaName = (tableName: string) => ({ name: tableName.replace(/^other\./, ""), place: tableName.startsWith("other.") ? "b.yaml#/x" : "a.yaml#/x" });

  it("keeps what is used twice or recursive, and writes what is used once in place", () => {
    const roots = [named("Once"), named("Twice"), object("again", named("Twice")), named("Self")];
    const { rewrite, types } = shareTypes(roots, definitions, schemaName);
    expect(Object.keys(types)).toEqual(["Self", "Twice"]);
    expect(rewrite(named("Once"))).toEqual(definitions.get("Once"));
    expect(rewrite(named("Twice"))).toEqual(named("Twice"));
    expect(types["Self"]?.type).toEqual(object("next", named("Self")));
  });

  it("keeps a schema named __proto__ or constructor as an own member of the module's types", () => {
    const hostile = new Map<string, TypeIr>([
      ["__proto__", object("a", { kind: "string" })],
      ["constructor", object("b", { kind: "string" })],
    ]);
    const roots = [named("__proto__"), named("__proto__"), named("constructor"), named("constructor")];
    const { types } = shareTypes(roots, hostile, (name) => ({ name, place: name }));
    expect(Object.keys(types)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(types)).toBe(Object.prototype);
  });

  it("numbers two schemas of the same name in the order of where they are written", () => {
    const roots = [named("other.Twice"), named("other.Twice"), named("Twice"), named("Twice")];
    const { rewrite, types } = shareTypes(roots, definitions, schemaName);
    expect(Object.keys(types)).toEqual(["Twice", "Twice2"]);
    expect(rewrite(named("Twice"))).toEqual(named("Twice"));
    expect(rewrite(named("other.Twice"))).toEqual(named("Twice2"));
  });
});

describe("generated modules", () => {
  const openapi = {
    openapi: "3.1.0",
    info: { title: "Trees", version: "1" },
    paths: {
      "/trees/{id}": {
        get: {
          operationId: "getTree",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Tree" } } } },
            default: { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
      "/forests/{id}": {
        get: {
          operationId: "getForest",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Forest" } } } },
            default: { description: "error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        Tree: {
          type: "object",
          description: "A tree of labels.",
          required: ["label"],
          properties: { label: { type: "string" }, owner: { $ref: "#/components/schemas/ReadTreeOutputs" }, children: { type: "array", items: { $ref: "#/components/schemas/Tree" } }, meta: { $ref: "#/components/schemas/JsonValue" } },
        },
        // Recursive through a map: never Record<string, JsonValue>, which a recursive alias cannot go through (TS2456).
        JsonValue: {
          oneOf: [
            { type: "string" },
            { type: "number" },
            { type: "array", items: { $ref: "#/components/schemas/JsonValue" } },
            { type: "object", additionalProperties: { $ref: "#/components/schemas/JsonValue" } },
          ],
        },
        Forest: { type: "object", required: ["trees"], properties: { trees: { type: "array", items: { $ref: "#/components/schemas/Tree" } }, keeper: { $ref: "#/components/schemas/Keeper" } } },
        Keeper: { type: "object", properties: { name: { type: "string" }, account: { $ref: "#/components/schemas/ReadTreeOutputs" } } },
        Error: { type: "object", required: ["message"], properties: { message: { type: "string" } } },
        ReadTreeOutputs: { type: "object", properties: { login: { type: "string" } } },
      },
    },
  };
  const arazzo = {
    arazzo: "1.0.1",
    info: { title: "Trees", version: "1" },
    sourceDescriptions: [{ name: "trees", url: "./trees.openapi.json", type: "openapi" }],
    workflows: [
      {
        workflowId: "read-tree",
        inputs: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
        steps: [
          {
            stepId: "tree",
            operationId: "getTree",
            parameters: [{ name: "id", in: "path", value: "$inputs.id" }],
            successCriteria: [{ condition: "$statusCode == 200" }],
            outputs: { tree: "$response.body", firstChild: "$response.body#/children/0" },
            onFailure: [{ name: "record", type: "end" }],
          },
          {
            stepId: "forest",
            operationId: "getForest",
            parameters: [{ name: "id", in: "path", value: "$inputs.id" }],
            successCriteria: [{ condition: "$statusCode == 200" }],
            outputs: { trees: "$response.body#/trees", keeper: "$response.body#/keeper" },
          },
        ],
        outputs: { tree: "$steps.tree.outputs.tree", trees: "$steps.forest.outputs.trees", keeper: "$steps.forest.outputs.keeper" },
      },
    ],
  };

  it("declare a shared or recursive schema's type once, under a public name that displaces nothing", async () => {
    const folder = join(temp, "trees");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "trees.openapi.json"), JSON.stringify(openapi));
    writeFileSync(join(folder, "trees.arazzo.json"), JSON.stringify(arazzo));
    const result = await compile({ inputs: [join(folder, "trees.arazzo.json")], cwd: folder });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const module = result.files.get("trees.arazzo.ts")!;
    // Tree is recursive and shared; the workflow's own ReadTreeOutputs keeps its name, the schema gives way.
    expect(module).toContain("export interface ReadTreeOutputs {");
    expect(module).toContain("export type ReadTreeOutputsSchema = {");
    expect(module).toMatch(/\/\*\* A tree of labels\. \*\/\nexport type Tree = \{[^]*children\?: Tree\[\];/);
    expect(module).toContain("tree: Tree;");
    expect(module).toContain("{ [key: string]: JsonValue }");
    expect(module).toContain("trees: Tree[];");
    // Keeper is read once (the workflow output reads the step output, a second place): declared too, once.
    expect(module.match(/export type Keeper\b/g)).toHaveLength(1);
    // Nothing reads an Error body: no type for it.
    expect(module).not.toContain("ErrorSchema");
    for (const [file, text] of result.files) writeFileSync(join(folder, file), text);
    writeFileSync(
      join(folder, "user.ts"),
      [
        'import type { ReadTreeSteps, Tree } from "./trees.arazzo.js";',
        "type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;",
        "export const deep: Tree = { label: 'a', children: [{ label: 'b', children: [{ label: 'c' }] }] };",
        "export const meta: Tree = { label: 'a', meta: { a: [1, { b: 'c' }] } };",
        'export const sameTree: Equal<ReadTreeSteps["tree"]["tree"], Tree> = true;',
        "// @ts-expect-error: a child without its label is no Tree",
        "export const wrong: Tree = { label: 'a', children: [{}] };",
        "",
      ].join("\n"),
    );
    writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(folder, "tsconfig.json"), JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }));
    const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(folder, "tsconfig.json")], { reject: false });
    expect(checked.stdout + checked.stderr).toBe("");
  });
});
