// The durable benchmark: N cleanup-seed workflows (run-script-and-cleanup-job: run, poll, read, delete)
// submitted at once through a Restate server to two worker processes, against the Windmill simulator; then
// the same N runs in-process (the generated function, all at once) in the same run. Checks that every
// workflow completed once with the right outputs (one run request and one delete per workflow, none lost,
// none duplicated), and prints the throughput of each and Restate's overhead per workflow.
//
//   npm run bench:durable                      1000 workflows, 2 worker processes
//   npm run bench:durable -- --workflows 200 --processes 2 --running-ms 100
//   npm run bench:durable -- --http1           workers serve HTTP/1.1 (Restate's request-response mode)
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { runScriptAndCleanupJob } from "../../out/durable/windmill-run-script-and-cleanup-job-workflow.js";
import { attach, submit } from "../../test/support/restate-client.js";
import { startRestateServer, startWorker } from "../../test/support/restate.js";
import { startWindmillSimulator, type WindmillSimulator } from "../../test/support/windmill-simulator.js";

const { values } = parseArgs({
  options: {
    workflows: { type: "string", default: "1000" },
    processes: { type: "string", default: "2" },
    "running-ms": { type: "string", default: "200" },
    "poll-ms": { type: "string", default: "100" },
    http1: { type: "boolean", default: false },
  },
});
const N = Number(values.workflows);
const PROCESSES = Number(values.processes);
const RUNNING_MS = Number(values["running-ms"]);
const POLL_MS = Number(values["poll-ms"]);
const WORKFLOW = "run-script-and-cleanup-job";
const SCRIPT_DURABLE = "f/bench/durable";
const SCRIPT_IN_PROCESS = "f/bench/in-process";

interface Outputs {
  jobId: string;
  result: unknown;
  success: boolean;
  deletedId: string;
}

function fail(message: string): never {
  process.stderr.write(`bench:durable: ${message}\n`);
  process.exit(1);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Every workflow completed once: right outputs, one run request and one delete each, every job deleted. */
function verify(sim: WindmillSimulator, script: string, outputs: Outputs[], label: string): void {
  const jobs = sim.jobs().filter((j) => j.scriptPath === script);
  const ids = new Set(outputs.map((o) => o.jobId));
  const runs = sim.requests.filter((r) => r.path.includes("/jobs/run/p/") && decodeURIComponent(r.path).endsWith(script));
  const deletes = sim.requests.filter((r) => r.path.includes("/jobs/completed/delete/") && ids.has(r.path.split("/").pop()!));
  const problems: string[] = [];
  if (outputs.length !== N) problems.push(`${outputs.length} results for ${N} workflows`);
  if (ids.size !== N) problems.push(`${ids.size} distinct jobs in the outputs`);
  if (jobs.length !== N) problems.push(`${jobs.length} jobs started on the server (lost or duplicated runs)`);
  if (runs.length !== N) problems.push(`${runs.length} run requests`);
  if (deletes.length !== N) problems.push(`${deletes.length} delete requests`);
  const wrong = outputs.filter((o) => o.deletedId !== o.jobId || o.success !== true || JSON.stringify(o.result) !== JSON.stringify({ n: 1 }));
  if (wrong.length > 0) problems.push(`${wrong.length} wrong outputs, e.g. ${JSON.stringify(wrong[0])}`);
  const undeleted = jobs.filter((j) => !j.deleted);
  if (undeleted.length > 0) problems.push(`${undeleted.length} jobs not deleted`);
  if (problems.length > 0) fail(`${label}: ${problems.join("; ")}`);
}

const sim = await startWindmillSimulator({
  scripts: {
    [SCRIPT_DURABLE]: { runningMs: RUNNING_MS, result: { n: 1 } },
    [SCRIPT_IN_PROCESS]: { runningMs: RUNNING_MS, result: { n: 1 } },
  },
});
const server = await startRestateServer();
const worker = await startWorker({ apiUrl: sim.apiUrl, token: sim.adminToken, processes: PROCESSES, pollIntervalMs: POLL_MS, http1: values.http1 });
try {
  await server.register(worker.url, { http1: values.http1 });

  // Durable: every workflow submitted at once, then the results awaited.
  const inputs = { workspace: "demo", path: SCRIPT_DURABLE, args: {} };
  const started = performance.now();
  const latencies: number[] = [];
  const submissions = await Promise.all(Array.from({ length: N }, (_, i) => submit(server.ingressUrl, WORKFLOW, `bench-${i}`, inputs)));
  const submittedMs = performance.now() - started;
  if (submissions.some((s) => s.status !== "Accepted")) fail("a submission was not accepted as new");
  const durable = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const result = await attach(server.ingressUrl, WORKFLOW, `bench-${i}`);
      latencies.push(performance.now() - started);
      if (result.status !== 200) fail(`workflow bench-${i} ended with ${result.status}: ${JSON.stringify(result.body)}`);
      return result.body as Outputs;
    }),
  );
  const durableMs = performance.now() - started;
  verify(sim, SCRIPT_DURABLE, durable, "durable");
  const perProcess = new Map<string, number>();
  for (const r of sim.requests) {
    const pid = r.headers["x-worker-pid"];
    if (pid !== undefined && r.path.includes("/jobs/run/p/")) perProcess.set(pid, (perProcess.get(pid) ?? 0) + 1);
  }

  // In-process: the same runs, all at once, with the same options in this process.
  const options = { servers: { windmillApi: sim.apiUrl }, poll: { intervalMs: POLL_MS, backoff: 1 } };
  const inProcessStarted = performance.now();
  const inProcessLatencies: number[] = [];
  const inProcess = await Promise.all(
    Array.from({ length: N }, async () => {
      const out = await runScriptAndCleanupJob({ token: sim.adminToken, workspace: "demo", path: SCRIPT_IN_PROCESS, args: {} }, options);
      inProcessLatencies.push(performance.now() - inProcessStarted);
      return out as Outputs;
    }),
  );
  const inProcessMs = performance.now() - inProcessStarted;
  verify(sim, SCRIPT_IN_PROCESS, inProcess, "in-process");

  latencies.sort((a, b) => a - b);
  inProcessLatencies.sort((a, b) => a - b);
  const polls = (script: string) =>
    sim.requests.filter((r) => r.path.includes("/get_result_maybe/")).filter((r) => sim.job(r.path.split("/").pop()!)?.scriptPath === script).length / N;
  console.log(`durable: ${N} cleanup-seed workflows (job running ${RUNNING_MS} ms, polled every ${POLL_MS} ms), submitted at once`);
  console.log(
    `                 total      throughput       p50       p95    polls/workflow`,
  );
  console.log(
    `restate     ${ms(durableMs).padStart(9)}  ${(N / (durableMs / 1000)).toFixed(0).padStart(7)} wf/s  ${ms(quantile(latencies, 0.5)).padStart(8)}  ${ms(quantile(latencies, 0.95)).padStart(8)}    ${polls(SCRIPT_DURABLE).toFixed(1)}`,
  );
  console.log(
    `in-process  ${ms(inProcessMs).padStart(9)}  ${(N / (inProcessMs / 1000)).toFixed(0).padStart(7)} wf/s  ${ms(quantile(inProcessLatencies, 0.5)).padStart(8)}  ${ms(quantile(inProcessLatencies, 0.95)).padStart(8)}    ${polls(SCRIPT_IN_PROCESS).toFixed(1)}`,
  );
  console.log(
    `overhead of Restate: ${((durableMs - inProcessMs) / N).toFixed(2)} ms per workflow of wall time at this concurrency (total ratio ${(durableMs / inProcessMs).toFixed(2)}); submitting all took ${ms(submittedMs)}`,
  );
  console.log(
    `all ${N} completed once each (${N} run requests, ${N} deletes, outputs checked); run requests per worker process: ${[...perProcess.values()].join(", ")}`,
  );
} finally {
  await worker.stop();
  await server.stop();
  await sim.close();
}
