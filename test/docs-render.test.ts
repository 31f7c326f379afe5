// The diagrams of `arazzoc docs` as a reader sees them: the pages of both Windmill seeds are written by
// the CLI, each ```mermaid block is rendered by the `mermaid` package in headless Chromium (Debian's
// package, see .ci/run), and every step of the document must be a node of the picture, every action a
// label on an edge. The PNGs are kept in .tmp/diagrams/ to be looked at.

import { execa } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workflowFlowchart } from "../compiler/emit/mermaid/flowchart.js";
import { CHROMIUM, MermaidBrowser } from "./support/mermaid-browser.js";
import { request, workflow } from "./support/ir-samples.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEEDS = [
  "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml",
  "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-and-cleanup-job-workflow.yml",
];
const ARTIFACTS = join(ROOT, ".tmp", "diagrams");

// In CI the browser is installed by .ci/run and this must run; elsewhere it may be missing.
const available = existsSync(CHROMIUM);
const required = process.env["CI"] === "true";
if (!available && !required)
  console.warn(`docs-render: skipped, ${CHROMIUM} is missing (install it with: apt-get install -y chromium); CI runs it.`);

interface SeedDocument {
  workflows: { workflowId: string; steps: { stepId: string; onSuccess?: { name: string }[]; onFailure?: { name: string }[] }[] }[];
}

describe.skipIf(!available && !required)("diagrams rendered in a browser", () => {
  let browser: MermaidBrowser;
  let pages: string;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist/compiler/cli.js"))) await execa("npm", ["run", "build"], { cwd: ROOT });
    pages = mkdtempSync(join(tmpdir(), "arazzoc-docs-"));
    const run = await execa("node", ["dist/compiler/cli.js", "docs", ...SEEDS, "--out", pages], { cwd: ROOT, reject: false });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await MermaidBrowser.start();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (pages) rmSync(pages, { recursive: true, force: true });
  });

  for (const seed of SEEDS) {
    const name = seed.split("/").pop()!.replace(/\.yml$/, "");
    it(`draws every step and action of ${name}`, async () => {
      const document = parse(readFileSync(join(ROOT, seed), "utf8")) as SeedDocument;
      const page = readFileSync(join(pages, `${name}.md`), "utf8");
      const blocks = [...page.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
      expect(blocks).toHaveLength(document.workflows.length);

      for (const [i, source] of blocks.entries()) {
        const wf = document.workflows[i]!;
        const png = join(ARTIFACTS, `${name}--${wf.workflowId}.png`);
        const rendered = await browser.render(source, png);
        for (const step of wf.steps) {
          const node = rendered.nodes.find((n) => n.lines[0] === step.stepId);
          expect(node, `step ${step.stepId} is a node`).toBeDefined();
          expect(node!.id).toMatch(/^s_/);
        }
        expect(rendered.nodes.filter((n) => n.id.startsWith("s_"))).toHaveLength(wf.steps.length);
        for (const terminal of ["start", "end", "failed"]) expect(rendered.nodes.map((n) => n.lines.join(" "))).toContain(terminal);
        const actions = wf.steps.flatMap((s) => [...(s.onSuccess ?? []), ...(s.onFailure ?? [])].map((a) => a.name));
        for (const action of actions) expect(rendered.edgeLabels.map((l) => l.split("\n")[0])).toContain(action);
        // A real picture: a PNG of some size, not an error box.
        expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
        expect(statSync(png).size).toBeGreaterThan(10_000);
        expect(rendered.svg).not.toContain("Syntax error");
      }
    }, 120_000);
  }

  it("renders every committed flowchart of out/graph, with a subgraph per workflow where there are several", async () => {
    for (const folder of ["out/graph/windmill", "out/graph/cases"]) {
      for (const file of readdirSync(join(ROOT, folder)).filter((f) => f.endsWith(".mmd"))) {
        const module = JSON.parse(readFileSync(join(ROOT, folder, file.replace(/\.mmd$/, ".json")), "utf8")) as {
          workflows: { id: string; steps: { id: string }[] }[];
        };
        const rendered = await browser.render(readFileSync(join(ROOT, folder, file), "utf8"), join(ARTIFACTS, file.replace(/\.mmd$/, ".png")));
        expect(rendered.svg, file).not.toContain("Syntax error");
        // Mermaid orders the SVG by layout, not by source: compare as sets.
        expect([...rendered.clusters].sort(), file).toEqual(module.workflows.length > 1 ? module.workflows.map((w) => w.id).sort() : []);
        const steps = module.workflows.flatMap((w) => w.steps.map((s) => s.id));
        expect(rendered.nodes.filter((n) => /^(w\d+_)?s_/.test(n.id)).map((n) => n.lines[0]).sort(), file).toEqual(steps.sort());
      }
    }
  }, 120_000);

  it("shows hostile document text as text: no markup, no directives, no broken statements", async () => {
    const hostile = '"]; click x call alert() <img src=x onerror=alert(1)> %%{init: {"theme":"dark"}}%% #35; a|b `md`';
    const source = workflowFlowchart(
      workflow("w", [
        request("end", "GET", "/a/{b}/[c]", { onSuccess: [{ when: [], action: hostile, to: { kind: "transfer", workflow: { workflowId: hostile } } }] }, hostile),
      ]),
    );
    const rendered = await browser.render(source, join(ARTIFACTS, "hostile-text.png"));
    // The text is in the picture as text (`&lt;img`), never as an element; the directive did not apply
    // (the default theme's node colour is still there).
    expect(rendered.svg).not.toMatch(/<img\b/i);
    expect(rendered.svg).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(rendered.svg).toContain("fill:#ECECFF");
    expect(rendered.nodes.find((n) => n.id === "s_end")?.lines).toEqual(["end", `${hostile}: GET /a/{b}/[c]`, "success: $statusCode == 200"]);
    expect(rendered.edgeLabels).toContain(hostile);
    expect(rendered.nodes.find((n) => n.id.startsWith("t_"))?.lines).toEqual(["transfer to", hostile]);
    expect(readdirSync(ARTIFACTS)).toContain("hostile-text.png");
  }, 60_000);
});
