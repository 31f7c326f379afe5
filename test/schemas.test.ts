// Schema normalization (compiler/load/schemas.ts) and the one schema navigator (compiler/ir/schema.ts):
// references become names into one table, recursion stays a reference, the result is plain data, and every
// reader (types, pointer checks, input names) sees the same schema.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  declaredProperties,
  pathPresence,
  reachableSchemas,
  requiredProperties,
  schemaAt,
  type SchemaIr,
  type SchemaTable,
} from "../compiler/ir/schema.js";
import { SchemaTyper } from "../compiler/ir/types.js";
import { DocumentStore } from "../compiler/load/refs.js";

const dir = mkdtempSync(join(tmpdir(), "arazzoc-schemas-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store over files written for the test; `schema(file, pointer)` normalizes the node there. */
function setup(files: Record<string, unknown>) {
  const sub = mkdtempSync(join(dir, "case-"));
  for (const [name, value] of Object.entries(files)) writeFileSync(join(sub, name), JSON.stringify(value));
  const store = new DocumentStore(sub);
  const schema = (file: string, pointer: string, value?: unknown): SchemaIr => {
    const loaded = store.load(join(sub, file), false).file!;
    const tokens = pointer === "" ? [] : pointer.slice(1).split("/");
    const at = tokens.reduce<unknown>((v, t) => (v as Record<string, unknown>)[t], loaded.value);
    return store.schemas.normalize({ file: loaded, pointer, value: value ?? at });
  };
  return { store, schema, table: store.schemas.table as SchemaTable };
}

const openapi = (schemas: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {},
  components: { schemas },
  ...extra,
});

describe("normalization", () => {
  it("keeps references to named schemas as names, across files, and stays plain data", () => {
    const { schema, table } = setup({
      "pets.openapi.json": openapi({
        Pet: { type: "object", required: ["id"], properties: { id: { type: "integer" }, owner: { $ref: "./people.json#/definitions/Person" } } },
      }),
      "people.json": { definitions: { Person: { type: "object", properties: { name: { type: "string" } } } } },
    });
    const pet = schema("pets.openapi.json", "/components/schemas/Pet/properties/owner");
    expect(pet).toEqual({ $ref: "Person" });
    expect(table["Person"]).toEqual({ type: "object", properties: { name: { type: "string" } } });
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
  });

  it("keeps recursion as a reference and normalizes each node once", () => {
    const { schema, table } = setup({
      "tree.json": openapi({
        Node: { type: "object", properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
      }),
    });
    const first = schema("tree.json", "/components/schemas/Node");
    expect(schema("tree.json", "/components/schemas/Node")).toBe(first);
    const root = { type: "object", properties: { root: { $ref: "#/components/schemas/Node" } } };
    const wrapped = schema("tree.json", "/x", root);
    expect(wrapped).toEqual({ type: "object", properties: { root: { $ref: "Node" } } });
    expect(table["Node"]).toEqual({
      type: "object",
      properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "Node" } } },
    });
    expect(() => JSON.stringify(table)).not.toThrow();
  });

  it("names a schema after its component, qualified by its file when the name is taken", () => {
    const { schema, table } = setup({
      "windmill-api-openapi.json": openapi({ Job: { type: "object", properties: { id: { type: "string" } } } }),
      "other.openapi.json": openapi({ Job: { type: "object", properties: { id: { type: "integer" } } } }),
    });
    expect(schema("windmill-api-openapi.json", "/x", { $ref: "#/components/schemas/Job" })).toEqual({ $ref: "Job" });
    expect(schema("other.openapi.json", "/x", { $ref: "#/components/schemas/Job" })).toEqual({ $ref: "other.Job" });
    expect(Object.keys(table).sort()).toEqual(["Job", "other.Job"]);
  });

  it("stands an unresolvable $ref for anything, and remembers why and where it is written", () => {
    const { store, schema } = setup({ "broken.json": openapi({ Pet: { $ref: "#/components/schemas/Missing" } }) });
    const pet = schema("broken.json", "/components/schemas/Pet");
    expect(pet).toEqual({});
    expect(store.schemas.unresolvedRef(pet)).toEqual({ ref: "#/components/schemas/Missing", reason: expect.stringContaining("nothing at") });
    expect(store.schemas.origin(pet)).toMatchObject({ pointer: "/components/schemas/Pet", displayPath: "broken.json" });
  });

  it("reports a cycle of pure references as unresolvable", () => {
    const { store, schema } = setup({
      "cycle.json": openapi({ A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } }),
    });
    const a = schema("cycle.json", "/x", { $ref: "#/components/schemas/A" });
    expect(store.schemas.unresolvedRef(a)?.reason).toMatch(/cycle/);
  });

  it("normalizes long chains of references and deep nesting without recursing through them", () => {
    const chain: Record<string, unknown> = {};
    for (let i = 0; i < 20_000; i++) chain[`S${i}`] = { type: "object", properties: { next: { $ref: `#/components/schemas/S${i + 1}` } } };
    chain["S20000"] = { type: "string" };
    let nested: unknown = { type: "string" };
    for (let i = 0; i < 1_000; i++) nested = { type: "array", items: nested };
    const { schema, table } = setup({ "deep.json": openapi(chain, { "x-nested": nested }) });
    expect(schema("deep.json", "/x", { $ref: "#/components/schemas/S0" })).toEqual({ $ref: "S0" });
    expect(table["S20000"]).toEqual({ type: "string" });
    const deep = schema("deep.json", "/x-nested");
    expect(() => JSON.stringify(deep)).not.toThrow();
  });

  it("reads Swagger 2.0 definitions", () => {
    const { schema, table } = setup({
      "v2.json": { swagger: "2.0", info: {}, paths: {}, definitions: { Tag: { type: "string", enum: ["a", "b"] } } },
    });
    expect(schema("v2.json", "/x", { type: "array", items: { $ref: "#/definitions/Tag" } })).toEqual({ type: "array", items: { $ref: "Tag" } });
    expect(table["Tag"]).toEqual({ type: "string", enum: ["a", "b"] });
  });
});

describe("the schema navigator", () => {
  const table: SchemaTable = {
    Base: { type: "object", required: ["id"], properties: { id: { type: "string" }, note: { type: "string" } } },
    Cat: { allOf: [{ $ref: "Base" }, { type: "object", properties: { kind: { const: "cat" }, lives: { type: "integer" } } }] },
    Dog: { allOf: [{ $ref: "Base" }, { type: "object", properties: { kind: { const: "dog" }, bark: { type: "boolean" } } }] },
    Pet: { oneOf: [{ $ref: "Cat" }, { $ref: "Dog" }], discriminator: { propertyName: "kind" } },
    List: { type: "array", items: { $ref: "Pet" } },
    Pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] },
    Map: { type: "object", additionalProperties: { $ref: "Base" } },
  };
  const typer = new SchemaTyper(table);
  const typeAt = (name: string, path: string[]) => typer.typeAt({ $ref: name }, path);

  it("reads through references, allOf and oneOf, with whether the value may be absent", () => {
    expect(typeAt("Cat", ["id"])).toEqual({ kind: "string" });
    expect(typeAt("Cat", ["note"])).toEqual({ kind: "union", members: [{ kind: "string" }, { kind: "undefined" }] });
    // The discriminator is present in every branch.
    expect(typeAt("Pet", ["kind"])).toEqual({ kind: "union", members: [{ kind: "literal", value: "cat" }, { kind: "literal", value: "dog" }] });
    const reads = schemaAt({ $ref: "Pet" }, ["lives"], table);
    expect(reads.some((r) => r.declared)).toBe(true);
  });

  it("reads items, prefixItems and additionalProperties", () => {
    expect(typeAt("List", ["0", "id"])).toEqual({ kind: "union", members: [{ kind: "string" }, { kind: "undefined" }] });
    expect(typeAt("Pair", ["1"])).toEqual({ kind: "union", members: [{ kind: "number" }, { kind: "undefined" }] });
    expect(typeAt("Map", ["anything", "id"])).toEqual({ kind: "union", members: [{ kind: "string" }, { kind: "undefined" }] });
  });

  it("tells present, absent and unknown paths apart", () => {
    expect(pathPresence({ $ref: "Pet" }, ["bark"], table)).toBe("present");
    expect(pathPresence({ $ref: "Pet" }, ["barks"], table)).toBe("absent");
    expect(pathPresence({ $ref: "List" }, ["first"], table)).toBe("absent");
    expect(pathPresence({ $ref: "Map" }, ["x", "id"], table)).toBe("present");
    expect(pathPresence({ type: "object" }, ["x"], table)).toBe("unknown");
    const marker = {};
    expect(pathPresence({ properties: { a: marker } }, ["a", "b"], table, (s) => s === marker)).toEqual({ unresolved: marker });
  });

  it("stays linear on recursive compositions read through deep pointers", () => {
    // Each level offers the same node three ways: walked naively, a path of n tokens costs 3^n visits.
    const recursive: SchemaTable = {
      Node: {
        anyOf: [
          { type: "object", properties: { next: { $ref: "Node" } } },
          { type: "object", properties: { next: { $ref: "Node" } } },
          { allOf: [{ $ref: "Node" }, { type: "object", properties: { next: { $ref: "Node" } } }] },
        ],
      },
    };
    const path = Array.from({ length: 200 }, () => "next");
    expect(pathPresence({ $ref: "Node" }, path, recursive)).toBe("present");
    expect(pathPresence({ $ref: "Node" }, [...path, "missing"], recursive)).toBe("absent");
    expect(new SchemaTyper(recursive).typeAt({ $ref: "Node" }, path).kind).toBe("union");
  });

  it("knows the inputs declared and required through allOf, oneOf, anyOf and references", () => {
    const inputs: SchemaTable = {
      auth: { type: "object", required: ["token"], properties: { token: { type: "string" } } },
    };
    const schema: SchemaIr = {
      allOf: [
        { $ref: "auth" },
        {
          oneOf: [
            { type: "object", required: ["id", "verbose"], properties: { id: { type: "integer" }, verbose: { type: "boolean" } } },
            { type: "object", required: ["name", "verbose"], properties: { name: { type: "string" }, verbose: { type: "boolean" } } },
          ],
        },
      ],
    };
    expect(declaredProperties(schema, inputs)?.sort()).toEqual(["id", "name", "token", "verbose"]);
    expect(requiredProperties(schema, inputs).sort()).toEqual(["token", "verbose"]);
    expect(declaredProperties({ type: "object" }, inputs)).toBeUndefined();
    const type = new SchemaTyper(inputs).inputsType(schema);
    expect(type.kind === "object" && type.properties.map((p) => [p.name, p.optional])).toEqual([
      ["token", false],
      ["id", true],
      ["verbose", false],
      ["name", true],
    ]);
  });

  it("gives a module the table entries its schemas reach, and only those", () => {
    const reached = reachableSchemas([{ type: "array", items: { $ref: "Pet" } }], table);
    expect(Object.keys(reached)).toEqual(["Base", "Cat", "Dog", "Pet"]);
  });
});
