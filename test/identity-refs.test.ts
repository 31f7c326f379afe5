// $refs that resolve by identity (OpenAPI 3.2 `$self`, JSON Schema 2020-12 `$id`): against the URI a description
// gives itself, not where it lies, and against the `$id` of the schema they are written in. Found among the
// documents of the compilation by the URIs they declare, then through --source prefixes, never next door.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";

const DIR = "fixtures/cases/v11/self-refs";
const temp = mkdtempSync(join(tmpdir(), "arazzoc-identity-refs-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const stepsOf = (module: string | undefined) => /export interface \w+Steps \{[\s\S]*?\n\}/.exec(module ?? "")?.[0];

describe("references by identity in source descriptions", () => {
  it("a $self-relative $ref finds the description that declares that URI; $id-relative ones the schema resource", async () => {
    const result = await compile({ inputs: [`${DIR}/shipping.arazzo.yaml`], root: "fixtures" });
    expect(result.diagnostics).toEqual([]);
    const module = result.files.get("shipping.arazzo.ts");
    // price: common.yaml against $self https://api.example.com/apis/orders.yaml, which shared/common-types declares.
    // address: address.json against the $id of Shipment; dimensions: #/$defs/… inside that resource.
    expect(stepsOf(module)).toMatch(/quote: \{ amount: number \};?\s*create: \{ id: string; city: string; weight: number \| undefined \}/);
  });

  it("workflow inputs: a relative $ref under a $id names the components.inputs schema with that $id (delta Δ6)", async () => {
    const result = await compile({ inputs: [`${DIR}/shipping.arazzo.yaml`], root: "fixtures" });
    expect(result.files.get("shipping.arazzo.ts")).toMatch(/export interface ShipInputs \{\s*destination: \{\s*city: string;\s*\};\s*\}/);
  });

  it("without the document that declares the URI, the $ref is reported (AZC1110) at the $ref in the description", async () => {
    const result = await compile({ inputs: ["fixtures/cases/diagnostics/AZC1110-self-ref-nowhere.yaml"], root: "fixtures" });
    expect(result.diagnostics.map((d) => [d.code, d.file, d.pointer])).toEqual([
      ["AZC1110", `${DIR}/apis/orders.openapi.yaml`, "/components/schemas/Quote/properties/price/$ref"],
    ]);
  });

  it("a file at the $ref's path next to the description is not what it names", async () => {
    mkdirSync(join(temp, "next-door/apis"), { recursive: true });
    copyFileSync(resolve(DIR, "apis/orders.openapi.yaml"), join(temp, "next-door/apis/orders.openapi.yaml"));
    copyFileSync(resolve(DIR, "shared/common-types.openapi.yaml"), join(temp, "next-door/apis/common.yaml"));
    writeFileSync(
      join(temp, "next-door/quote.arazzo.yaml"),
      readFixture("fixtures/cases/diagnostics/AZC1110-self-ref-nowhere.yaml").replace("../v11/self-refs/apis/", "./apis/"),
    );
    // common.yaml declares its $self, but is not compiled with it: the $self of orders makes the $ref a URI.
    const result = await compile({ inputs: [join(temp, "next-door/quote.arazzo.yaml")], root: temp, cwd: temp });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["AZC1110"]);
  });

  it("--source maps the URI's prefix to a local folder", async () => {
    mkdirSync(join(temp, "mapped/apis"), { recursive: true });
    mkdirSync(join(temp, "mapped/vendor"), { recursive: true });
    copyFileSync(resolve(DIR, "apis/orders.openapi.yaml"), join(temp, "mapped/apis/orders.openapi.yaml"));
    // The mapped copy declares no $self: found by where the prefix leads.
    writeFileSync(
      join(temp, "mapped/vendor/common.yaml"),
      readFixture(`${DIR}/shared/common-types.openapi.yaml`).replace(/^\$self: .*$/m, ""),
    );
    writeFileSync(
      join(temp, "mapped/quote.arazzo.yaml"),
      readFixture("fixtures/cases/diagnostics/AZC1110-self-ref-nowhere.yaml").replace("../v11/self-refs/apis/", "./apis/"),
    );
    const result = await compile({
      inputs: [join(temp, "mapped/quote.arazzo.yaml")],
      root: temp,
      cwd: temp,
      sources: { "https://api.example.com/apis/": join(temp, "mapped/vendor") },
    });
    expect(result.diagnostics).toEqual([]);
  });

  it("an Arazzo source url names a description by its $self, found among the descriptions the other documents name", async () => {
    // by-identity comes first, and names orders only by https://api.example.com/apis/orders.yaml.
    const result = await compile({ inputs: [`${DIR}/by-identity.arazzo.yaml`, `${DIR}/shipping.arazzo.yaml`], root: "fixtures" });
    expect(result.diagnostics).toEqual([]);
    expect(stepsOf(result.files.get("by-identity.arazzo.ts"))).toMatch(/quote: \{ amount: number \}/);
    const alone = await compile({ inputs: [`${DIR}/by-identity.arazzo.yaml`], root: "fixtures", emit: false });
    expect(alone.diagnostics.map((d) => d.code)).toEqual(["AZC1009"]);
  });

  it("a schema $id that is no URI reference is reported (AZC1111); the references under it keep the base above", async () => {
    const result = await compile({ inputs: ["fixtures/cases/diagnostics/AZC1111-id-not-a-uri.yaml"], root: "fixtures" });
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([["AZC1111", "/components/schemas/Parcel/$id"]]);
  });

  it("OpenAPI 3.0 has no $id: a $ref under one resolves by location, as before", async () => {
    mkdirSync(join(temp, "v30"), { recursive: true });
    const description = readFixture("fixtures/cases/diagnostics/AZC1111-id-not-a-uri.openapi.yaml")
      .replace("openapi: 3.1.0", "openapi: 3.0.3")
      .replace('$id: "https://[parcels/parcel.json"', "$id: https://parcels.example.com/parcel.json")
      .replace("id:\n          type: string", "id:\n          $ref: '#/components/schemas/Id'")
      .concat("    Id:\n      type: string\n");
    writeFileSync(join(temp, "v30/AZC1111-id-not-a-uri.openapi.yaml"), description);
    writeFileSync(
      join(temp, "v30/parcels.arazzo.yaml"),
      readFixture("fixtures/cases/diagnostics/AZC1111-id-not-a-uri.yaml").concat("        outputs:\n          id: $response.body#/id\n"),
    );
    const result = await compile({ inputs: [join(temp, "v30/parcels.arazzo.yaml")], root: temp, cwd: temp });
    expect(result.diagnostics).toEqual([]);
    expect(stepsOf(result.files.get("parcels.arazzo.ts"))).toContain("list: { id: string | undefined }");
  });
});

function readFixture(path: string): string {
  return readFileSync(resolve(path), "utf8");
}
