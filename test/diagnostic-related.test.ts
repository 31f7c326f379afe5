// Diagnostics about duplicates name both places: the repeat, and the first declaration as related
// information, printed with its own code frame in the text format and present in the JSON output.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { compile, formatDiagnostic } from "../compiler/index.js";

const FIXTURE = "fixtures/cases/diagnostics/AZC4010-duplicate-step-id.yaml";

it("a duplicate stepId names the first declaration, in text and in JSON", async () => {
  const result = await compile({ inputs: [FIXTURE], emit: false });
  const [duplicate] = result.diagnostics;
  expect(duplicate).toMatchObject({ code: "AZC4010", range: { line: 14 } });
  expect(duplicate!.related).toHaveLength(1);
  const related = duplicate!.related![0]!;
  expect(related).toMatchObject({ file: FIXTURE, message: "The first declaration" });
  expect(related.range!.line).toBeLessThan(14);

  const text = formatDiagnostic(duplicate!, readFileSync(FIXTURE, "utf8"));
  const lines = text.split("\n");
  const at = lines.indexOf(`  ${FIXTURE}:${related.range!.line}:${related.range!.column}: The first declaration`);
  expect(at).toBeGreaterThan(0);
  // Its frame follows, marking the first stepId.
  expect(lines[at + 2]).toMatch(new RegExp(`^  > +${related.range!.line} \\| +- stepId: listPets$`));
  expect(lines.findIndex((l) => l.startsWith("  fix:"))).toBeGreaterThan(at);

  expect(JSON.parse(JSON.stringify(result.diagnostics))[0].related).toEqual([related]);
});

it("an operationId declared twice names both operations where the OpenAPI description declares them", async () => {
  const input = "fixtures/cases/diagnostics/AZC4041-operation-id-declared-twice.yaml";
  const description = "fixtures/cases/diagnostics/shelters.openapi.yaml";
  const result = await compile({ inputs: [input], emit: false });
  expect(result.diagnostics.map((d) => d.code)).toEqual(["AZC4041"]);
  const related = result.diagnostics[0]!.related ?? [];
  expect(related.map((r) => [r.file, r.range?.line, r.range?.column, r.message])).toEqual([
    [description, 12, 20, "GET /shelters declares operationId 'listShelters'"],
    [description, 33, 20, "GET /regions/{region}/shelters declares operationId 'listShelters'"],
  ]);
  expect(result.diagnostics[0]!.fix).toContain("'{$sourceDescriptions.shelters.url}#/paths/~1shelters/get'");
});
