// `npm run demo`: runs the compiled Windmill seed workflows (out/windmill, compiled just before by the npm
// script) against the bundled Windmill simulator, printing each request, each step and the outputs.
import { runScriptAndCleanupJob } from "../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
import { runScriptWithCancelGuard } from "../out/windmill/windmill-run-script-with-timeout-cancel-workflow.js";
import { WorkflowError, type WorkflowOptions } from "../out/windmill/runtime.js";
import { startWindmillSimulator } from "./support/windmill-simulator.js";

const sim = await startWindmillSimulator({
  scripts: {
    "f/demo/fast": { result: { greeting: "hello" } },
    "f/demo/slow": { queuedMs: 100, runningMs: 400, result: { rows: 42 } },
    "f/demo/stuck": { queuedMs: 60_000 },
    "f/demo/broken": { success: false },
  },
});

const options: WorkflowOptions = {
  servers: { windmillApi: sim.apiUrl },
  poll: { intervalMs: 100, backoff: 1.5, maxIntervalMs: 400 },
  hooks: {
    onResponse: (e) => console.log(`    ${e.method} ${e.url.replace(sim.apiUrl, "")} -> ${e.status} (${e.durationMs} ms)`),
    onStep: (e) => console.log(`  step ${e.stepId}${e.iteration > 1 ? ` (iteration ${e.iteration})` : ""}: ${e.outcome}`),
  },
};

async function show(title: string, run: () => Promise<unknown>): Promise<void> {
  console.log(`\n${title}`);
  try {
    console.log("  outputs:", JSON.stringify(await run()));
  } catch (error) {
    if (!(error instanceof WorkflowError)) throw error;
    console.log(`  WorkflowError (reason ${error.reason}, step ${error.stepId}, status ${error.status}): ${error.message}`);
  }
}

try {
  console.log(`Windmill simulator on ${sim.url}`);
  const admin = { token: sim.adminToken, workspace: "demo" };
  await show("run-script-with-cancel-guard, a fast script (already complete when inspected):", () =>
    runScriptWithCancelGuard({ ...admin, path: "f/demo/fast", args: { name: "arazzo" }, cancelReason: "too slow" }, options),
  );
  await show("run-script-with-cancel-guard, a script still queued when inspected (canceled):", () =>
    runScriptWithCancelGuard({ ...admin, path: "f/demo/stuck", args: {}, cancelReason: "too slow" }, options),
  );
  await show("run-script-and-cleanup-job, a slow script (polled until done, then deleted):", () =>
    runScriptAndCleanupJob({ ...admin, path: "f/demo/slow", args: { n: 1 } }, options),
  );
  await show("run-script-and-cleanup-job, a failing script:", () =>
    runScriptAndCleanupJob({ ...admin, path: "f/demo/broken", args: {} }, options),
  );
  await show("run-script-and-cleanup-job with a non-admin token (delete is admin-only):", () =>
    runScriptAndCleanupJob({ token: sim.userToken, workspace: "demo", path: "f/demo/fast", args: {} }, options),
  );
} finally {
  await sim.close();
}
