// out/graph/ and out/docs/ are the committed results of `arazzoc graph` (Mermaid and the lowered program
// as JSON) and `arazzoc docs` on fixtures/: the suite fails when they are stale, so every change to the
// IR, the diagrams or the pages is reviewed as a diff (`npm run compile:fixtures` regenerates them).
import { execa } from "execa";
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

const WINDMILL = ["fixtures/windmill/api-evangelist/arazzo"];
const CASES = ["types", "flows", "payloads", "sources", "documents", "names"].map((c) => `fixtures/cases/${c}`);

/** Each command, its inputs and the committed folder its output is compared with. */
const GRAPH_TARGETS: ReadonlyArray<readonly [command: readonly string[], inputs: readonly string[], output: string]> = [
  [["graph"], WINDMILL, "out/graph/windmill"],
  [["graph", "--format", "json"], WINDMILL, "out/graph/windmill"],
  [["graph"], CASES, "out/graph/cases"],
  [["graph", "--format", "json"], CASES, "out/graph/cases"],
  [["docs"], WINDMILL, "out/docs/windmill"],
];

describe("out/graph and out/docs", () => {
  for (const [command, inputs, output] of GRAPH_TARGETS) {
    it(`${output} is up to date with arazzoc ${command.join(" ")} ${inputs.join(" ")}`, async () => {
      const result = await execa("node", ["dist/compiler/cli.js", ...command, ...inputs, "--out", output, "--check"], { reject: false });
      expect(result.stderr).toContain("is up to date");
      expect(result.exitCode).toBe(0);
    });
  }

  it("holds nothing else: a file per document and format, no leftovers of renamed documents", () => {
    const names = (folder: string) => readdirSync(folder).sort();
    const windmill = readdirSync(WINDMILL[0]!).map((f) => f.replace(/\.yml$/, "")).sort();
    expect(names("out/graph/windmill")).toEqual(windmill.flatMap((n) => [`${n}.json`, `${n}.mmd`]));
    expect(names("out/docs/windmill")).toEqual(windmill.map((n) => `${n}.md`));
    // A module of out/cases is a document that compiles; each has its flowchart and its program.
    const cases = names("out/cases").filter((f) => !f.startsWith("runtime") && f !== ".arazzoc-manifest.json").map((f) => f.replace(/\.ts$/, ""));
    expect(names("out/graph/cases")).toEqual(cases.flatMap((n) => [`${n}.json`, `${n}.mmd`]));
  });
});
