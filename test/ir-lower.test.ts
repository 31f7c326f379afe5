// The lowered program is plain data: it survives a JSON round trip unchanged, and says what the seeds do.
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";

const seeds = "fixtures/windmill/api-evangelist/arazzo";
const cases = ["types", "flows", "payloads", "sources", "documents"].map((c) => `fixtures/cases/${c}`);

describe("the lowered program", () => {
  it("is JSON-serializable: no Sets, Maps, functions or file handles", async () => {
    const { program, diagnostics } = await compile({ inputs: [seeds, ...cases, "fixtures/arazzo-examples-fixed"], target: "ir" });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(program.modules.length).toBeGreaterThan(10);
    expect(JSON.parse(JSON.stringify(program))).toEqual(program);
  });

  it("lowers the cleanup seed's poll loop as a marked back-edge before its default", async () => {
    const { program } = await compile({ inputs: [`${seeds}/windmill-run-script-and-cleanup-job-workflow.yml`], target: "ir" });
    const [workflow] = program.modules[0]!.workflows;
    const poll = workflow!.steps.find((s) => s.id === "pollResult")!;
    expect(poll.onSuccess.map((e) => [e.action ?? "(default)", e.to])).toEqual([
      ["stillRunning", { kind: "step", step: "pollResult", loop: true }],
      ["jobDone", { kind: "step", step: "captureResult", loop: false }],
      ["(default)", { kind: "step", step: "captureResult", loop: false }],
    ]);
    expect(workflow!.inputs.secrets).toEqual(["token"]);
    expect(workflow!.outputs.every((o) => !o.optional)).toBe(true);
  });

  it("typescript is not emitted for the ir target", async () => {
    const { files } = await compile({ inputs: [seeds], target: "ir" });
    expect(files.size).toBe(0);
  });
});
