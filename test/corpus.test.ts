// A few real-world documents of the Jentic API collection (fixtures/corpus, with its license), run through the
// corpus script (bench/corpus/run.mjs: check, compile and a type-check per document, in processes of their own)
// as `npm run corpus` runs the whole collection: one compiles clean, one shares large schemas (its module stays
// small), and the others are stopped by diagnostics a careful reader of the document and its OpenAPI agrees with.
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../compiler/index.js";

interface CorpusResult {
  document: string;
  exit: number | string;
  errors: string[];
  warnings: string[];
  crash?: string;
  disagreement?: string;
  typecheck?: string;
  bytes?: number;
  moduleBytes?: number;
}
interface CorpusReport {
  folder: string;
  summary: {
    documents: number;
    compiled: number;
    typeChecked: number;
    crashes: number;
    disagreements: number;
    generatedBytes: number;
    largestModule: { document: string; bytes: number } | null;
    stoppedBy: Record<string, number>;
    warnedBy: Record<string, number>;
  };
  results: CorpusResult[];
}

const FOLDER = "fixtures/corpus";
let report: CorpusReport;
const result = (document: string) => report.results.find((r) => r.document === document)!;

beforeAll(async () => {
  const run = await execa("node", ["bench/corpus/run.mjs", FOLDER, "--jobs", "2", "--json"], { reject: false });
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  report = JSON.parse(run.stdout) as CorpusReport;
}, 600_000);

describe("the corpus script over fixtures/corpus", () => {
  it("reports totals and, per code, the documents it stops; nothing crashes; check and compile agree", () => {
    const { summary } = report;
    expect(summary.documents).toBe(6);
    expect(summary.crashes).toBe(0);
    expect(summary.disagreements).toBe(0);
    expect(summary.compiled).toBe(report.results.filter((r) => r.exit === 0).length);
    expect(summary.typeChecked).toBe(summary.compiled);
    expect(summary.generatedBytes).toBe(report.results.reduce((sum, r) => sum + (r.bytes ?? 0), 0));
    for (const code of ["AZC1001", "AZC2020", "AZC4013", "AZC4041"]) expect(summary.stoppedBy[code]).toBeGreaterThanOrEqual(1);
  });

  it("compiles refugerestrooms.org without an error, and its module type-checks", () => {
    const r = result("refugerestrooms.org.arazzo.json");
    expect(r.errors).toEqual([]);
    expect(r.exit).toBe(0);
    expect(r.typecheck).toBe("ok");
  });

  it("compiles billingo.hu, whose responses share large schemas, to a module of proportional size", () => {
    const r = result("billingo.hu.arazzo.json");
    expect(r.exit).toBe(0);
    expect(r.typecheck).toBe("ok");
    // 150 KB of document and description: the module was 1.3 MB when each use wrote the schemas out.
    expect(r.moduleBytes).toBeGreaterThan(0);
    expect(r.moduleBytes).toBeLessThan(150_000);
  });
});

describe("documents stopped for the right reason", () => {
  const diagnosticsOf = async (document: string) => (await check({ inputs: [`${FOLDER}/${document}`], root: FOLDER })).diagnostics;

  it("facecheck.id: output names outside Arazzo's name pattern (AZC2020), at each name, with a name to use", async () => {
    const errors = (await diagnosticsOf("facecheck.id.arazzo.json")).filter((d) => d.code === "AZC2020");
    expect(errors.length).toBeGreaterThanOrEqual(4);
    // `search_results (from output.items)`, `uploaded_images (from input array, ...)`: spaces and parentheses.
    for (const e of errors) expect(e.message).toMatch(/^'[^']*[ ()][^']*' is not a valid name for an output/);
    expect(errors[0]!.fix).toMatch(/^Rename it, e\.g\. 'search_results',/);
  });

  it("drchrono.com: its OpenAPI description is not there (AZC1001), at the source's url", async () => {
    const errors = (await diagnosticsOf("drchrono.com.arazzo.json")).filter((d) => d.severity === "error");
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([["AZC1001", "/sourceDescriptions/0/url"]]);
  });

  it("qualtrics.com: WebhookDelete's required request body is not supplied (AZC4013)", async () => {
    const errors = (await diagnosticsOf("qualtrics.com.arazzo.json")).filter((d) => d.code === "AZC4013");
    expect(errors.map((e) => e.pointer)).toEqual(["/workflows/2/steps/1"]);
    expect(errors[0]!.message).toContain("WebhookDelete");
  });

  it("obono.at: getBeleg names two operations of its description (AZC4041), so no parameter is checked against either", async () => {
    const list = await diagnosticsOf("obono.at.arazzo.json");
    const errors = list.filter((d) => d.severity === "error");
    expect(errors.map((e) => [e.code, e.pointer])).toEqual([["AZC4041", "/workflows/0/steps/2/operationId"]]);
    expect(errors[0]!.message).toContain("GET /belege/{belegUuid} and GET /registrierkassen/{registrierkasseUuid}/belege/{belegUuid}");
    expect(list.map((d) => d.code)).not.toContain("AZC4009");
  });
});
