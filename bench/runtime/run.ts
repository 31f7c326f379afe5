// The runtime benchmark: the cleanup seed workflow (run-script-and-cleanup-job, 4 requests) run against the
// Windmill simulator by three clients in the same run:
//   - the generated module (out/windmill/windmill-run-script-and-cleanup-job-workflow.ts and its runtime.ts),
//   - hand-written fetch code doing the same requests (bench/runtime/hand-written.ts),
//   - Redocly Respect (`redocly respect`) on the same Arazzo document, its server and inputs given on the
//     command line; installed in bench/runtime/respect/ on first use, never a dependency of the root package.
// Prints the time per workflow of each, the ratios and whether the targets are met, and the size of
// runtime.ts minified and gzipped. A missed target is reported, not failed on; a run that fails exits 1.
//
//   npm run bench:runtime                          1000 workflows per client, 3 Respect runs of 3 workflows
//   npm run bench:runtime -- --runs 2000 --verbose
//   npm run bench:runtime -- --respect-processes 0 skips Respect
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { startWindmillSimulator } from "../../test/support/windmill-simulator.js";
import type { CleanupInputs, CleanupOutputs } from "./hand-written.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "..", "..");
const rel = (path: string) => relative(root, path) || ".";

const SEED = "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-and-cleanup-job-workflow.yml";
const OPENAPI = "fixtures/windmill/api-evangelist/openapi/windmill-api-openapi.yml";
const RUNTIME = "runtime/runtime.ts";
const RESPECT_DIR = join(here, "respect");
const RESPECT_CLI = join(RESPECT_DIR, "node_modules", "@redocly", "cli", "bin", "cli.js");
const SCRIPT = "f/bench/report";

const TARGET_HAND_RATIO = 1.1; // generated <= 1.1 x hand-written fetch
const TARGET_RESPECT_FACTOR = 20; // Respect >= 20 x generated, per workflow
const TARGET_GZIP_BYTES = 6 * 1024; // runtime.ts minified + gzipped < 6 KB

const USAGE = `Usage: npm run bench:runtime -- [--runs N] [--batch N] [--warmup N] [--respect-processes N] [--respect-workflows N] [--verbose]
  --runs N                workflows measured per in-process client (default 1000)
  --batch N               workflows per timed batch; batches of the two clients alternate (default 10)
  --warmup N              unmeasured workflows per client first (default 100)
  --respect-processes N   Respect CLI runs (default 3; 0 skips Respect)
  --respect-workflows N   workflows per Respect run: the document given N times, as copies (default 3)
  --verbose               print every batch and Respect run
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`bench:runtime: ${message}\n`);
  process.exit(code);
}

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      runs: { type: "string", default: process.env["BENCH_RUNS"] ?? "1000" },
      batch: { type: "string", default: "10" },
      warmup: { type: "string", default: "100" },
      "respect-processes": { type: "string", default: "3" },
      "respect-workflows": { type: "string", default: "3" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (values["help"]) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const count = (name: string, min: number): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, not '${String(values[name])}'`, 2);
  return n;
};
const runs = count("runs", 1);
const batch = Math.min(count("batch", 1), runs);
const warmup = count("warmup", 0);
const respectProcesses = count("respect-processes", 0);
const respectWorkflows = count("respect-workflows", 1);
const verbose = values["verbose"] === true;
const log = (line: string) => verbose && process.stderr.write(`${line}\n`);

for (const file of [SEED, OPENAPI, RUNTIME]) if (!existsSync(join(root, file))) fail(`missing ${file}`);

// --- Respect's own install: bench/runtime/respect/, pinned, installed on first use ----------------------------

function respectInstalled(): boolean {
  if (!existsSync(RESPECT_CLI)) return false;
  const wanted = (JSON.parse(readFileSync(join(RESPECT_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies;
  return Object.entries(wanted).every(([name, version]) => {
    const file = join(RESPECT_DIR, "node_modules", name, "package.json");
    return existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version === version;
  });
}
if (respectProcesses > 0 && !respectInstalled()) {
  const args = ["ci", "--prefix", rel(RESPECT_DIR), "--no-audit", "--no-fund"];
  process.stderr.write(`bench:runtime: npm ${args.join(" ")}\n`);
  const result = spawnSync("npm", args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) fail(`'npm ${args.join(" ")}' failed (exit ${result.status ?? result.signal})`);
}
const respectVersion =
  respectProcesses > 0
    ? (JSON.parse(readFileSync(join(RESPECT_DIR, "node_modules", "@redocly", "cli", "package.json"), "utf8")) as { version: string })
        .version
    : "";

// --- The server and the inputs ---------------------------------------------------------------------------------

const sim = await startWindmillSimulator({ scripts: { [SCRIPT]: { result: { rows: 42, ok: true } } } });
const inputs: CleanupInputs = { token: sim.adminToken, workspace: "demo", path: SCRIPT, args: { day: "2024-01-01", limit: 10 } };
const scratch = mkdtempSync(join(tmpdir(), "arazzoc-bench-runtime-"));
let exiting = false;
const cleanup = async () => {
  if (exiting) return;
  exiting = true;
  await sim.close();
  rmSync(scratch, { recursive: true, force: true });
};

function check(label: string, out: CleanupOutputs): void {
  const job = sim.job(out.jobId);
  if (!job?.deleted || out.deletedId !== out.jobId || out.success !== true || (out.result as { rows?: number })?.rows !== 42)
    throw new Error(`${label} did not run the workflow to its end: ${JSON.stringify(out)}`);
}

// Both clients compiled as a user's build compiles them: one esbuild bundle, not minified.
const bundle = join(scratch, "clients.mjs");
await build({
  entryPoints: [join(here, "clients.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: bundle,
  logLevel: "error",
});
const { runScriptAndCleanupJob, runScriptAndCleanupJobByHand } = (await import(
  pathToFileURL(bundle).href
)) as typeof import("./clients.js");

const clients = {
  generated: {
    label: "generated (arazzoc)",
    once: async () => check("the generated module", await runScriptAndCleanupJob(inputs, { servers: { windmillApi: sim.apiUrl } })),
  },
  hand: {
    label: "hand-written fetch",
    once: async () => check("the hand-written client", await runScriptAndCleanupJobByHand(sim.apiUrl, inputs)),
  },
};
type Client = keyof typeof clients;

// --- In-process clients: batches, alternating A B, B A, ... ------------------------------------------------------

// Wall time, and the process's CPU time (client and simulator alike), which a busy machine disturbs less.
const perWorkflow: Record<Client, number[]> = { generated: [], hand: [] };
const cpuPerWorkflow: Record<Client, number[]> = { generated: [], hand: [] };

async function timedBatch(client: Client, size: number): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < size; i++) await clients[client].once();
  const ms = (performance.now() - start) / size;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 / size };
}

try {
  for (const client of ["generated", "hand"] as const) await timedBatch(client, warmup);
  const batches = Math.ceil(runs / batch);
  for (let b = 0; b < batches; b++) {
    const size = Math.min(batch, runs - b * batch);
    const order: Client[] = b % 2 === 0 ? ["generated", "hand"] : ["hand", "generated"];
    for (const client of order) {
      const { ms, cpuMs } = await timedBatch(client, size);
      perWorkflow[client].push(ms);
      cpuPerWorkflow[client].push(cpuMs);
      log(`batch ${b + 1}/${batches}  ${clients[client].label.padEnd(20)} ${ms.toFixed(3)} ms per workflow, CPU ${cpuMs.toFixed(3)} ms`);
    }
  }
} catch (error) {
  await cleanup();
  fail((error as Error).message);
}

// --- Respect: the CLI on copies of the same document, server and inputs on the command line ------------------------

interface RespectRun {
  wallMs: number;
  workflowMs: number[];
}

function respectOnce(index: number): Promise<RespectRun> {
  // Copies of the document, one per workflow to run, beside copies of the descriptions it references (its
  // OpenAPI as ../openapi/..., which references ../../openflow.openapi.yaml): the layout of fixtures/windmill.
  const dir = join(scratch, `respect-${index}`);
  mkdirSync(join(dir, "api-evangelist", "arazzo"), { recursive: true });
  cpSync(join(root, "fixtures/windmill/api-evangelist/openapi"), join(dir, "api-evangelist", "openapi"), { recursive: true });
  copyFileSync(join(root, "fixtures/windmill/openflow.openapi.yaml"), join(dir, "openflow.openapi.yaml"));
  const files = Array.from({ length: respectWorkflows }, (_, i) => {
    const file = join(dir, "api-evangelist", "arazzo", `cleanup-${i + 1}.yml`);
    copyFileSync(join(root, SEED), file);
    return file;
  });
  const jsonOutput = join(dir, "respect.json");
  const args = [
    RESPECT_CLI,
    "respect",
    ...files,
    "--input",
    JSON.stringify(inputs),
    "--server",
    `windmillApi=${sim.apiUrl}`,
    "--json-output",
    jsonOutput,
  ];
  return new Promise((resolvePromise, reject) => {
    let output = "";
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - start;
      const command = `node ${args.map((a) => (a.startsWith(root) ? rel(a) : a.startsWith(dir) ? relative(dir, a) : a)).join(" ")}`;
      const shown = command.split(inputs.token).join("<token>");
      if (code !== 0) return reject(new Error(`Respect failed (exit ${code}): ${shown}\n${output.split(inputs.token).join("<token>")}`));
      const report = JSON.parse(readFileSync(jsonOutput, "utf8")) as {
        files: Record<string, { executedWorkflows: { totalTimeMs: number; status?: string }[] }>;
      };
      const workflowMs = Object.values(report.files).flatMap((f) => f.executedWorkflows.map((w) => w.totalTimeMs));
      if (workflowMs.length !== respectWorkflows)
        return reject(new Error(`Respect reported ${workflowMs.length} workflows, not ${respectWorkflows}: ${shown}`));
      resolvePromise({ wallMs, workflowMs });
    });
  });
}

const respectRuns: RespectRun[] = [];
try {
  for (let i = 0; i < respectProcesses; i++) {
    const jobsBefore = sim.jobs().filter((j) => j.deleted).length;
    const result = await respectOnce(i);
    const deleted = sim.jobs().filter((j) => j.deleted).length - jobsBefore;
    if (deleted !== respectWorkflows) throw new Error(`Respect ran ${respectWorkflows} workflows but deleted ${deleted} jobs`);
    respectRuns.push(result);
    log(`respect ${i + 1}/${respectProcesses}  ${(result.wallMs / 1000).toFixed(2)} s  workflows ${result.workflowMs.join(", ")} ms`);
  }
} catch (error) {
  await cleanup();
  fail((error as Error).message);
}
await cleanup();

// --- Size of runtime.ts ------------------------------------------------------------------------------------------

const source = readFileSync(join(root, RUNTIME), "utf8");
const minified = (await transform(source, { loader: "ts", minify: true, format: "esm", target: "es2022" })).code;
const gzipped = gzipSync(minified, { level: 9 }).length;
// The JSONPath support is a file of its own, loaded only by modules that have JSONPath criteria.
const jsonPathSource = readFileSync(join(root, "runtime/runtime-jsonpath.ts"), "utf8");
const jsonPathGzipped = gzipSync((await transform(jsonPathSource, { loader: "ts", minify: true, format: "esm", target: "es2022" })).code, {
  level: 9,
}).length;

// --- Report ------------------------------------------------------------------------------------------------------

function median(list: readonly number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const ms = (value: number) => (value >= 100 ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(3)} ms`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const verdict = (met: boolean) => (met ? "met" : "missed");

const generated = median(perWorkflow.generated);
const hand = median(perWorkflow.hand);
const lines = [
  `runtime: ${SEED.split("/").pop()} (4 requests) against the Windmill simulator`,
  `${runs} workflows per in-process client in batches of ${batch} (medians of batch means; spread: min – max of wall time)`,
  `${"".padEnd(22)}${"per workflow".padStart(14)}${"CPU".padStart(12)}     spread`,
];
for (const client of ["generated", "hand"] as const) {
  const list = perWorkflow[client];
  lines.push(
    `${clients[client].label.padEnd(22)}${ms(median(list)).padStart(14)}${ms(median(cpuPerWorkflow[client])).padStart(12)}     ` +
      `${ms(Math.min(...list))} – ${ms(Math.max(...list))}`,
  );
}
const handRatio = generated / hand;
const cpuRatio = median(cpuPerWorkflow.generated) / median(cpuPerWorkflow.hand);
const ratios = [
  `generated / hand-written ${handRatio.toFixed(2)} (target <= ${TARGET_HAND_RATIO}: ${verdict(handRatio <= TARGET_HAND_RATIO)}), CPU time ${cpuRatio.toFixed(2)}`,
];
if (respectRuns.length > 0) {
  // Per workflow as a user runs it: a CLI run's wall time (start-up, loading the document and its 800 KB
  // OpenAPI, the workflows) over the workflows it ran. And Respect's own time for a workflow once it is up
  // (its JSON report), leaving out each process's first, cold workflow when there are more.
  const cli = median(respectRuns.map((r) => r.wallMs / respectWorkflows));
  const warm = respectRuns.flatMap((r) => (r.workflowMs.length > 1 ? r.workflowMs.slice(1) : r.workflowMs));
  const cold = respectRuns.map((r) => r.workflowMs[0]!);
  const inProcess = median(warm);
  lines.push(
    `${`Respect ${respectVersion} CLI`.padEnd(22)}${ms(cli).padStart(14)}     ${respectRuns.length} runs of ${respectWorkflows} workflow(s): start-up, loading, running`,
    `${"Respect, once up".padEnd(22)}${ms(inProcess).padStart(14)}     ${ms(Math.min(...warm))} – ${ms(Math.max(...warm))}; first workflow of a run ${ms(median(cold))} (its own report)`,
  );
  const factor = cli / generated;
  const inProcessFactor = inProcess / generated;
  ratios.push(
    `Respect CLI / generated ${factor.toFixed(0)}x (target >= ${TARGET_RESPECT_FACTOR}x: ${verdict(factor >= TARGET_RESPECT_FACTOR)})`,
    `Respect once up / generated ${inProcessFactor.toFixed(1)}x (${verdict(inProcessFactor >= TARGET_RESPECT_FACTOR)})`,
  );
}
lines.push(`ratios: ${ratios.join("; ")}`.replace(/; /g, "\n        "));
lines.push(
  `runtime.ts: ${kb(Buffer.byteLength(source))} source, ${kb(Buffer.byteLength(minified))} minified (esbuild), ` +
    `${kb(gzipped)} minified + gzipped (target < ${kb(TARGET_GZIP_BYTES)}: ${verdict(gzipped < TARGET_GZIP_BYTES)})`,
);
lines.push(`runtime-jsonpath.ts (only with JSONPath criteria): ${kb(jsonPathGzipped)} minified + gzipped`);
process.stdout.write(`${lines.join("\n")}\n`);
