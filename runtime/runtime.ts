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
  /** Where the run's effects happen: in-process by default, or journaled by a durable execution engine. */
  executor?: WorkflowExecutor;
}

/** Where a run's effects happen: in-process by default, or journaled by a durable execution engine. */
export interface WorkflowExecutor {
  /** Performs one HTTP exchange; a durable engine records the outcome once and replays it after a crash. `name` is unique within the run: `${stepId}#${attempt}` with attempt counting from 1 per step. */
  exchange(name: string, perform: () => Promise<ExchangeOutcome>): Promise<ExchangeOutcome>;
  /** Waits `ms` milliseconds (poll, retry, Retry-After); a durable engine uses a durable timer. */
  sleep(ms: number): Promise<void>;
  /** The current time in ms since the epoch (deadlines). */
  now(): number;
  /** A number in [0, 1) (jitter). */
  random(): number;
}

export type ExchangeOutcome =
  | { readonly ok: true; readonly status: number; readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly bodyText: string }
  | { readonly ok: false; readonly reason: "network" | "request-timeout" | "response"; readonly message: string };

/** The default: effects happen here and now. */
const IN_PROCESS: WorkflowExecutor = {
  exchange: (_name, perform) => perform(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

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
  /**
   * The header in which the operation accepts an idempotency key (an `Idempotency-Key` header parameter in
   * its OpenAPI description, or the header it names): the runtime sends a key unique per run and step
   * attempt there, the same when a durable engine replays the run.
   */
  readonly idempotencyKeyHeader?: string;
}

/** A source description as generated code names it: the key of WorkflowOptions.servers and the description's server. */
export interface Source {
  readonly name: string;
  /** The operation's server URL from the OpenAPI description (may be relative; may hold {variables}). */
  readonly server?: string;
  /** The defaults of the server URL's variables. */
  readonly variables?: Readonly<Record<string, string>>;
}

/** How a parameter is serialized when it is not the location's default (see `styled`). */
export interface Serialization {
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  readonly contentType?: string;
}

/** A parameter value with the serialization its operation declares. */
export class Styled {
  constructor(
    readonly value: unknown,
    readonly serialization: Serialization,
  ) {}
}

/** A parameter value serialized as declared (style, explode, allowReserved, content), not as the location's default. */
export function styled(value: unknown, serialization: Serialization): Styled {
  return new Styled(value, serialization);
}

/**
 * A step's request as generated code writes it: parameter values by location and name (a `Styled` value
 * carries a declared serialization), and the body with its media type (JSON unless said otherwise).
 */
export interface Request {
  readonly path?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly cookie?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
  /** The body's media type. Default application/json. */
  readonly contentType?: string;
  /** The header in which the operation accepts an idempotency key (see StepRequest). */
  readonly idempotencyKeyHeader?: string;
}

/** The parameter list of a compact request, in location order and, within a location, as written. */
function parametersOf(request: Request): RequestParameter[] {
  const out: RequestParameter[] = [];
  for (const where of ["path", "query", "header", "cookie"] as const) {
    const values = request[where];
    if (values === undefined) continue;
    for (const name of Object.keys(values)) {
      const value = values[name];
      out.push(value instanceof Styled ? { in: where, name, ...value.serialization, value: value.value } : { in: where, name, value });
    }
  }
  return out;
}

/** The result of a step that called a workflow: its outputs, or its failure. */
export type CallResult<Outputs> = { readonly outputs: Outputs; readonly error?: undefined } | { readonly outputs?: undefined; readonly error: WorkflowError };

/** A workflow's body as generated code writes it: runs within a run (its own, a caller's, a dependent's). */
export type Runner<Outputs> = (run: WorkflowRun, inputs: never) => Promise<Outputs>;

export interface StepResponse<Body = unknown> {
  readonly status: number;
  readonly url: string;
  readonly method: string;
  /**
   * Decoded body: parsed JSON for JSON media types, text otherwise, undefined when empty. `Body` is what the
   * generated code reads of it, from the OpenAPI response schemas: a view, not a validation.
   */
  readonly body: Body | undefined;
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
function decodeBody(contentType: string, text: string): { body: unknown; text: string; malformed?: string } {
  if (!isJsonMedia(contentType)) return { body: text === "" ? undefined : text, text };
  if (text.trim() === "") return { body: undefined, text };
  try {
    return { body: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { body: text, text, malformed: `the ${contentType} body is not valid JSON (${(error as Error).message})` };
  }
}

/** A StepResponse over an exchange's outcome; headers by lower-case name. */
class Answer implements StepResponse {
  readonly status: number;
  readonly url: string;
  readonly method: string;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  error?: WorkflowError;

  constructor(status: number, url: string, method: string, body: unknown, headers: Readonly<Record<string, string>>) {
    this.status = status;
    this.url = url;
    this.method = method;
    this.body = body;
    this.headers = headers;
  }

  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return typeof value === "string" && Object.prototype.hasOwnProperty.call(this.headers, name.toLowerCase()) ? value : undefined;
  }
}

/** Response headers by lower-case name, repeated headers joined with ", " (as Headers.get joins them). */
function headerRecord(raw: Headers): Record<string, string> {
  const all: Record<string, string> = {};
  for (const [name, value] of raw) all[name] = all[name] === undefined ? value : `${all[name]}, ${value}`;
  return all;
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
  readonly executor: WorkflowExecutor;
  /** Exchanges sent so far per stepId, for the exchange names (`${stepId}#${attempt}`). */
  readonly attempts: Map<string, number>;
  /** Identifies the run in idempotency keys; drawn from the executor's random numbers when first needed. */
  runKey: string | undefined;
}

/** Internal: the state of one workflow within a call of a generated function. */
export class WorkflowRun {
  private readonly shared: RunShared;
  /** Executions of each step so far (the iteration of step events, the poll loops' backoff). */
  private readonly runs = new Map<string, number>();
  private readonly bodies = new WeakMap<StepResponse, string>();
  /** The step each result generated code holds came from. */
  private readonly stepOf = new WeakMap<object, string>();

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
    const executor = o.executor ?? IN_PROCESS;
    const shared: RunShared = {
      options: o,
      deadline: o.timeoutMs !== undefined ? executor.now() + o.timeoutMs : undefined,
      stepCount: 0,
      secrets: [],
      completed: new Map(),
      lastRetryAfterMs: undefined,
      executor,
      attempts: new Map(),
      runKey: undefined,
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

  /** The run's part of idempotency keys: 128 bits from the executor's random numbers, so a replay draws the same. */
  private runKey(): string {
    if (this.shared.runKey === undefined) {
      let key = "";
      for (let i = 0; i < 4; i++) key += Math.floor(this.shared.executor.random() * 0x100000000).toString(16).padStart(8, "0");
      this.shared.runKey = key;
    }
    return this.shared.runKey;
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
    if (this.shared.deadline !== undefined && this.shared.executor.now() >= this.shared.deadline)
      throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
  }

  /** Starts an execution of a step: stops a run that is over, counts it against maxSteps. */
  private begin(stepId: string): void {
    this.stopIfDone(stepId);
    const maxSteps = this.options.maxSteps ?? 1000;
    if (++this.shared.stepCount > maxSteps)
      throw this.error(`more than ${maxSteps} step executions (maxSteps)`, { stepId, reason: "max-steps" });
    this.runs.set(stepId, (this.runs.get(stepId) ?? 0) + 1);
  }

  /**
   * Sends a step's request to `path` (a template, "/jobs/{id}") of `source`'s server. `Body` types what the
   * generated code reads of the response body.
   */
  async request<Body = unknown>(stepId: string, source: Source, method: string, path: string, request: Request): Promise<StepResponse<Body>> {
    this.begin(stepId);
    const response = await this.send(stepId, {
      source: source.name,
      ...(source.server !== undefined ? { server: source.server } : {}),
      ...(source.variables !== undefined ? { serverVariables: source.variables } : {}),
      method,
      path,
      parameters: parametersOf(request),
      ...("body" in request ? { body: { contentType: request.contentType ?? "application/json", value: request.body } } : {}),
      ...(request.idempotencyKeyHeader !== undefined ? { idempotencyKeyHeader: request.idempotencyKeyHeader } : {}),
    });
    this.stepOf.set(response, stepId);
    return response as StepResponse<Body>;
  }

  /**
   * Whether a step succeeded: it had a usable result and its success criteria (`passed`) hold. Reports the
   * outcome to the onStep hook.
   */
  async check(result: StepResponse | CallResult<unknown>, passed: boolean): Promise<boolean> {
    const ok = passed && result.error === undefined;
    const stepId = this.stepOf.get(result) ?? "";
    const status = result instanceof Answer && result.status !== 0 ? result.status : undefined;
    await this.options.hooks?.onStep?.({
      workflowId: this.definition.workflowId,
      stepId,
      outcome: ok ? "success" : "failure",
      iteration: this.runs.get(stepId) ?? 1,
      ...(status !== undefined ? { status } : {}),
    });
    return ok;
  }

  /** As check(), for a step without failure actions: a failed step fails the workflow. */
  async expect(result: StepResponse | CallResult<unknown>, passed: boolean): Promise<void> {
    if (!(await this.check(result, passed))) throw this.failed(result);
  }

  /**
   * The wait before a poll loop runs `stepId` again: `poll.intervalMs`, growing by `poll.backoff` with each
   * repeat up to `poll.maxIntervalMs`, plus jitter; a Retry-After header of the last response wins.
   */
  async poll(stepId: string): Promise<void> {
    const previous = this.runs.get(stepId) ?? 1;
    const poll = this.options.poll ?? {};
    const base = Math.min((poll.intervalMs ?? 1000) * Math.pow(poll.backoff ?? 1.5, previous - 1), poll.maxIntervalMs ?? 30_000);
    const jitter = poll.jitter ? base * Math.min(Math.max(poll.jitter, 0), 1) * this.shared.executor.random() : 0;
    await this.sleep(this.shared.lastRetryAfterMs ?? base + jitter, stepId);
  }

  /** The wait before a retry: what the failed response's Retry-After header says, else `afterSeconds`. */
  async retryWait(result: StepResponse | CallResult<unknown>, afterSeconds: number | undefined): Promise<void> {
    const stepId = this.stepOf.get(result) ?? "";
    const header = result instanceof Answer ? parseRetryAfter(result.header("retry-after"), this.shared.executor.now()) : undefined;
    const delayMs = header ?? (afterSeconds ?? 0) * 1000;
    this.stopIfDone(stepId);
    if (delayMs > 0) await this.sleep(delayMs, stepId);
  }

  /** Inputs for a workflow this one runs without a step's parameters (a dependency, a retry's workflow). */
  inputsFor(workflowId: string): unknown {
    return this.options.inputsByWorkflowId?.[workflowId] ?? {};
  }

  /**
   * Runs a dependency (dependsOn) once per call, with its inputs from `inputsByWorkflowId`, and fails this
   * workflow when it fails. Later calls for the same workflowId get the same outputs.
   */
  async dependency<Outputs>(definition: WorkflowDefinition, runner: Runner<Outputs>): Promise<Outputs> {
    const { workflowId } = definition;
    let pending = this.shared.completed.get(workflowId) as Promise<Outputs> | undefined;
    if (pending === undefined) {
      const inputs = this.inputsFor(workflowId);
      pending = runner(this.child(definition, inputs), inputs as never);
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

  /**
   * Hands control to another workflow for good (a goto with workflowId): its result, outputs or failure,
   * is this workflow's. Its inputs come from `inputsByWorkflowId`.
   */
  transfer<Outputs>(definition: WorkflowDefinition, runner: Runner<Outputs>): Promise<Outputs> {
    const inputs = this.inputsFor(definition.workflowId);
    return runner(this.child(definition, inputs), inputs as never);
  }

  /**
   * Runs a workflow called by a step (or run first by a retry): the inputs are checked by the workflow
   * itself. Its failure is the step's failure, not an exception: the calling step's failure actions decide.
   * Limits, timeouts and aborts still end the whole call.
   */
  async call<Outputs>(stepId: string, definition: WorkflowDefinition, inputs: unknown, runner: Runner<Outputs>): Promise<CallResult<Outputs>> {
    this.begin(stepId);
    let result: CallResult<Outputs>;
    try {
      result = { outputs: await runner(this.child(definition, inputs), inputs as never) };
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      if (error.reason === "timeout" || error.reason === "aborted" || error.reason === "max-steps") throw error;
      result = {
        error: this.error(`the workflow it calls failed: ${error.message}`, {
          stepId,
          reason: error.reason,
          ...(error.status !== undefined ? { status: error.status } : {}),
          cause: error,
        }),
      };
    }
    this.stepOf.set(result, stepId);
    return result;
  }

  /** Waits, ending early with a WorkflowError when the run is aborted or its deadline passes. */
  private async sleep(ms: number, stepId: string): Promise<void> {
    const signal = this.options.signal;
    const executor = this.shared.executor;
    const untilDeadline = this.shared.deadline !== undefined ? this.shared.deadline - executor.now() : Infinity;
    const wait = Math.max(0, Math.min(ms, untilDeadline));
    if (executor !== IN_PROCESS) {
      // A durable timer: the engine resumes the run after it, on this worker or another.
      await executor.sleep(wait);
      this.stopIfDone(stepId);
      if (ms >= untilDeadline) throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
      return;
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal?.reason }));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        if (ms >= untilDeadline) reject(this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" }));
        else resolve();
      }, wait);
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

    const { executor, attempts } = this.shared;
    const attempt = (attempts.get(stepId) ?? 0) + 1;
    attempts.set(stepId, attempt);
    const exchangeName = `${stepId}#${attempt}`;
    if (request.idempotencyKeyHeader !== undefined) {
      // A step's own value for the header wins; otherwise one key per run and step attempt, so that a
      // request resent after a crash in flight is recognised by a server that honours the header.
      const name = request.idempotencyKeyHeader.toLowerCase();
      headers[name] ??= `${this.runKey()}-${exchangeName}`;
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

    let thrown: unknown;
    // The exchange itself: hooks, fetch and the body's text. A durable executor records its outcome (plain
    // data) and, after a crash, hands the recorded outcome back instead of calling it again.
    const perform = async (): Promise<ExchangeOutcome> => {
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
        if (deadline !== undefined) timers.push(setTimeout(() => stop("timeout"), Math.max(0, deadline - executor.now())));
        if (requestTimeoutMs !== undefined) timers.push(setTimeout(() => stop("request-timeout"), requestTimeoutMs));
        onAbort = () => stop("aborted");
        signal?.addEventListener("abort", onAbort, { once: true });
      }
      const started = Date.now();
      let response: Response;
      let text: string;
      try {
        // A step describes one operation, whose responses include its redirects (a 302 with a Location the
        // document reads): they are observed, not followed. Browsers hide redirects from fetch ("manual" gives
        // an opaque response there); set followRedirects in a browser.
        const init: RequestInit = { method: request.method, headers, redirect: this.options.followRedirects ? "follow" : "manual" };
        if (controller) init.signal = controller.signal;
        if (body !== undefined) init.body = body;
        // The limits cover the whole exchange: a body that stalls or breaks off is no response either.
        response = await (this.options.fetch ?? globalThis.fetch)(url, init);
        text = await response.text();
      } catch (error) {
        if (cause === "aborted")
          throw this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: this.options.signal?.reason });
        if (cause === "timeout") throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
        if (cause === "request-timeout")
          return { ok: false, reason: "request-timeout", message: `no response within ${this.options.requestTimeoutMs} ms (requestTimeoutMs)` };
        thrown = error;
        return { ok: false, reason: "network", message: this.redact(`${request.method} ${url} failed: ${errorText(error)}`) };
      } finally {
        if (timers) for (const t of timers) clearTimeout(t);
        if (onAbort) signal?.removeEventListener("abort", onAbort);
      }
      const responseHeaders = headerRecord(response.headers);
      if (event)
        await hooks?.onResponse?.({
          ...event,
          status: response.status,
          durationMs: Date.now() - started,
          responseHeaders: this.redactHeaders(responseHeaders),
        });
      return { ok: true, status: response.status, url, headers: responseHeaders, bodyText: text };
    };
    const outcome = executor === IN_PROCESS ? await perform() : await executor.exchange(exchangeName, perform);

    if (!outcome.ok) {
      const unanswered = new Answer(0, url, request.method, undefined, {});
      unanswered.error = this.error(outcome.message, { stepId, reason: outcome.reason, ...(thrown !== undefined ? { cause: thrown } : {}) });
      return unanswered;
    }
    const retryAfter = outcome.headers["retry-after"];
    this.shared.lastRetryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, executor.now());
    const decoded = decodeBody(outcome.headers["content-type"] ?? "", outcome.bodyText);
    const result = new Answer(outcome.status, url, request.method, decoded.body, outcome.headers);
    if (decoded.malformed !== undefined)
      result.error = this.error(decoded.malformed, {
        stepId,
        reason: "response",
        status: outcome.status,
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

  /**
   * The error for a failed step, or one a failure action (`action`) ended the workflow at: a transport error
   * or a called workflow's failure as it is.
   */
  failed(result: StepResponse | CallResult<unknown>, action?: string): WorkflowError {
    const stepId = this.stepOf.get(result);
    const what = action !== undefined ? `failure action '${action}' ended the workflow` : "the success criteria were not met";
    if (!(result instanceof Answer)) {
      const error = result.error;
      if (error !== undefined && action === undefined) return error;
      return this.error(`the called workflow ${error ? "failed" : "succeeded"}; ${what}`, {
        ...(stepId !== undefined ? { stepId } : {}),
        reason: error?.reason ?? "criteria",
        ...(error ? { cause: error } : {}),
      });
    }
    const response = result;
    if (response.error !== undefined && action === undefined) return response.error;
    const reason: WorkflowErrorReason = response.error?.reason ?? (response.status >= 400 ? "http" : "criteria");
    const text = this.bodies.get(response) ?? scalarText(response.body);
    const excerpt = this.excerpt(text);
    const answered = response.status === 0 ? `got no response (${response.error?.message ?? "no answer"})` : `answered ${response.status}`;
    const message = `${response.method} ${this.redact(response.url)} ${answered}; ${what}${excerpt ? `. Body: ${excerpt.length > 200 ? excerpt.slice(0, 200) + "…" : excerpt}` : ""}`;
    return this.error(message, {
      ...(stepId !== undefined ? { stepId } : {}),
      reason,
      ...(response.status !== 0 ? { status: response.status } : {}),
      ...(excerpt ? { bodyExcerpt: excerpt } : {}),
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

const JSON_TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
};

function hasJsonType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(value);
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return typeof value === type;
  }
}

/**
 * The input check of one member of an object: an own property, present when `required`, and of one of
 * `types` (JSON Schema type names separated by spaces; "" for any) when present.
 */
export function checkMember(problems: string[], object: Record<string, unknown>, name: string, types: string, required: boolean): void {
  const value = Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined;
  const pointer = "/" + name.replace(/~/g, "~0").replace(/\//g, "~1");
  if (value === undefined) {
    if (required) problems.push(`${pointer} is required`);
    return;
  }
  const allowed = types === "" ? [] : types.split(" ");
  if (allowed.length > 0 && !allowed.some((type) => hasJsonType(value, type)))
    problems.push(`${pointer} must be ${allowed.map((type) => JSON_TYPE_NAMES[type] ?? type).join(" or ")}`);
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
