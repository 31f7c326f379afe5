// `npm run demo:durable`: the Windmill seeds as Restate workflows (out/durable, compiled with --durable restate
// just before by the npm script) on a Restate server started here, against the Windmill simulator. The
// cleanup seed's worker is killed (SIGKILL) while it waits between polls; a new worker takes its place and
// the run goes on from its journal: the job is started once and deleted once.
import { attach, runWorkflow, submit } from "./support/restate-client.js";
import { startRestateServer, startWorker, type RestateServer, type Worker } from "./support/restate.js";
import { waitFor } from "./support/wait-for.js";
import { startWindmillSimulator } from "./support/windmill-simulator.js";

const sim = await startWindmillSimulator({
  scripts: {
    "f/demo/fast": { result: { greeting: "hello" } },
    "f/demo/queued": { queuedMs: 60_000 },
    "f/demo/long": { runningMs: 3000, result: { rows: 42 } },
  },
});
const started = Date.now();
const log = (text: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${text}`);
const workers: Worker[] = [];
let server: RestateServer | undefined;

/** The journal of a workflow key's run: one line per entry. */
async function printJournal(workflowId: string, key: string): Promise<void> {
  const rows = await server!.query(
    `SELECT j.index, j.entry_type, j.name FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target_service_name = '${workflowId}' AND i.target_service_key = '${key}' ORDER BY j.index`,
  );
  console.log(`         journal of ${workflowId}/${key}:`);
  for (const r of rows) console.log(`           ${String(r["index"]).padStart(2)}  ${String(r["entry_type"]).padEnd(22)} ${String(r["name"] ?? "")}`);
}

const requestsTo = (fragment: string, jobId?: string) =>
  sim.requests.filter((r) => r.path.includes(fragment) && (jobId === undefined || r.path.endsWith(jobId)));

try {
  server = await startRestateServer();
  log(`Restate server: ingress ${server.ingressUrl}, admin ${server.adminUrl}; Windmill simulator on ${sim.url}`);
  const first = await startWorker({ apiUrl: sim.apiUrl, token: sim.adminToken, pollIntervalMs: 1000 });
  workers.push(first);
  await server.register(first.url);
  log(`worker 1 (pid ${first.pid}) registered at ${first.url}; it holds the Windmill token, invocations do not carry it`);

  console.log("\nrun-script-with-cancel-guard, both branches:");
  for (const [key, path] of [
    ["demo-fast", "f/demo/fast"],
    ["demo-queued", "f/demo/queued"],
  ] as const) {
    const { status, body } = await runWorkflow(server.ingressUrl, "run-script-with-cancel-guard", key, {
      workspace: "demo",
      path,
      args: {},
      cancelReason: "too slow",
    });
    log(`${path}: ${status} ${JSON.stringify(body)}`);
    await printJournal("run-script-with-cancel-guard", key);
  }

  console.log("\nrun-script-and-cleanup-job with a job that runs 3 s, the worker killed while it waits between polls:");
  await submit(server.ingressUrl, "run-script-and-cleanup-job", "demo-crash", { workspace: "demo", path: "f/demo/long", args: {} });
  const jobId = await waitFor(() => sim.jobs().find((j) => j.scriptPath === "f/demo/long")?.id, { timeoutMs: 20_000 });
  log(`job ${jobId} started`);
  await waitFor(() => requestsTo("/get_result_maybe/", jobId).length >= 1, { timeoutMs: 20_000 });
  log(`first poll answered: not complete; the worker now waits on a durable timer`);
  await first.kill();
  log(`worker 1 killed with SIGKILL`);
  const second = await startWorker({ apiUrl: sim.apiUrl, token: sim.adminToken, pollIntervalMs: 1000, port: first.port });
  workers.push(second);
  log(`worker 2 (pid ${second.pid}) started at the same address; Restate retries the run there`);
  const { status, body } = await attach(server.ingressUrl, "run-script-and-cleanup-job", "demo-crash");
  log(`completed: ${status} ${JSON.stringify(body)}`);
  log(
    `the simulator saw ${requestsTo("/jobs/run/p/f%2Fdemo%2Flong").length} run request, ${requestsTo("/get_result_maybe/", jobId).length} polls, ` +
      `${requestsTo("/completed/get/", jobId).length} read and ${requestsTo("/jobs/completed/delete/", jobId).length} delete; job deleted: ${sim.job(jobId)?.deleted}`,
  );
  await printJournal("run-script-and-cleanup-job", "demo-crash");
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await server?.stop();
  await sim.close();
}
