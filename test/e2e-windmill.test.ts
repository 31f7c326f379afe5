// The generated Windmill clients (out/windmill) run against the Windmill simulator: every branch of both
// seed workflows, the failure paths and the run limits.
import { afterEach, describe, expect, it } from "vitest";
import { runScriptAndCleanupJob } from "../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
import { runScriptWithCancelGuard } from "../out/windmill/windmill-run-script-with-timeout-cancel-workflow.js";
import { WorkflowError, type StepEvent, type WorkflowOptions } from "../out/windmill/runtime.js";
import { waitFor } from "./support/wait-for.js";
import { startWindmillSimulator, type WindmillSimulator, type WindmillSimulatorOptions } from "./support/windmill-simulator.js";

let sim: WindmillSimulator | undefined;

async function simulator(options: WindmillSimulatorOptions): Promise<WindmillSimulator> {
  sim = await startWindmillSimulator(options);
  return sim;
}

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function optionsFor(s: WindmillSimulator, extra: WorkflowOptions = {}): WorkflowOptions {
  return { servers: { windmillApi: s.apiUrl }, poll: { intervalMs: 20, backoff: 1 }, ...extra };
}

/** Runs a workflow expecting it to fail; returns the WorkflowError. */
async function failure(promise: Promise<unknown>): Promise<WorkflowError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    return error as WorkflowError;
  }
  throw new Error("the workflow succeeded but was expected to fail");
}

const requestsTo = (s: WindmillSimulator, fragment: string) => s.requests.filter((r) => r.path.includes(fragment));

describe("runScriptWithCancelGuard", () => {
  it("reads the result of a job that is already complete when inspected; no cancel", async () => {
    const s = await simulator({ scripts: { "f/demo/fast": { result: { sum: 3 } } } });
    const out = await runScriptWithCancelGuard(
      { token: s.adminToken, workspace: "demo", path: "f/demo/fast", args: { a: 1, b: 2 }, cancelReason: "too slow" },
      optionsFor(s),
    );
    expect(out.jobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.result).toEqual({ sum: 3 });
    expect("cancelConfirmation" in out).toBe(false);
    expect(requestsTo(s, "/queue/cancel/")).toHaveLength(0);
    const job = s.job(out.jobId)!;
    expect(job.state).toBe("completed");
    expect(job.canceled).toBe(false);
    expect(job.args).toEqual({ a: 1, b: 2 });
  });

  it("cancels a slow job: the job is canceled on the server and cancelConfirmation is its UUID", async () => {
    const s = await simulator({ scripts: { "f/demo/slow": { queuedMs: 10_000, runningMs: 10_000 } } });
    const out = await runScriptWithCancelGuard(
      { token: s.adminToken, workspace: "demo", path: "f/demo/slow", args: { a: 1 }, cancelReason: "too slow" },
      optionsFor(s),
    );
    expect(out.cancelConfirmation).toBe(out.jobId);
    expect("result" in out).toBe(false);
    const job = s.job(out.jobId)!;
    expect(job.canceled).toBe(true);
    expect(job.canceledReason).toBe("too slow");
    expect(job.success).toBe(false);
    // The script path with its slashes reached the run route.
    expect(job.scriptPath).toBe("f/demo/slow");
    expect(requestsTo(s, "/completed/get/")).toHaveLength(0);
  });

  it("sends the token as a Bearer header and the cancel reason as a JSON body", async () => {
    const s = await simulator({ scripts: { "f/demo/slow": { queuedMs: 10_000 } } });
    await runScriptWithCancelGuard(
      { token: s.userToken, workspace: "demo", path: "f/demo/slow", args: {}, cancelReason: "stop" },
      optionsFor(s),
    );
    for (const r of s.requests) expect(r.headers["authorization"]).toBe(`Bearer ${s.userToken}`);
    const cancel = requestsTo(s, "/queue/cancel/")[0]!;
    expect(cancel.method).toBe("POST");
    expect(cancel.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(cancel.body)).toEqual({ reason: "stop" });
  });
});

describe("runScriptAndCleanupJob", () => {
  it("polls a slow job with waits between polls, captures result and success, and deletes the job", async () => {
    const s = await simulator({ scripts: { "f/demo/slow": { queuedMs: 50, runningMs: 250, result: { rows: 42 } } } });
    const steps: StepEvent[] = [];
    const out = await runScriptAndCleanupJob(
      { token: s.adminToken, workspace: "demo", path: "f/demo/slow", args: { n: 1 } },
      optionsFor(s, { poll: { intervalMs: 40, backoff: 1 }, hooks: { onStep: (e) => void steps.push(e) } }),
    );
    expect(out).toEqual({ jobId: out.jobId, result: { rows: 42 }, success: true, deletedId: out.jobId });
    const polls = requestsTo(s, "/get_result_maybe/");
    expect(polls.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(35);
    expect(steps.filter((e) => e.stepId === "pollResult").map((e) => e.iteration)).toEqual(polls.map((_, i) => i + 1));
    const job = s.job(out.jobId)!;
    expect(job.deleted).toBe(true);
    expect(job.result).toBeUndefined();
  });

  it("returns success: false for a failing script", async () => {
    const s = await simulator({ scripts: { "f/demo/broken": { success: false, result: { error: { name: "Error", message: "boom" } } } } });
    const out = await runScriptAndCleanupJob({ token: s.adminToken, workspace: "demo", path: "f/demo/broken", args: {} }, optionsFor(s));
    expect(out.success).toBe(false);
    expect(out.result).toEqual({ error: { name: "Error", message: "boom" } });
    expect(s.job(out.jobId)!.deleted).toBe(true);
  });

  it("fails at deleteJob with status 403 for a non-admin token, without leaking the token", async () => {
    const s = await simulator({ scripts: { "f/demo/fast": {} } });
    const error = await failure(
      runScriptAndCleanupJob({ token: s.userToken, workspace: "demo", path: "f/demo/fast", args: {} }, optionsFor(s)),
    );
    expect(error.workflowId).toBe("run-script-and-cleanup-job");
    expect(error.stepId).toBe("deleteJob");
    expect(error.status).toBe(403);
    expect(error.reason).toBe("http");
    expect(error.bodyExcerpt).toContain("Require Admin");
    expect(error.message).not.toContain(s.userToken);
    expect(JSON.stringify(error)).not.toContain(s.userToken);
  });

  it("fails at runScript with status 401 for a bad token, without leaking the token", async () => {
    const s = await simulator({ scripts: { "f/demo/fast": {} } });
    const token = "not-a-valid-token-123";
    const error = await failure(runScriptAndCleanupJob({ token, workspace: "demo", path: "f/demo/fast", args: {} }, optionsFor(s)));
    expect(error.stepId).toBe("runScript");
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(token);
    expect(s.jobs()).toHaveLength(0);
  });

  it("stops a job that never finishes at timeoutMs", async () => {
    const s = await simulator({ scripts: { "f/demo/stuck": { neverCompletes: true } } });
    const started = Date.now();
    const error = await failure(
      runScriptAndCleanupJob({ token: s.adminToken, workspace: "demo", path: "f/demo/stuck", args: {} }, optionsFor(s, { timeoutMs: 300 })),
    );
    expect(error.reason).toBe("timeout");
    expect(error.stepId).toBe("pollResult");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(requestsTo(s, "/get_result_maybe/").length).toBeGreaterThanOrEqual(2);
  });

  it("stops a job that never finishes at maxSteps", async () => {
    const s = await simulator({ scripts: { "f/demo/stuck": { neverCompletes: true } } });
    const error = await failure(
      runScriptAndCleanupJob(
        { token: s.adminToken, workspace: "demo", path: "f/demo/stuck", args: {} },
        optionsFor(s, { maxSteps: 5, poll: { intervalMs: 1 } }),
      ),
    );
    expect(error.reason).toBe("max-steps");
    expect(requestsTo(s, "/get_result_maybe/")).toHaveLength(4);
  });

  it("stops when the caller's signal aborts", async () => {
    const s = await simulator({ scripts: { "f/demo/stuck": { neverCompletes: true } } });
    const controller = new AbortController();
    const run = runScriptAndCleanupJob(
      { token: s.adminToken, workspace: "demo", path: "f/demo/stuck", args: {} },
      optionsFor(s, { signal: controller.signal, poll: { intervalMs: 10_000 } }),
    );
    // Abort once the loop is waiting between polls.
    await waitFor(() => requestsTo(s, "/get_result_maybe/").length >= 1, { timeoutMs: 5000 });
    controller.abort();
    const error = await failure(run);
    expect(error.reason).toBe("aborted");
  });

  it("resolves the relative server URL /api against baseUrl", async () => {
    const s = await simulator({ scripts: { "f/demo/fast": {} } });
    const out = await runScriptAndCleanupJob(
      { token: s.adminToken, workspace: "demo", path: "f/demo/fast", args: {} },
      { baseUrl: s.url, poll: { intervalMs: 10 } },
    );
    expect(out.success).toBe(true);
  });

  it("says clearly when no absolute server URL can be formed", async () => {
    const error = await failure(runScriptAndCleanupJob({ token: "t0ken", workspace: "demo", path: "f/demo/fast", args: {} }));
    expect(error.reason).toBe("config");
    expect(error.message).toContain("options.servers.windmillApi");
  });

  it("rejects inputs that do not match the inputs schema before any request", async () => {
    const s = await simulator({});
    const bad = { token: s.adminToken, workspace: 7, path: "f/demo/fast" } as unknown as Parameters<typeof runScriptAndCleanupJob>[0];
    const error = await failure(runScriptAndCleanupJob(bad, optionsFor(s)));
    expect(error.reason).toBe("inputs");
    // One problem per property, in the order the schema declares them.
    expect(error.problems).toEqual(["/workspace must be a string", "/args is required"]);
    expect(s.requests).toHaveLength(0);
  });
});
