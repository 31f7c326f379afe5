// In-process simulator of the slice of the Windmill HTTP API used by the Windmill seeds
// (see shared/reference/windmill-api.md, sections 2 and 5). node:http only, no dependencies.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptBehaviour {
  result?: unknown;
  success?: boolean;
  queuedMs?: number;
  runningMs?: number;
  neverCompletes?: boolean;
}

export interface WindmillSimulatorOptions {
  scripts?: Record<string, ScriptBehaviour>; // by script path, e.g. "f/demo/slow"
  defaultQueuedMs?: number; // default 0
  defaultRunningMs?: number; // default 0
}

export interface SimulatedJob {
  id: string;
  workspace: string;
  scriptPath: string;
  args: unknown;
  state: "queued" | "running" | "completed";
  success?: boolean;
  canceled: boolean;
  canceledReason?: string;
  deleted: boolean;
  result?: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string; // raw pathname as received (percent-encoding kept)
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
  at: number;
}

export interface WindmillSimulator {
  readonly url: string;
  readonly apiUrl: string;
  readonly adminToken: string;
  readonly userToken: string;
  job(id: string): SimulatedJob | undefined;
  jobs(): SimulatedJob[];
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/** Result of a successful script when its behaviour does not set one. */
export const DEFAULT_SCRIPT_RESULT: unknown = { ok: true };

interface User {
  username: string;
  email: string;
  isAdmin: boolean;
}

interface Cancellation {
  at: number;
  by: string;
  reason: string;
  startedAt: number; // running jobs keep their start; queued ones "start" at cancel time
}

interface JobRecord {
  id: string;
  workspace: string;
  scriptPath: string;
  args: unknown;
  createdAt: number;
  queuedMs: number;
  runningMs: number;
  neverCompletes: boolean;
  success: boolean;
  result: unknown;
  createdBy: User;
  cancellation?: Cancellation;
  deleted: boolean;
}

interface Reply {
  status: number;
  contentType: "text/plain" | "application/json";
  body: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (status: number, body: string): Reply => ({ status, contentType: "text/plain", body });
const json = (status: number, value: unknown): Reply => ({
  status,
  contentType: "application/json",
  body: JSON.stringify(value),
});

class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(reply.body);
  }
}

type Phase = { state: "queued" } | { state: "running"; startedAt: number } | { state: "completed"; startedAt: number; completedAt: number };

// State is derived from timestamps on demand, so no timers run and close() is immediate.
function phaseOf(job: JobRecord, now: number): Phase {
  if (job.cancellation) {
    return { state: "completed", startedAt: job.cancellation.startedAt, completedAt: job.cancellation.at };
  }
  const startedAt = job.createdAt + job.queuedMs;
  if (now < startedAt) return { state: "queued" };
  const completedAt = startedAt + job.runningMs;
  if (job.neverCompletes || now < completedAt) return { state: "running", startedAt };
  return { state: "completed", startedAt, completedAt };
}

function finalSuccess(job: JobRecord): boolean {
  return job.cancellation ? false : job.success;
}

function finalResult(job: JobRecord): unknown {
  const c = job.cancellation;
  if (c) {
    return {
      error: {
        message: `Job canceled: ${c.reason} by ${c.by}`,
        name: "Canceled",
        reason: c.reason,
        canceler: c.by,
      },
    };
  }
  return job.result;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function commonFields(job: JobRecord): Record<string, unknown> {
  return {
    id: job.id,
    workspace_id: job.workspace,
    parent_job: null,
    created_by: job.createdBy.username,
    created_at: iso(job.createdAt),
    script_path: job.scriptPath,
    script_hash: null,
    args: job.args,
    canceled: job.cancellation !== undefined,
    canceled_by: job.cancellation?.by ?? null,
    canceled_reason: job.cancellation?.reason ?? null,
    job_kind: "script",
    schedule_path: null,
    permissioned_as: `u/${job.createdBy.username}`,
    is_flow_step: false,
    language: "deno",
    email: job.createdBy.email,
    visible_to_owner: true,
    tag: "deno",
    priority: null,
  };
}

/** CompletedJob as served by /jobs_u/completed/get (no `type`). */
function completedJobBody(job: JobRecord, phase: Extract<Phase, { state: "completed" }>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...commonFields(job),
    started_at: iso(phase.startedAt),
    completed_at: iso(phase.completedAt),
    duration_ms: phase.completedAt - phase.startedAt,
    success: finalSuccess(job),
    is_skipped: false,
    deleted: job.deleted,
    mem_peak: null,
    labels: [],
    worker: "wk-simulator",
  };
  // Real server: result is SQL NULL after deletion and skipped when serializing.
  if (!job.deleted) body["result"] = finalResult(job);
  return body;
}

function queuedJobBody(job: JobRecord, phase: Exclude<Phase, { state: "completed" }>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...commonFields(job),
    scheduled_for: iso(job.createdAt),
    running: phase.state === "running",
    same_worker: false,
    suspend: 0,
  };
  // started_at and worker fields are absent (not null) while queued.
  if (phase.state === "running") {
    body["started_at"] = iso(phase.startedAt);
    body["last_ping"] = iso(Date.now());
    body["worker"] = "wk-simulator";
    body["mem_peak"] = null;
  }
  return body;
}

function defaultFailure(scriptPath: string): unknown {
  return {
    error: {
      name: "Error",
      message: `Script ${scriptPath} failed`,
      stack: `Error: Script ${scriptPath} failed\n    at main (/tmp/${scriptPath}.ts:1:1)`,
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(text(400, `Invalid URL: cannot percent-decode path segment ${segment}`));
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function tokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1];
  }
  const q = query.get("token");
  if (q) return q;
  // cookieAuth from the OpenAPI security schemes
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === "token" && v.length > 0) return v.join("=");
  }
  return undefined;
}

function isJsonContentType(req: IncomingMessage): boolean {
  const ct = (req.headers["content-type"] ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
  return ct === "application/json" || (ct.startsWith("application/") && ct.endsWith("+json"));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw new HttpError(text(400, `Failed to parse the request body as JSON: ${(e as Error).message}`));
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export async function startWindmillSimulator(options: WindmillSimulatorOptions = {}): Promise<WindmillSimulator> {
  const scripts = new Map(Object.entries(options.scripts ?? {}));
  const defaultQueuedMs = options.defaultQueuedMs ?? 0;
  const defaultRunningMs = options.defaultRunningMs ?? 0;
  const jobs = new Map<string, JobRecord>();
  const requests: RecordedRequest[] = [];

  // Random per instance, so tests cannot depend on a hard-coded secret.
  const adminToken = `wm_admin_${randomBytes(12).toString("hex")}`;
  const userToken = `wm_user_${randomBytes(12).toString("hex")}`;
  const users = new Map<string, User>([
    [adminToken, { username: "admin", email: "admin@windmill.dev", isAdmin: true }],
    [userToken, { username: "alice", email: "alice@windmill.dev", isAdmin: false }],
  ]);

  function authenticate(req: IncomingMessage, query: URLSearchParams): User {
    const token = tokenOf(req, query);
    const user = token === undefined ? undefined : users.get(token);
    if (!user) throw new HttpError(text(401, "Unauthorized: missing or invalid token"));
    return user;
  }

  function parseId(raw: string): string {
    const id = decodeSegment(raw);
    // Real handlers extract Path<Uuid>: a malformed id is a 400 before any lookup.
    if (!UUID_RE.test(id)) throw new HttpError(text(400, `Invalid URL: Cannot parse \`${id}\` as a UUID`));
    return id.toLowerCase();
  }

  // Jobs are scoped to their workspace, like the SQL lookups of the real server.
  function findJob(workspace: string, id: string): JobRecord | undefined {
    const job = jobs.get(id);
    return job && job.workspace === workspace ? job : undefined;
  }

  function runScript(workspace: string, scriptPath: string, user: User, query: URLSearchParams, body: string): Reply {
    const behaviour = scripts.get(scriptPath);
    if (!behaviour) return text(404, `Script not found at path ${scriptPath}`);
    // Lenient on Content-Type; an empty body means no args.
    const args = body.trim() === "" ? {} : parseJson(body);
    if (!isPlainObject(args)) return text(400, "Script args must be a JSON object");
    let id: string = randomUUID();
    const requestedId = query.get("job_id");
    if (requestedId !== null) {
      if (!UUID_RE.test(requestedId)) return text(400, `Invalid job_id ${requestedId}`);
      id = requestedId.toLowerCase();
      if (jobs.has(id)) return text(400, `Job ${id} already exists`);
    }
    const success = behaviour.success ?? true;
    jobs.set(id, {
      id,
      workspace,
      scriptPath,
      args,
      createdAt: Date.now(),
      queuedMs: behaviour.queuedMs ?? defaultQueuedMs,
      runningMs: behaviour.runningMs ?? defaultRunningMs,
      neverCompletes: behaviour.neverCompletes ?? false,
      success,
      result: "result" in behaviour ? behaviour.result : success ? DEFAULT_SCRIPT_RESULT : defaultFailure(scriptPath),
      createdBy: user,
      deleted: false,
    });
    return text(201, id);
  }

  function getJob(workspace: string, id: string): Reply {
    const job = findJob(workspace, id);
    if (!job) return text(404, `Job not found at name ${id}`);
    const phase = phaseOf(job, Date.now());
    if (phase.state === "completed") return json(200, { type: "CompletedJob", ...completedJobBody(job, phase) });
    return json(200, { type: "QueuedJob", ...queuedJobBody(job, phase) });
  }

  function getCompletedJob(workspace: string, id: string): Reply {
    const job = findJob(workspace, id);
    const phase = job && phaseOf(job, Date.now());
    if (!job || phase?.state !== "completed") return text(404, `Completed Job not found at name ${id}`);
    return json(200, completedJobBody(job, phase));
  }

  function getResultMaybe(workspace: string, id: string, query: URLSearchParams): Reply {
    const job = findJob(workspace, id);
    const phase = job && phaseOf(job, Date.now());
    if (job && phase?.state === "completed") {
      return json(200, {
        started: true,
        success: finalSuccess(job),
        completed: true,
        result: job.deleted ? null : finalResult(job),
      });
    }
    // Unknown ids are indistinguishable from pending ones: 200, never 404.
    const started = query.get("get_started") === "true" && phase ? phase.state === "running" : null;
    return json(200, { started, success: null, completed: false, result: null });
  }

  function cancelJob(workspace: string, id: string, user: User, req: IncomingMessage, body: string): Reply {
    // Body is an axum Json<CancelJob>: JSON content type required.
    if (!isJsonContentType(req)) return text(415, "Expected request with `Content-Type: application/json`");
    const parsed = parseJson(body);
    if (!isPlainObject(parsed)) return text(422, "Failed to deserialize the JSON body into the target type");
    const reason = parsed["reason"];
    if (reason !== undefined && reason !== null && typeof reason !== "string") {
      return text(422, "Failed to deserialize the JSON body into the target type: reason: expected a string");
    }
    const other = jobs.get(id);
    if (other && other.workspace !== workspace) return text(400, `job ${id} is not in workspace ${workspace}`);
    const job = findJob(workspace, id);
    if (!job) return text(404, `queued job id ${id} does not exist`);
    const now = Date.now();
    const phase = phaseOf(job, now);
    if (phase.state === "completed") return text(200, `queued job id ${id} is already completed`);
    // Simplification: queued and running jobs both complete as canceled at once
    // (the real server soft-cancels running jobs and the worker finishes them shortly after).
    job.cancellation = {
      at: now,
      by: user.username,
      reason: typeof reason === "string" ? reason : "unexplicited reasons",
      startedAt: phase.state === "running" ? phase.startedAt : now,
    };
    return text(200, id);
  }

  function deleteCompletedJob(workspace: string, id: string, user: User): Reply {
    if (!user.isAdmin) return text(403, `Require Admin privileges for ${user.username}`);
    const job = findJob(workspace, id);
    const phase = job && phaseOf(job, Date.now());
    if (!job || phase?.state !== "completed") return text(404, `Completed Job not found at name ${id}`);
    job.deleted = true;
    job.args = null;
    return json(200, completedJobBody(job, phase));
  }

  async function route(req: IncomingMessage, url: URL, body: string): Promise<Reply> {
    const method = req.method ?? "GET";
    const segments = url.pathname.split("/"); // raw: %2F stays inside its segment
    if (segments[1] !== "api" || segments[2] !== "w" || !segments[3] || segments.length < 5) {
      return text(404, "Not Found");
    }
    const workspace = decodeSegment(segments[3]);
    const rest = segments.slice(4);
    const key = rest.slice(0, -1).join("/");
    const last = rest[rest.length - 1] ?? "";
    const q = url.searchParams;

    // Catch-all script path: join the raw segments, then decode each (accepts "/" and "%2F").
    if (method === "POST" && rest[0] === "jobs" && rest[1] === "run" && rest[2] === "p" && rest.length > 3) {
      const scriptPath = rest.slice(3).map(decodeSegment).join("/");
      if (scriptPath === "") return text(404, "Not Found");
      const user = authenticate(req, q);
      return runScript(workspace, scriptPath, user, q, body);
    }

    const handlers: Record<string, { method: string; run: (user: User, id: string) => Reply }> = {
      "jobs_u/get": { method: "GET", run: (_u, id) => getJob(workspace, id) },
      "jobs_u/completed/get": { method: "GET", run: (_u, id) => getCompletedJob(workspace, id) },
      "jobs_u/completed/get_result_maybe": { method: "GET", run: (_u, id) => getResultMaybe(workspace, id, q) },
      "jobs_u/queue/cancel": { method: "POST", run: (u, id) => cancelJob(workspace, id, u, req, body) },
      "jobs/completed/delete": { method: "POST", run: (u, id) => deleteCompletedJob(workspace, id, u) },
    };
    const handler = Object.hasOwn(handlers, key) ? handlers[key] : undefined;
    if (!handler || handler.method !== method || last === "") return text(404, "Not Found");
    const user = authenticate(req, q);
    return handler.run(user, parseId(last));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    let body = "";
    let reply: Reply;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    try {
      body = await readBody(req);
      reply = await route(req, url, body);
    } catch (e) {
      reply = e instanceof HttpError ? e.reply : text(500, `Internal error: ${(e as Error).message}`);
    }
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(req),
      body,
      status: reply.status,
      at,
    });
    const payload = Buffer.from(reply.body, "utf8");
    res.writeHead(reply.status, {
      "content-type": `${reply.contentType}; charset=utf-8`,
      "content-length": String(payload.length),
    });
    res.end(payload);
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  function snapshot(job: JobRecord): SimulatedJob {
    const phase = phaseOf(job, Date.now());
    const snap: SimulatedJob = {
      id: job.id,
      workspace: job.workspace,
      scriptPath: job.scriptPath,
      args: job.args,
      state: phase.state,
      canceled: job.cancellation !== undefined,
      deleted: job.deleted,
    };
    if (job.cancellation) snap.canceledReason = job.cancellation.reason;
    if (phase.state === "completed") {
      snap.success = finalSuccess(job);
      if (!job.deleted) snap.result = finalResult(job);
    }
    return snap;
  }

  let closing: Promise<void> | undefined;

  return {
    url,
    apiUrl: `${url}/api`,
    adminToken,
    userToken,
    job: (id) => {
      const job = jobs.get(id.toLowerCase());
      return job && snapshot(job);
    },
    jobs: () => [...jobs.values()].map(snapshot),
    get requests(): readonly RecordedRequest[] {
      return requests;
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (e.g. from fetch) would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
