// The output runs as generated, without a build step, where TypeScript runs natively: a Windmill seed compiled
// with `importExtension: ".ts"` (and the runtime written next to it) is run by Deno and by Bun, from their npm
// packages (dev dependencies), against the Windmill simulator. Node runs it too where it strips types itself
// (22.18 and later); Node 20 has no type stripping, so there the generated code is compiled or bundled first.
import { execa } from "execa";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { writeOutput } from "../compiler/output/write.js";
import { startWindmillSimulator, type WindmillSimulator } from "./support/windmill-simulator.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEED = join(ROOT, "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml");
const DENO = join(ROOT, "node_modules/.bin/deno");
const BUN = join(ROOT, "node_modules/.bin/bun");

// Runs the workflow with the simulator's address and token from the command line and prints its outputs, or
// the WorkflowError's reason and step: the generated module and runtime.ts are imported as written.
const DRIVER = `import { runScriptWithCancelGuard } from "./gen/windmill-run-script-with-timeout-cancel-workflow.ts";
import { WorkflowError } from "./gen/runtime.ts";

const args: string[] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);
const [apiUrl, token, path] = args as [string, string, string];
try {
  const outputs = await runScriptWithCancelGuard(
    { token, workspace: "demo", path, args: { a: 1 }, cancelReason: "too slow" },
    { servers: { windmillApi: apiUrl }, poll: { intervalMs: 20, backoff: 1 } },
  );
  console.log(JSON.stringify({ outputs }));
} catch (error) {
  if (!(error instanceof WorkflowError)) throw error;
  console.log(JSON.stringify({ error: { reason: error.reason, stepId: error.stepId, status: error.status } }));
}
`;

let dir: string;
let sim: WindmillSimulator | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "arazzoc-runtimes-"));
  const result = await compile({ inputs: [SEED], emit: true, importExtension: ".ts", format: "arazzoc" });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const gen = join(dir, "gen");
  mkdirSync(gen);
  writeOutput(gen, result.files, result.modules, { cwd: dir });
  writeFileSync(join(dir, "driver.ts"), DRIVER);
}, 120_000);

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNTIMES = [
  {
    name: "Deno",
    command: (args: string[]) => [DENO, "run", "--no-config", "--no-lock", "--allow-net=127.0.0.1", `--allow-read=${dir}`, join(dir, "driver.ts"), ...args],
    env: () => ({ DENO_DIR: join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" }),
  },
  {
    name: "Bun",
    command: (args: string[]) => [BUN, "run", join(dir, "driver.ts"), ...args],
    env: () => ({ BUN_INSTALL_CACHE_DIR: join(dir, ".bun"), DO_NOT_TRACK: "1", NO_COLOR: "1" }),
  },
  {
    name: "Node (type stripping)",
    command: (args: string[]) => [process.execPath, join(dir, "driver.ts"), ...args],
    env: () => ({}),
    // Node 20 has no type stripping: it cannot import .ts files at all.
    skip: !(process.features as { typescript?: string | false }).typescript,
  },
];

async function run(runtime: (typeof RUNTIMES)[number], args: string[]) {
  const [file, ...rest] = runtime.command(args);
  const result = await execa(file!, rest, { reject: false, cwd: dir, env: runtime.env(), timeout: 60_000 });
  expect(result.stderr, `${runtime.name} wrote to stderr`).toBe("");
  expect(result.exitCode, result.stdout).toBe(0);
  return JSON.parse(result.stdout) as { outputs?: Record<string, unknown>; error?: Record<string, unknown> };
}

describe.each(RUNTIMES)("$name runs the module as generated, with .ts imports", (runtime) => {
  it.skipIf(runtime.skip === true)("cancels a slow job, polling the simulator until the guard triggers", async () => {
    sim = await startWindmillSimulator({ scripts: { "f/demo/slow": { queuedMs: 10_000, runningMs: 10_000 } } });
    const { outputs } = await run(runtime, [sim.apiUrl, sim.adminToken, "f/demo/slow"]);
    expect(outputs!["cancelConfirmation"]).toBe(outputs!["jobId"]);
    const job = sim.job(outputs!["jobId"] as string)!;
    expect(job.canceled).toBe(true);
    expect(job.canceledReason).toBe("too slow");
  });

  it.skipIf(runtime.skip === true)("reads a completed job's result, and fails with a WorkflowError on a rejected token", async () => {
    sim = await startWindmillSimulator({ scripts: { "f/demo/fast": { result: { sum: 3 } } } });
    const { outputs } = await run(runtime, [sim.apiUrl, sim.adminToken, "f/demo/fast"]);
    expect(outputs!["result"]).toEqual({ sum: 3 });
    const { error } = await run(runtime, [sim.apiUrl, "not-a-token", "f/demo/fast"]);
    expect(error).toEqual({ reason: "http", stepId: "runScript", status: 401 });
  });
});
