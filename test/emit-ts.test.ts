// The TypeScript emitter on hand-written lowered programs: which control-flow shapes read top to bottom and
// which fall back to the state machine, that both behave as the graph says (run against a fetch stub), and
// that the modules type-check under the strict settings (noUnusedLocals, noUnusedParameters).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeFile } from "../compiler/emit/ts/module.js";
import { TypeScriptEmitter } from "../compiler/emit/ts/module.js";
import type { Cond } from "../compiler/ir/expressions.js";
import { END, type ExitIr, type ModuleIr, type StepIr, type WorkflowIr } from "../compiler/ir/program.js";

const temp = mkdtempSync(join(resolve("test"), ".emit-ts-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `$response.body#/<name> == <value>` */
const bodyIs = (name: string, value: string): Cond => ({
  kind: "compare",
  operator: "==",
  left: { kind: "ref", ref: { kind: "responseBody", path: [name] } },
  right: { kind: "literal", value },
});
const statusIs = (status: number): Cond => ({
  kind: "compare",
  operator: "==",
  left: { kind: "ref", ref: { kind: "statusCode" } },
  right: { kind: "literal", value: status },
});

const to = (step: string, loop = false): ExitIr["to"] => ({ kind: "step", step, loop });

/** A step that GETs /<id> and records the body's `n` as its output `n`. */
function step(id: string, onSuccess: ExitIr[], onFailure: ExitIr[] = [{ when: [], to: { kind: "fail" } }]): StepIr {
  return {
    id,
    call: { kind: "request", source: "api", method: "GET", path: `/${id}`, parameters: [] },
    successCriteria: [statusIs(200)],
    outputs: [{ name: "n", value: { kind: "ref", ref: { kind: "responseBody", path: ["n"] } }, type: { kind: "number" } }],
    bodyReads: [
      { path: ["n"], type: { kind: "number" } },
      { path: ["go"], type: { kind: "string" } },
    ],
    onSuccess,
    onFailure,
  };
}

/** Flow facts computed the simple way: may = every step before on some path; must = what dominates. */
function workflow(id: string, steps: StepIr[], outputs: WorkflowIr["outputs"], extra: Partial<WorkflowIr> = {}): WorkflowIr {
  const ids = steps.map((s) => s.id);
  const edges = new Map(steps.map((s) => [s.id, [...s.onSuccess, ...s.onFailure].flatMap((e) => (e.to.kind === "step" ? [e.to.step] : []))]));
  const may = new Map<string, Set<string>>([[ids[0]!, new Set()]]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, set] of [...may])
      for (const next of edges.get(from) ?? []) {
        const target = may.get(next) ?? new Set<string>();
        const size = target.size;
        for (const x of [...set, from]) target.add(x);
        if (!may.has(next) || target.size !== size) changed = true;
        may.set(next, target);
      }
  }
  return {
    id,
    inputs: { type: { kind: "object", properties: [] }, secrets: [] },
    dependsOn: [],
    entry: ids[0]!,
    steps,
    outputs,
    transfersTo: [],
    flow: {
      reachable: ids.filter((i) => may.has(i)),
      // Only the entry is certain in these graphs; the emitter then guards every other read.
      mustHaveRun: Object.fromEntries([...ids.map((i) => [i, i === ids[0] ? [] : [ids[0]!]]), [END, [ids[0]!]]]),
      mayHaveRun: Object.fromEntries([...ids.map((i) => [i, [...(may.get(i) ?? [])]]), [END, ids]]),
      trapped: [],
      detours: [],
    },
    ...extra,
  };
}

const output = (name: string, stepId: string) => ({
  name,
  value: { kind: "ref" as const, ref: { kind: "stepOutput" as const, stepId, name: "n", path: [] } },
  type: { kind: "number" as const },
  optional: true,
});

// a -> (b | c), b -> c, c -> b: the b/c loop can be entered at either: irreducible.
const irreducible = workflow(
  "irreducible",
  [
    step("a", [
      { when: [bodyIs("go", "b")], action: "toB", to: to("b") },
      { when: [], to: to("c") },
    ]),
    step("b", [
      { when: [bodyIs("go", "end")], action: "done", to: { kind: "end" } },
      { when: [], to: to("c", true) },
    ]),
    step("c", [
      { when: [bodyIs("go", "end")], action: "done", to: { kind: "end" } },
      { when: [], to: to("b", true) },
    ]),
  ],
  [output("fromB", "b"), output("fromC", "c")],
);

// a -> b -> c, c back to a while the body says so: a loop of three steps, then a forward goto over d.
const loop = workflow(
  "loop",
  [
    step("a", [{ when: [], to: to("b") }]),
    step("b", [
      { when: [bodyIs("go", "skip")], action: "skipD", to: to("e") },
      { when: [], to: to("c") },
    ]),
    step("c", [
      { when: [bodyIs("go", "again")], action: "again", to: to("a", true) },
      { when: [], to: to("d") },
    ]),
    step("d", [{ when: [], to: to("e") }]),
    step("e", [{ when: [], to: { kind: "end" } }]),
  ],
  [output("fromD", "d"), output("fromE", "e"), { ...output("__proto__", "e"), optional: false }],
);

// A retry exit with a budget, then a named failure.
const retry = workflow(
  "retry",
  [
    step(
      "flaky",
      [{ when: [], to: { kind: "end" } }],
      [
        { when: [statusIs(503)], action: "again", to: { kind: "retry", limit: 2, afterSeconds: 0 } },
        { when: [], action: "giveUp", to: { kind: "fail" } },
      ],
    ),
  ],
  [{ ...output("n", "flaky"), optional: false }],
);

// Inputs declared with oneOf: a union type, checked branch by branch.
const oneOf = workflow("one-of", [step("only", [{ when: [], to: { kind: "end" } }])], [], {
  inputs: {
    type: {
      kind: "union",
      members: [
        { kind: "object", properties: [{ name: "id", type: { kind: "string" }, optional: false }] },
        { kind: "object", properties: [{ name: "name", type: { kind: "string" }, optional: false }] },
      ],
    },
    schema: {
      oneOf: [
        { type: "object", required: ["id"], properties: { id: { type: "string" } } },
        { type: "object", required: ["name"], properties: { name: { type: "string" } } },
      ],
    },
    secrets: [],
  },
});

const module: ModuleIr = {
  sourcePath: "shapes.arazzo.yaml",
  name: "shapes",
  title: "Shapes",
  workflows: [irreducible, loop, retry, oneOf],
  externals: [],
  schemas: {},
  types: {},
};

let text = "";
type Run = (inputs: unknown, options: unknown) => Promise<Record<string, unknown>>;
let generated: Record<string, Run> = {};

beforeAll(async () => {
  text = (await new TypeScriptEmitter({ modules: [module] }).emit(module)).text;
  if (process.env["SHOW_EMITTED"]) console.log(text);
  writeFileSync(join(temp, "shapes.ts"), text);
  writeFileSync(join(temp, "runtime.ts"), runtimeFile());
  generated = (await import(pathToFileURL(join(temp, "shapes.ts")).href)) as Record<string, Run>;
}, 60_000);

/** A fetch stub answering GET /<step> with the body the test gives for that step's n-th call. */
function stub(bodies: Record<string, Array<Record<string, unknown> & { status?: number }>>) {
  const calls: string[] = [];
  const fetch = async (url: string | URL): Promise<Response> => {
    const id = new URL(String(url)).pathname.slice(1);
    const n = calls.filter((c) => c === id).length;
    calls.push(id);
    const list = bodies[id] ?? [{}];
    const { status = 200, ...body } = list[Math.min(n, list.length - 1)]!;
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { calls, options: { servers: { api: "http://api.test" }, fetch, poll: { intervalMs: 0 } } };
}

describe("control flow", () => {
  it("falls back to the state machine only for the irreducible graph, and says why", () => {
    expect(text).toMatch(/^\/\/ Workflow irreducible runs as a state machine: .+\.$/m);
    expect(text.match(/switch \(step\)/g)).toHaveLength(1);
    expect(text).not.toMatch(/^\/\/ Workflow loop runs as a state machine/m);
  });

  it("the state machine runs the irreducible graph", async () => {
    const viaB = stub({ a: [{ go: "b", n: 1 }], b: [{ n: 2 }, { n: 4, go: "end" }], c: [{ n: 3 }] });
    expect(await generated["irreducible"]!({}, viaB.options)).toEqual({ fromB: 4, fromC: 3 });
    expect(viaB.calls).toEqual(["a", "b", "c", "b"]);
    const viaC = stub({ a: [{ n: 1 }], c: [{ n: 3, go: "end" }] });
    expect(await generated["irreducible"]!({}, viaC.options)).toEqual({ fromC: 3 });
    expect(viaC.calls).toEqual(["a", "c"]);
  });

  it("a loop of three steps and a forward goto read top to bottom", async () => {
    const body = text.slice(text.indexOf("export async function loop("));
    expect(body.slice(0, body.indexOf("\n}\n"))).not.toContain("switch");
    const twice = stub({ c: [{ go: "again" }, {}], e: [{ n: 5 }], d: [{ n: 4 }] });
    const out = await generated["loop"]!({}, twice.options);
    expect(twice.calls).toEqual(["a", "b", "c", "a", "b", "c", "d", "e"]);
    expect(out).toEqual({ fromD: 4, fromE: 5, ["__proto__"]: 5 });
    // An output named __proto__ is an own property, not the prototype.
    expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    const skipping = stub({ b: [{ go: "skip" }], e: [{ n: 6 }] });
    // d was skipped on this path: its output is absent, not undefined.
    const skipped = await generated["loop"]!({}, skipping.options);
    expect(skipping.calls).toEqual(["a", "b", "e"]);
    expect("fromD" in skipped).toBe(false);
    expect(skipped["fromE"]).toBe(6);
  });

  it("a retry runs at most its limit, then the later exits are tried", async () => {
    const recovers = stub({ flaky: [{ status: 503 }, { status: 503 }, { n: 7 }] });
    expect(await generated["retry"]!({}, recovers.options)).toEqual({ n: 7 });
    expect(recovers.calls).toHaveLength(3);
    const never = stub({ flaky: [{ status: 503 }] });
    await expect(generated["retry"]!({}, never.options)).rejects.toMatchObject({ message: expect.stringContaining("giveUp") });
    expect(never.calls).toHaveLength(3);
  });
});

describe("inputs", () => {
  it("a oneOf inputs schema gives a union type and a branch-by-branch check", async () => {
    expect(text).toMatch(/export type OneOfInputs =/);
    const s = stub({});
    await expect(generated["oneOf"]!({ id: "x" }, s.options)).resolves.toEqual({});
    await expect(generated["oneOf"]!({ id: 1 }, s.options)).rejects.toMatchObject({ reason: "inputs" });
  });
});

describe("the module", () => {
  it("type-checks under the strict settings", async () => {
    writeFileSync(join(temp, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(temp, "tsconfig.json"), JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }));
    const result = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(temp, "tsconfig.json")], { reject: false });
    expect(result.stdout + result.stderr).toBe("");
  }, 60_000);
});


