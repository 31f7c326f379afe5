// arazzoc runtime: copied as runtime.ts next to the generated workflow modules. No dependencies and no
// Node-only APIs, so the generated clients run in Node, Deno, Bun and browsers.

// ---------------------------------------------------------------------------------------------------
// Options and errors
// ---------------------------------------------------------------------------------------------------

/** Waiting between iterations of a polling loop (a goto back to a step that already ran). */
export interface PollOptions {
  /** Wait before the first repeat, in milliseconds. Default 1000. */
  intervalMs?: number;
  /** Each further repeat of the same step waits this factor longer. Default 1.5. */
  backoff?: number;
  /** Upper bound of the wait. Default 30000. */
  maxIntervalMs?: number;
  /** Adds up to this fraction of random extra wait (0 to 1), so many clients do not poll in step. Default 0. */
  jitter?: number;
}

export interface RequestEvent {
  readonly workflowId: string;
  readonly stepId: string;
  readonly method: string;
  /** The URL with secret values replaced by [redacted]. */
  readonly url: string;
  /** Headers, credentials replaced by [redacted]. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  readonly durationMs: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
}

export interface StepEvent {
  readonly workflowId: string;
  readonly stepId: string;
  readonly outcome: "success" | "failure";
  /** 1 for the first run of the step, 2 for its first repeat, and so on. */
  readonly iteration: number;
  readonly status?: number;
}

export interface WorkflowHooks {
  onRequest?(event: RequestEvent): void | Promise<void>;
  onResponse?(event: ResponseEvent): void | Promise<void>;
  onStep?(event: StepEvent): void | Promise<void>;
}

export interface WorkflowOptions {
  /** Base URL per source description name; replaces the OpenAPI server URL, e.g. { api: "https://host/api" }. */
  servers?: Readonly<Record<string, string>>;
  /** Resolves relative OpenAPI server URLs (such as "/api") when `servers` does not name the source. */
  baseUrl?: string;
  /** The fetch to use; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Headers added to every request (a step's own parameters win). */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the run; it ends with a WorkflowError of reason "aborted". */
  signal?: AbortSignal;
  /** Limit for the whole run, waits included. */
  timeoutMs?: number;
  /** Limit for each request. */
  requestTimeoutMs?: number;
  /** Most step executions in one run (loops included). Default 1000. */
  maxSteps?: number;
  poll?: PollOptions;
  hooks?: WorkflowHooks;
  /** Follow HTTP redirects instead of handing the 3xx response to the step. Default false. */
  followRedirects?: boolean;
  /** Values of OpenAPI server variables, per source description name (the description's defaults otherwise). */
  serverVariables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Inputs of the workflows a workflow depends on (dependsOn) or that retry actions run, by workflowId. Default {}. */
  inputsByWorkflowId?: Readonly<Record<string, unknown>>;
}

export type WorkflowErrorReason =
  | "criteria" // the response did not meet the step's success criteria
  | "http" // ... and its status was an error status (4xx, 5xx)
  | "response" // the response could not be decoded (e.g. malformed JSON)
  | "network" // no response: connection refused, reset, DNS
  | "timeout" // timeoutMs elapsed: the whole run is over
  | "request-timeout" // requestTimeoutMs elapsed with no response: the step failed (failure actions may retry it)
  | "aborted" // the caller's signal
  | "max-steps" // maxSteps step executions
  | "inputs" // the inputs do not match the workflow's inputs schema
  | "config"; // no usable server URL

export interface WorkflowErrorDetails {
  readonly workflowId: string;
  readonly stepId?: string;
  readonly reason: WorkflowErrorReason;
  readonly status?: number;
  readonly bodyExcerpt?: string;
  readonly problems?: readonly string[];
  readonly cause?: unknown;
}

/** Every failure of a generated workflow function is a WorkflowError. Its texts never carry secrets. */
export class WorkflowError extends Error {
  readonly workflowId: string;
  readonly stepId: string | undefined;
  readonly reason: WorkflowErrorReason;
  readonly status: number | undefined;
  /** At most 500 characters of the response body, secrets redacted. */
  readonly bodyExcerpt: string | undefined;
  /** For reason "inputs": each problem with the JSON pointer of the input it concerns. */
  readonly problems: readonly string[];

  constructor(message: string, details: WorkflowErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "WorkflowError";
    this.workflowId = details.workflowId;
    this.stepId = details.stepId;
    this.reason = details.reason;
    this.status = details.status;
    this.bodyExcerpt = details.bodyExcerpt;
    this.problems = details.problems ?? [];
  }
}

// ---------------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------------

export type ParameterLocation = "path" | "query" | "header" | "cookie";

export interface RequestParameter {
  readonly in: ParameterLocation;
  readonly name: string;
  readonly value: unknown;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  /** For a parameter declared with `content`: its media type; the value goes as JSON text for JSON types, else as text. */
  readonly contentType?: string;
}

export interface StepRequest {
  /** Source description name, the key of WorkflowOptions.servers. */
  readonly source: string;
  /** The operation's server URL from the OpenAPI description (may be relative; may hold {variables}). */
  readonly server?: string;
  /** The defaults of the server URL's variables. */
  readonly serverVariables?: Readonly<Record<string, string>>;
  readonly method: string;
  /** The path template, e.g. "/w/{workspace}/jobs/run/p/{path}". */
  readonly path: string;
  readonly parameters: readonly RequestParameter[];
  readonly body?: { readonly contentType: string; readonly value: unknown };
}

export interface StepResponse {
  readonly status: number;
  readonly url: string;
  readonly method: string;
  /** Decoded body: parsed JSON for JSON media types, text otherwise, undefined when empty. */
  readonly body: unknown;
  /** Response headers by lower-case name (repeated headers joined with ", "). */
  readonly headers: Readonly<Record<string, string>>;
  /** A response header by name, case-insensitively. */
  header(name: string): string | undefined;
  /** Set when no usable response was had: no answer (status 0) or an undecodable body. Fails the step. */
  readonly error?: WorkflowError;
}

const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
const REDACTED = "[redacted]";

/** JSON media types: application/json, every +json type (application/problem+json, ...), and text/json. */
function isJsonMedia(contentType: string): boolean {
  return /^[\w.+-]+\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);
}

/**
 * Percent-encoding (RFC 3986): everything but unreserved characters. With allowReserved (RFC 6570 reserved
 * expansion), reserved characters and percent-encoded triples pass unchanged, except "#", which would end the
 * URL. Undefined: no encoding (header values).
 */
function encode(value: string, allowReserved: boolean | undefined): string {
  if (allowReserved === undefined || !/[^\w.~-]/.test(value)) return value;
  // A lone surrogate is no text: toWellFormed (ES2024) makes it U+FFFD, where encodeURIComponent would throw.
  let encoded = encodeURIComponent((value as { toWellFormed?(): string }).toWellFormed?.() ?? value);
  encoded = encoded.replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return allowReserved
    ? encoded.replace(/%(2[146-9A-CF]|3[ABDF]|40|5[BD])/g, decodeURIComponent).replace(/%25([\dA-F]{2})/gi, "%$1")
    : encoded;
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * An array or object parameter value as RFC 6570 sees it: its members as text (nested values as JSON, null
 * members left out). Undefined for null, [] and {}, which RFC 6570 calls undefined.
 */
function entriesOf(value: object | null): { array: boolean; pairs: [string, string][] } | undefined {
  if (value === null) return undefined;
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) pairs.push([k, scalarText(v)]);
  return pairs.length > 0 ? { array: Array.isArray(value), pairs } : undefined;
}

/** RFC 6570 operators by style (query and cookie are form): prefix, separator of exploded members, name=value, empty value. */
const OPERATORS: Readonly<Record<string, readonly [string, string, boolean, string]>> = {
  query: ["", "&", true, "="],
  cookie: ["", "; ", true, "="],
  matrix: [";", ";", true, ""],
  label: [".", ".", false, ""],
  simple: ["", ",", false, ""],
};

/**
 * A parameter as its location and style place it: a path segment (simple, label, matrix), query pairs (form,
 * spaceDelimited, pipeDelimited, deepObject), a header value (simple) or cookie pairs (form). The expansion is
 * RFC 6570's, as the OpenAPI 3.1 style examples table shows it; explode defaults to true for form only. Header
 * values are never percent-encoded, nor are cookies of style cookie (OpenAPI 3.2) or declared with `content`.
 * Cookie pairs are separated by "; " as cookies are: "&" is never right in a Cookie header.
 */
function serialize(p: RequestParameter, value: unknown): string {
  const where = p.in;
  const style = p.style ?? (where === "query" || where === "cookie" ? "form" : "simple");
  const explode = p.explode ?? (style === "form" || style === "cookie");
  const mode =
    where === "header" || (where === "cookie" && (style === "cookie" || p.contentType !== undefined))
      ? undefined
      : where !== "cookie" && p.allowReserved === true;
  const name = where === "cookie" ? p.name : encode(p.name, false);
  const [first, sep, named, ifEmpty] =
    OPERATORS[where === "query" || where === "cookie" ? where : style === "matrix" || style === "label" ? style : "simple"]!;
  if (typeof value !== "object") {
    const text = encode(scalarText(value), mode);
    return first + (!named ? text : text === "" ? name + ifEmpty : `${name}=${text}`);
  }
  const e = entriesOf(value);
  if (e === undefined) return first + (named ? name + ifEmpty : "");
  const object = !e.array;
  const pairs = e.pairs.map(([k, v]) => [encode(k, mode), encode(v, mode)] as const);
  if (where === "query") {
    if (style === "deepObject" && object) return pairs.map(([k, v]) => `${name}%5B${k}%5D=${v}`).join("&");
    const delimiter = style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "%7C" : "";
    if (delimiter && !explode) return `${name}=${pairs.map(([k, v]) => (object ? k + delimiter + v : v)).join(delimiter)}`;
  }
  // Unexploded lists and maps, and the combinations the table leaves undefined, as form does.
  if (!explode) {
    const list = pairs.map(([k, v]) => (object ? `${k},${v}` : v)).join(",");
    return first + (named ? `${name}=${list}` : list);
  }
  return (
    first +
    pairs
      .map(([k, v]) => (!object && !named ? v : v === "" && named ? (object ? k : name) + ifEmpty : `${object ? k : name}=${v}`))
      .join(sep)
  );
}

/** Bytes, sent as they are: a Blob (or File), an ArrayBuffer, a typed array or DataView. */
function isBinary(value: unknown): value is Blob | ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob !== "undefined" && value instanceof Blob);
}

/**
 * A request body in its media type. Bytes go as they are; JSON media types as JSON text; an object as
 * application/x-www-form-urlencoded pairs or multipart/form-data parts (arrays repeat their name, nested values
 * go as JSON, null as empty, bytes as file parts); anything else (a form string, text/plain, XML,
 * application/octet-stream) as text.
 */
function encodeBody(contentType: string, value: unknown): BodyInit {
  if (isBinary(value)) return value as BodyInit;
  if (isJsonMedia(contentType)) return JSON.stringify(value === undefined ? null : value);
  const urlencoded = /^application\/x-www-form-urlencoded/i.test(contentType);
  if ((!urlencoded && !/^multipart\/form-data/i.test(contentType)) || typeof value !== "object" || value === null) return scalarText(value);
  const form = urlencoded ? new URLSearchParams() : new FormData();
  for (const [name, member] of Object.entries(value))
    for (const item of Array.isArray(member) ? (member as unknown[]) : [member]) {
      if (item === undefined) continue;
      if (form instanceof FormData && isBinary(item)) form.append(name, item instanceof Blob ? item : new Blob([item as BlobPart]));
      else form.append(name, item === null ? "" : scalarText(item));
    }
  return urlencoded ? form.toString() : (form as FormData);
}

/**
 * A response body by its media type: JSON media types parsed (`malformed` says why they could not be), any other
 * as text; an empty body (204, HEAD, or no bytes, or only blanks for JSON) is undefined.
 */
function decodeBody(response: Response, text: string): { body: unknown; text: string; malformed?: string } {
  const contentType = response.headers.get("content-type") ?? "";
  if (!isJsonMedia(contentType)) return { body: text === "" ? undefined : text, text };
  if (text.trim() === "") return { body: undefined, text };
  try {
    return { body: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { body: text, text, malformed: `the ${contentType} body is not valid JSON (${(error as Error).message})` };
  }
}

/** A StepResponse; its headers record is made when first read (most steps read one header, or none). */
class Answer implements StepResponse {
  readonly status: number;
  readonly url: string;
  readonly method: string;
  readonly body: unknown;
  error?: WorkflowError;
  private readonly raw: Headers;
  private all: Record<string, string> | undefined;

  constructor(status: number, url: string, method: string, body: unknown, raw: Headers) {
    this.status = status;
    this.url = url;
    this.method = method;
    this.body = body;
    this.raw = raw;
  }

  /** By lower-case name; repeated headers joined with ", ", as Headers.get joins them. */
  get headers(): Readonly<Record<string, string>> {
    if (this.all) return this.all;
    const all: Record<string, string> = {};
    for (const [name, value] of this.raw) all[name] = all[name] === undefined ? value : `${all[name]}, ${value}`;
    return (this.all = all);
  }

  header(name: string): string | undefined {
    try {
      return this.raw.get(name) ?? undefined;
    } catch {
      return undefined; // not a header name (Headers.get throws)
    }
  }
}

/** A fetch failure as text: its message and its cause's ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as milliseconds from now. */
function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// ---------------------------------------------------------------------------------------------------
// A run of one workflow
// ---------------------------------------------------------------------------------------------------

export interface WorkflowDefinition {
  readonly workflowId: string;
  /** Names of inputs whose values are secrets (format: password, or sent as credentials). */
  readonly secretInputs: readonly string[];
}

/** What all workflows of one call share: options, limits, secrets, and the results of dependencies. */
interface RunShared {
  readonly options: WorkflowOptions;
  readonly deadline: number | undefined;
  stepCount: number;
  /** Secret values, longest first, so a secret that contains another is redacted whole. */
  secrets: string[];
  /** dependsOn results by workflowId: each dependency runs once per call. */
  readonly completed: Map<string, Promise<unknown>>;
  lastRetryAfterMs: number | undefined;
}

/** Internal: the state of one workflow within a call of a generated function. */
export class WorkflowRun {
  private readonly shared: RunShared;
  private readonly runs = new Map<string, number>();
  private readonly retries = new Map<string, number>();
  private retrying: { stepId: string; delayMs: number } | undefined;
  private readonly returns = new Map<string, string>();
  private readonly bodies = new WeakMap<StepResponse, string>();

  private constructor(
    private readonly definition: WorkflowDefinition,
    shared: RunShared,
    inputs: unknown,
  ) {
    this.shared = shared;
    const record = (typeof inputs === "object" && inputs !== null ? inputs : {}) as Record<string, unknown>;
    const secrets = definition.secretInputs
      .map((name) => record[name])
      .filter((v): v is string | number => (typeof v === "string" && v.length >= 3) || typeof v === "number")
      .map(String);
    if (secrets.length > 0) shared.secrets = [...new Set([...shared.secrets, ...secrets])].sort((a, b) => b.length - a.length);
  }

  /** The run of a workflow function called by a user. */
  static start(definition: WorkflowDefinition, options: WorkflowOptions | undefined, inputs: unknown): WorkflowRun {
    const o = options ?? {};
    const shared: RunShared = {
      options: o,
      deadline: o.timeoutMs !== undefined ? Date.now() + o.timeoutMs : undefined,
      stepCount: 0,
      secrets: [],
      completed: new Map(),
      lastRetryAfterMs: undefined,
    };
    return new WorkflowRun(definition, shared, inputs);
  }

  /** The run of a workflow called from this one (a workflowId step, a dependency): same limits and options. */
  child(definition: WorkflowDefinition, inputs: unknown): WorkflowRun {
    return new WorkflowRun(definition, this.shared, inputs);
  }

  private get options(): WorkflowOptions {
    return this.shared.options;
  }

  /** Replaces every secret value in a text by [redacted]. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.shared.secrets) {
      // The value as it is, and as URLs, form bodies and JSON strings carry it.
      const form = new URLSearchParams([["", secret]]).toString().slice(1);
      for (const shown of new Set([secret, encodeURIComponent(secret), encode(secret, false), form, JSON.stringify(secret).slice(1, -1)]))
        out = out.split(shown).join(REDACTED);
    }
    return out;
  }

  private error(message: string, details: Omit<WorkflowErrorDetails, "workflowId">): WorkflowError {
    const where = details.stepId !== undefined ? ` at step ${details.stepId}` : "";
    return new WorkflowError(this.redact(`Workflow ${this.definition.workflowId} failed${where}: ${message}`), {
      workflowId: this.definition.workflowId,
      ...details,
    });
  }

  /** Throws a WorkflowError of reason "inputs" when the generated input check found problems. */
  checkInputs(problems: readonly string[]): void {
    if (problems.length === 0) return;
    throw this.error(`the inputs do not match the inputs schema: ${problems.join("; ")}`, {
      reason: "inputs",
      problems: problems.map((p) => this.redact(p)),
    });
  }

  private stopIfDone(stepId: string): void {
    if (this.options.signal?.aborted)
      throw this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: this.options.signal.reason });
    if (this.shared.deadline !== undefined && Date.now() >= this.shared.deadline)
      throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
  }

  /**
   * Called before each step. Counts executions against maxSteps. A step retried by a retry action waits
   * its retry delay; a step entered again by goto (a polling loop) waits the poll interval, honouring a
   * Retry-After header of the last response, and starts its retry budgets afresh.
   */
  async enter(stepId: string): Promise<void> {
    this.stopIfDone(stepId);
    const maxSteps = this.options.maxSteps ?? 1000;
    if (++this.shared.stepCount > maxSteps)
      throw this.error(`more than ${maxSteps} step executions (maxSteps)`, { stepId, reason: "max-steps" });
    // A step run first by a retry is a detour, not a loop: no poll wait, and it does not count as a run.
    if (this.returns.has(stepId)) return;
    const previous = this.runs.get(stepId) ?? 0;
    this.runs.set(stepId, previous + 1);
    if (this.retrying?.stepId === stepId) {
      const { delayMs } = this.retrying;
      this.retrying = undefined;
      if (delayMs > 0) await this.sleep(delayMs, stepId);
      return;
    }
    for (const key of [...this.retries.keys()]) if (key.startsWith(`${stepId}\u0000`)) this.retries.delete(key);
    if (previous === 0) return;
    const poll = this.options.poll ?? {};
    const base = Math.min((poll.intervalMs ?? 1000) * Math.pow(poll.backoff ?? 1.5, previous - 1), poll.maxIntervalMs ?? 30_000);
    const jitter = poll.jitter ? base * Math.min(Math.max(poll.jitter, 0), 1) * Math.random() : 0;
    await this.sleep(this.shared.lastRetryAfterMs ?? base + jitter, stepId);
  }

  /**
   * A retry action: true while its budget (`limit` retries, per step entry and per action) lasts, and
   * then the step runs again after `retryAfter` seconds, or what the response's Retry-After header says.
   */
  retry(stepId: string, action: string, limit: number, retryAfterSeconds: number | undefined, response?: StepResponse): boolean {
    const key = `${stepId}\u0000${action}`;
    const used = this.retries.get(key) ?? 0;
    if (used >= limit) return false;
    this.retries.set(key, used + 1);
    const header = parseRetryAfter(response?.header("retry-after"), Date.now());
    this.retrying = { stepId, delayMs: header ?? (retryAfterSeconds ?? 0) * 1000 };
    return true;
  }

  /** Before a retry that first runs another step: control comes back to `stepId` after `target` ran. */
  returnAfter(target: string, stepId: string): void {
    this.returns.set(target, stepId);
  }

  /** In a step that a retry runs first: the step to go back to, if this run of it was such a detour. */
  returnFrom<StepId extends string>(target: string): StepId | undefined {
    const back = this.returns.get(target);
    this.returns.delete(target);
    return back as StepId | undefined;
  }

  /** Inputs for a workflow this one runs without a step's parameters (a dependency, a retry's workflow). */
  inputsFor(workflowId: string): unknown {
    return this.options.inputsByWorkflowId?.[workflowId] ?? {};
  }

  /**
   * Runs a dependency (dependsOn) once per call, and fails this workflow when it fails. Later calls for the
   * same workflowId get the same outputs.
   */
  async dependency<T>(workflowId: string, run: () => Promise<T>): Promise<T> {
    let pending = this.shared.completed.get(workflowId) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = run();
      this.shared.completed.set(workflowId, pending);
    }
    try {
      return await pending;
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      throw this.error(`its dependency ${workflowId} failed: ${error.message}`, {
        reason: error.reason,
        ...(error.status !== undefined ? { status: error.status } : {}),
        cause: error,
      });
    }
  }

  /** Outputs of a workflow this call already completed (for $workflows.<id>.outputs). */
  outputsOf(workflowId: string): Promise<unknown> | undefined {
    return this.shared.completed.get(workflowId);
  }

  /**
   * Runs a workflow called by a step. Its failure is the step's failure, not an exception: the calling
   * step's failure actions decide. Limits, timeouts and aborts still end the whole call.
   */
  async call<T>(
    stepId: string,
    run: () => Promise<T>,
  ): Promise<{ outputs: T; error?: undefined } | { outputs?: undefined; error: WorkflowError }> {
    try {
      return { outputs: await run() };
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      if (error.reason === "timeout" || error.reason === "aborted" || error.reason === "max-steps") throw error;
      return {
        error: this.error(`the workflow it calls failed: ${error.message}`, {
          stepId,
          reason: error.reason,
          ...(error.status !== undefined ? { status: error.status } : {}),
          cause: error,
        }),
      };
    }
  }

  /** Waits, ending early with a WorkflowError when the run is aborted or its deadline passes. */
  private sleep(ms: number, stepId: string): Promise<void> {
    const signal = this.options.signal;
    const untilDeadline = this.shared.deadline !== undefined ? this.shared.deadline - Date.now() : Infinity;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal?.reason }));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          if (ms >= untilDeadline) reject(this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" }));
          else resolve();
        },
        Math.max(0, Math.min(ms, untilDeadline)),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private baseUrl(request: StepRequest, stepId: string): string {
    const configured = this.options.servers?.[request.source];
    if (configured !== undefined) return configured.replace(/\/+$/, "");
    // Server variables: the caller's values, else the description's defaults.
    const variables = { ...request.serverVariables, ...this.options.serverVariables?.[request.source] };
    const server = request.server?.replace(/\{([^}]+)\}/g, (whole, name: string) => variables[name] ?? whole);
    if (server !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(server)) return server.replace(/\/+$/, "");
    if (this.options.baseUrl !== undefined) {
      try {
        return new URL(server ?? "", this.options.baseUrl.endsWith("/") ? this.options.baseUrl : this.options.baseUrl + "/").href.replace(
          /\/+$/,
          "",
        );
      } catch {
        throw this.error(`baseUrl '${this.options.baseUrl}' is not a URL`, { stepId, reason: "config" });
      }
    }
    throw this.error(
      `no absolute server URL for source '${request.source}' (the description gives ${server === undefined ? "none" : `'${server}'`}); pass options.servers.${request.source} or options.baseUrl`,
      { stepId, reason: "config" },
    );
  }

  /**
   * Builds and sends a step's request. A response that cannot be had (connection refused or reset, no
   * answer within requestTimeoutMs) or read (malformed JSON) comes back with `error` set: it fails the
   * step, whose failure actions may retry. The run's own timeout and the caller's abort end the call.
   */
  async send(stepId: string, request: StepRequest): Promise<StepResponse> {
    this.stopIfDone(stepId);
    let path = request.path;
    const query: string[] = [];
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    if (this.options.headers) for (const [name, value] of Object.entries(this.options.headers)) headers[name.toLowerCase()] = value;
    for (const p of request.parameters) {
      if (p.value === undefined) continue; // an unset optional value sends nothing
      // A parameter declared with `content` is one text in its media type, then placed like a string.
      const value = p.contentType === undefined ? p.value : isJsonMedia(p.contentType) ? JSON.stringify(p.value) : scalarText(p.value);
      const text = serialize(p, value);
      if (p.in === "path") path = path.split(`{${p.name}}`).join(text);
      else if (p.in === "query") query.push(text);
      else if (p.in === "header") headers[p.name.toLowerCase()] = text;
      else cookies.push(text);
    }
    if (cookies.length > 0) headers["cookie"] = [headers["cookie"], ...cookies].filter(Boolean).join("; ");
    const missing = /\{([^}]+)\}/.exec(path);
    if (missing) throw this.error(`path parameter '${missing[1]}' has no value`, { stepId, reason: "config" });
    const url = this.baseUrl(request, stepId) + path + (query.length > 0 ? `?${query.join("&")}` : "");
    let body: BodyInit | undefined;
    if (request.body !== undefined) {
      body = encodeBody(request.body.contentType, request.body.value);
      // FormData writes its own Content-Type, with the multipart boundary.
      if (body instanceof FormData) delete headers["content-type"];
      else headers["content-type"] ??= request.body.contentType;
    }

    const hooks = this.options.hooks;
    const event: RequestEvent | undefined =
      hooks?.onRequest || hooks?.onResponse
        ? {
            workflowId: this.definition.workflowId,
            stepId,
            method: request.method,
            url: this.redact(url),
            headers: this.redactHeaders(headers),
          }
        : undefined;
    if (event) await hooks?.onRequest?.(event);

    // Limits abort the exchange through a signal; without limits, none is made (Node's AbortSignals are not cheap).
    const { deadline } = this.shared;
    const { requestTimeoutMs, signal } = this.options;
    const controller = deadline !== undefined || requestTimeoutMs !== undefined || signal !== undefined ? new AbortController() : undefined;
    let cause: "timeout" | "request-timeout" | "aborted" | undefined;
    let timers: ReturnType<typeof setTimeout>[] | undefined;
    let onAbort: (() => void) | undefined;
    if (controller) {
      const stop = (why: "timeout" | "request-timeout" | "aborted") => {
        cause ??= why;
        controller.abort();
      };
      timers = [];
      if (deadline !== undefined) timers.push(setTimeout(() => stop("timeout"), Math.max(0, deadline - Date.now())));
      if (requestTimeoutMs !== undefined) timers.push(setTimeout(() => stop("request-timeout"), requestTimeoutMs));
      onAbort = () => stop("aborted");
      signal?.addEventListener("abort", onAbort, { once: true });
    }
    const started = Date.now();
    let response: Response;
    let decoded: ReturnType<typeof decodeBody>;
    try {
      // A step describes one operation, whose responses include its redirects (a 302 with a Location the
      // document reads): they are observed, not followed. Browsers hide redirects from fetch ("manual" gives
      // an opaque response there); set followRedirects in a browser.
      const init: RequestInit = { method: request.method, headers, redirect: this.options.followRedirects ? "follow" : "manual" };
      if (controller) init.signal = controller.signal;
      if (body !== undefined) init.body = body;
      // The limits cover the whole exchange: a body that stalls or breaks off is no response either.
      response = await (this.options.fetch ?? globalThis.fetch)(url, init);
      decoded = decodeBody(response, await response.text());
    } catch (error) {
      if (cause === "aborted")
        throw this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: this.options.signal?.reason });
      if (cause === "timeout") throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
      const failure =
        cause === "request-timeout"
          ? this.error(`no response within ${this.options.requestTimeoutMs} ms (requestTimeoutMs)`, { stepId, reason: "request-timeout" })
          : this.error(`${request.method} ${url} failed: ${errorText(error)}`, { stepId, reason: "network", cause: error });
      const unanswered = new Answer(0, url, request.method, undefined, new Headers());
      unanswered.error = failure;
      return unanswered;
    } finally {
      if (timers) for (const t of timers) clearTimeout(t);
      if (onAbort) signal?.removeEventListener("abort", onAbort);
    }

    const retryAfter = response.headers.get("retry-after");
    this.shared.lastRetryAfterMs = retryAfter === null ? undefined : parseRetryAfter(retryAfter, Date.now());
    const result = new Answer(response.status, url, request.method, decoded.body, response.headers);
    if (event)
      await hooks?.onResponse?.({
        ...event,
        status: response.status,
        durationMs: Date.now() - started,
        responseHeaders: this.redactHeaders(result.headers),
      });
    if (decoded.malformed !== undefined)
      result.error = this.error(decoded.malformed, {
        stepId,
        reason: "response",
        status: response.status,
        bodyExcerpt: this.excerpt(decoded.text),
      });
    this.bodies.set(result, decoded.text);
    return result;
  }

  private redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) out[name] = CREDENTIAL_HEADERS.has(name) ? REDACTED : this.redact(value);
    return out;
  }

  private excerpt(text: string): string {
    const redacted = this.redact(text);
    return redacted.length > 500 ? `${redacted.slice(0, 500)}…` : redacted;
  }

  /** Reports a finished step to the onStep hook. */
  async stepDone(stepId: string, outcome: "success" | "failure", response?: StepResponse): Promise<void> {
    await this.options.hooks?.onStep?.({
      workflowId: this.definition.workflowId,
      stepId,
      outcome,
      iteration: this.runs.get(stepId) ?? 1,
      ...(response !== undefined && response.status !== 0 ? { status: response.status } : {}),
    });
  }

  /** The error for a failed step (or one a failure action ended the workflow at): a transport error as it is. */
  failed(stepId: string, response: StepResponse, action?: string): WorkflowError {
    if (response.error !== undefined && action === undefined) return response.error;
    const reason: WorkflowErrorReason = response.error?.reason ?? (response.status >= 400 ? "http" : "criteria");
    const text = this.bodies.get(response) ?? scalarText(response.body);
    const excerpt = this.excerpt(text);
    const what = action !== undefined ? `failure action '${action}' ended the workflow` : "the success criteria were not met";
    const answered = response.status === 0 ? `got no response (${response.error?.message ?? "no answer"})` : `answered ${response.status}`;
    const message = `${response.method} ${this.redact(response.url)} ${answered}; ${what}${excerpt ? `. Body: ${excerpt.length > 200 ? excerpt.slice(0, 200) + "…" : excerpt}` : ""}`;
    return this.error(message, {
      stepId,
      reason,
      ...(response.status !== 0 ? { status: response.status } : {}),
      ...(excerpt ? { bodyExcerpt: excerpt } : {}),
    });
  }

  /** The error for a step that called a workflow and failed (the child's failure, or the step's criteria). */
  failedCall(stepId: string, error: WorkflowError | undefined, action?: string): WorkflowError {
    if (error !== undefined && action === undefined) return error;
    const what = action !== undefined ? `failure action '${action}' ended the workflow` : "the success criteria were not met";
    return this.error(`the called workflow ${error ? "failed" : "succeeded"}; ${what}`, {
      stepId,
      reason: error?.reason ?? "criteria",
      ...(error ? { cause: error } : {}),
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Values: reading, interpolating and comparing (the semantics of Arazzo simple conditions)
// ---------------------------------------------------------------------------------------------------

/** The value at a JSON pointer's tokens, own properties only; undefined when any step is missing. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const token of path) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === "object" && current !== null && Object.prototype.hasOwnProperty.call(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * A payload with replacements applied (JSON pointer tokens; `-` appends to an array). The payload is
 * copied, never changed in place; a target whose parent is missing is skipped.
 */
export function withReplacements(payload: unknown, replacements: ReadonlyArray<readonly [readonly string[], unknown]>): unknown {
  const copy: unknown = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
  let root = copy;
  for (const [tokens, value] of replacements) {
    if (tokens.length === 0) {
      root = value;
      continue;
    }
    const parent = valueAt(root, tokens.slice(0, -1));
    const last = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) {
      if (last === "-") parent.push(value);
      else if (/^(0|[1-9][0-9]*)$/.test(last) && Number(last) <= parent.length) parent[Number(last)] = value;
    } else if (typeof parent === "object" && parent !== null) {
      Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** A value's text inside a `{$...}` template: strings as they are, objects as JSON, undefined as "". */
export function templateText(value: unknown): string {
  return scalarText(value);
}

function looseScalar(value: unknown): unknown {
  return value === undefined ? null : value;
}

/** A string holding a JSON number (no hex, no surrounding blanks), as a number; undefined otherwise. */
function numericString(value: string): number | undefined {
  return /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/.test(value) ? Number(value) : undefined;
}

/** `==` of simple conditions: case-insensitive strings, numeric strings against numbers, deep equality. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const x = looseScalar(a);
  const y = looseScalar(b);
  if (x === null || y === null) return x === y;
  if (typeof x === "string" && typeof y === "string") return x.toLowerCase() === y.toLowerCase();
  if (typeof x === "number" && typeof y === "string") return numericString(y) === x;
  if (typeof x === "string" && typeof y === "number") return numericString(x) === y;
  if (typeof x === "object" && typeof y === "object") return deepEquals(x, y);
  return x === y;
}

function deepEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEquals(v, b[i]));
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.prototype.hasOwnProperty.call(b, k) && deepEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/** `<`, `<=`, `>`, `>=` of simple conditions: numbers (numeric strings coerced) or strings case-insensitively; anything else is false. */
export function looseCompare(a: unknown, operator: "<" | "<=" | ">" | ">=", b: unknown): boolean {
  let x = a;
  let y = b;
  if (typeof x === "number" && typeof y === "string") y = numericString(y) ?? y;
  if (typeof x === "string" && typeof y === "number") x = numericString(x) ?? x;
  if (typeof x === "string" && typeof y === "string") {
    // By code point, as reference §4.1 says: UTF-16 code units would misorder supplementary characters.
    const order = jpCompareStrings(x.toLowerCase(), y.toLowerCase());
    return operator === "<" ? order < 0 : operator === "<=" ? order <= 0 : operator === ">" ? order > 0 : order >= 0;
  } else if (typeof x !== "number" || typeof y !== "number" || Number.isNaN(x) || Number.isNaN(y)) {
    return false;
  }
  const l = x as number | string;
  const r = y as number | string;
  switch (operator) {
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A regex criterion whose pattern embeds values: built now; a pattern that is not valid fails the criterion. */
export function matchesPatternSource(source: string, value: unknown): boolean {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch {
    return false;
  }
  return matchesPattern(pattern, value);
}

/** A regex criterion: the context as text (objects as JSON) searched with the pattern; absent values fail. */
export function matchesPattern(pattern: RegExp, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return pattern.test(typeof value === "string" ? value : JSON.stringify(value));
}

/**
 * Strings ordered by code point (not UTF-16 code unit): negative, zero or positive. Used by simple conditions and
 * by JSONPath comparisons (RFC 9535 §2.3.5.2.2).
 */
export function jpCompareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (supplementary code points) sort after U+E000..U+FFFF; shift them above it.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}
