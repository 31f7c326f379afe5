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

/** A message a message step sends (before the transport has it) or receives (once the step takes it). */
export interface MessageHookEvent {
  readonly workflowId: string;
  readonly stepId: string;
  readonly direction: "send" | "receive";
  /** The channel, its address filled in and secret values in it replaced by [redacted]. */
  readonly channel: MessageChannel;
  /** Headers, credentials replaced by [redacted]. */
  readonly headers: Readonly<Record<string, unknown>>;
  /** The payload, secret values in its strings replaced by [redacted]. */
  readonly payload: unknown;
}

export interface WorkflowHooks {
  onRequest?(event: RequestEvent): void | Promise<void>;
  onResponse?(event: ResponseEvent): void | Promise<void>;
  onStep?(event: StepEvent): void | Promise<void>;
  onMessage?(event: MessageHookEvent): void | Promise<void>;
}

export interface WorkflowOptions {
  /** Base URL per source description name; replaces the OpenAPI server URL, e.g. { api: "https://host/api" }. */
  servers?: Readonly<Record<string, string>>;
  /** Resolves relative OpenAPI server URLs (such as "/api") when `servers` does not name the source. */
  baseUrl?: string;
  /** The fetch to use; defaults to the global fetch. */
  fetch?: typeof fetch;
  /**
   * Headers added to every request (a step's own parameters win). Their values are treated as secrets (redacted,
   * never sent to another origin on a redirect), except those of Accept, Accept-Language, Content-Type and User-Agent.
   */
  headers?: Readonly<Record<string, string>>;
  /** Aborts the run; it ends with a WorkflowError of reason "aborted". */
  signal?: AbortSignal;
  /** Limit for the whole run, waits included. */
  timeoutMs?: number;
  /** Limit for each request, from sending it to the last byte of its response (redirects included). Default 30000; Infinity for none. */
  requestTimeoutMs?: number;
  /** Largest response body read, in bytes; a larger one fails the step with reason "response". Default 8 MiB; Infinity for none. */
  maxResponseBytes?: number;
  /** Longest wait a Retry-After header can ask for; longer ones are cut to it. Default 300000 (5 minutes). */
  maxRetryAfterMs?: number;
  /** Most step executions in one run (loops included). Default 1000. */
  maxSteps?: number;
  poll?: PollOptions;
  hooks?: WorkflowHooks;
  /**
   * Follow HTTP redirects (at most 20) instead of handing the 3xx response to the step. Default false. A redirect to
   * another origin drops the credentials: Authorization, Cookie, API-key headers and query parameters.
   */
  followRedirects?: boolean;
  /** Values of OpenAPI server variables, per source description name (the description's defaults otherwise). */
  serverVariables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Inputs of the workflows a workflow depends on (dependsOn) or that retry actions run, by workflowId. Default {}. */
  inputsByWorkflowId?: Readonly<Record<string, unknown>>;
  /** Where requests, waits, clock reads and random numbers happen: in this process by default (inProcessExecutor). */
  executor?: WorkflowExecutor;
  /** How message steps send and receive, per AsyncAPI source description name (see MessageTransport). */
  transports?: Readonly<Record<string, MessageTransport>>;
  /** Longest wait of a receive step without its own timeout, in ms. Default: only timeoutMs and signal bound it. */
  receiveTimeoutMs?: number;
}

export type WorkflowErrorReason =
  | "criteria" // the response did not meet the step's success criteria
  | "http" // ... and its status was an error status (4xx, 5xx)
  | "response" // the response could not be decoded (e.g. malformed JSON)
  | "network" // no response: connection refused, reset, DNS
  | "timeout" // timeoutMs elapsed: the whole run is over
  | "request-timeout" // requestTimeoutMs elapsed with no response: the step failed (failure actions may retry it)
  | "step-timeout" // the step's own timeout (or receiveTimeoutMs) elapsed: the step failed (failure actions may retry it)
  | "transport" // a message transport failed to send or to subscribe
  | "aborted" // the caller's signal
  | "max-steps" // maxSteps step executions
  | "inputs" // the inputs do not match the workflow's inputs schema
  | "config" // no usable server URL
  | "dependency" // a step's dependsOn names a step that has not succeeded in this run
  | "expression"; // a value the request needs (a path parameter's, one embedded in text) is absent: nothing was sent

export interface WorkflowErrorDetails {
  readonly workflowId: string;
  readonly stepId?: string;
  readonly reason: WorkflowErrorReason;
  readonly status?: number;
  readonly bodyExcerpt?: string;
  readonly problems?: readonly string[];
  readonly cause?: unknown;
}

/** Node's hook for util.inspect (console.log of an error): a redacted view. */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Every failure of a generated workflow function is a WorkflowError. Its texts never carry secrets. `Outputs`:
 * the failed workflow's outputs type (`catch (e) { if (e instanceof WorkflowError) (e as WorkflowError<BuyPetOutputs>).outputs }`).
 */
export class WorkflowError<Outputs extends object = Record<string, unknown>> extends Error {
  readonly workflowId: string;
  readonly stepId: string | undefined;
  readonly reason: WorkflowErrorReason;
  readonly status: number | undefined;
  /** At most 500 characters of the response body, secrets redacted. */
  readonly bodyExcerpt: string | undefined;
  /** For reason "inputs": each problem with the JSON pointer of the input it concerns. */
  readonly problems: readonly string[];
  /**
   * The workflow's outputs that could be evaluated where it failed (those whose steps had run), as a
   * successful end would have returned them; empty when the run ended before any (inputs, limits).
   */
  readonly outputs: Partial<Outputs> = {};
  /** Redacts the run's secrets, also those learnt after this error was made, whenever the error is shown. */
  #redact: (text: string) => string;

  constructor(message: string, details: WorkflowErrorDetails, redact?: (text: string) => string) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "WorkflowError";
    this.workflowId = details.workflowId;
    this.stepId = details.stepId;
    this.reason = details.reason;
    this.status = details.status;
    this.bodyExcerpt = details.bodyExcerpt;
    this.problems = details.problems ?? [];
    this.#redact = redact ?? ((text) => text);
  }

  /** JSON.stringify(error): its fields and its cause's, redacted. */
  toJSON(): Record<string, unknown> {
    const r = this.#redact;
    const cause = this.cause;
    return {
      name: this.name,
      message: r(this.message),
      workflowId: this.workflowId,
      ...(this.stepId !== undefined ? { stepId: this.stepId } : {}),
      reason: this.reason,
      ...(this.status !== undefined ? { status: this.status } : {}),
      ...(this.bodyExcerpt !== undefined ? { bodyExcerpt: r(this.bodyExcerpt) } : {}),
      ...(this.problems.length > 0 ? { problems: this.problems.map(r) } : {}),
      ...(Object.keys(this.outputs).length > 0 ? { outputs: redactedValue(this.outputs, r, 0) } : {}),
      ...(cause instanceof WorkflowError
        ? { cause: cause.toJSON() }
        : cause instanceof Error
          ? { cause: { name: cause.name, message: r(cause.message) } }
          : cause !== undefined
            ? { cause: r(String(cause)) }
            : {}),
    };
  }

  /** util.inspect(error), console.log(error): an Error with the same fields, redacted. */
  [INSPECT](_depth: number, options: unknown, inspect?: (value: unknown, options: unknown) => string): string {
    const r = this.#redact;
    // A plain Error named like this class, so that Node prints it as it prints a WorkflowError.
    const View = class WorkflowError extends Error {};
    const view = new View(r(this.message), this.cause === undefined ? undefined : { cause: this.cause });
    view.name = this.name;
    view.stack = r(this.stack ?? `${this.name}: ${this.message}`);
    const json = this.toJSON();
    delete json["name"];
    delete json["message"];
    delete json["cause"];
    Object.assign(view, json);
    return inspect ? inspect(view, options) : view.stack;
  }
}

/** @internal A value with every string in it redacted (an error's outputs, a message in a hook event); bounded in depth. */
export function redactedValue(value: unknown, redact: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 16) return REDACTED; // not searched: shown as a secret could be in it
  if (Array.isArray(value)) return value.map((v) => redactedValue(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) Object.defineProperty(out, name, { value: redactedValue(v, redact, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Where effects happen
// ---------------------------------------------------------------------------------------------------

/** Where a run's effects happen: in-process by default, or journaled by a durable execution engine. */
export interface WorkflowExecutor {
  /**
   * Performs one HTTP exchange; a durable engine records the outcome once and replays it after a crash. `name` is
   * unique within the run: `${stepId}#${attempt}` with attempt counting from 1 per step. `perform` throws (a
   * WorkflowError of reason "timeout" or "aborted") when the run itself ends during the exchange: no outcome then.
   */
  exchange(name: string, perform: () => Promise<ExchangeOutcome>): Promise<ExchangeOutcome>;
  /**
   * Waits `ms` milliseconds (poll, retry, Retry-After); a durable engine uses a durable timer. `ms` may exceed
   * setTimeout's range, or be Infinity. `signal`, when given, is the caller's: the wait may end early once it aborts
   * (the run stops waiting anyway).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The current time in ms since the epoch (deadlines). */
  now(): number;
  /** A number in [0, 1) (jitter). */
  random(): number;
  /**
   * Performs one message step's effect: a send, or the wait for a message. `name` is as for `exchange`; `ms` bounds
   * the effect, and `perform` gets what is left of it (a durable engine fixes the deadline once, so a resumed wait
   * only waits the rest). A durable engine records the outcome once and replays it. Optional: without it the
   * effect happens in-process.
   */
  message?(name: string, ms: number, perform: (ms: number) => Promise<MessageOutcome>): Promise<MessageOutcome>;
}

/**
 * What a message step's effect left, as plain JSON data so an engine can journal it (except `cause`, which only the
 * in-process run keeps): done (with the message received, for a receive step), or why the step got no message.
 */
export type MessageOutcome =
  | { readonly ok: true; readonly received?: IncomingMessage }
  | {
      readonly ok: false;
      readonly reason: "transport" | "step-timeout" | "timeout" | "aborted";
      readonly message: string;
      readonly cause?: unknown;
    };

/**
 * A finished exchange as plain JSON data, so an engine can journal it. `bodyText` is the body decoded as UTF-8
 * (bodies are read as text; bytes that are not UTF-8 become U+FFFD); `headers` are by lower-case name, repeated ones
 * joined with ", "; `url` is the last URL after redirects. Failure messages are already redacted.
 */
export type ExchangeOutcome =
  | {
      readonly ok: true;
      readonly status: number;
      readonly url: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly bodyText: string;
    }
  | { readonly ok: false; readonly reason: "network" | "request-timeout" | "step-timeout" | "response"; readonly message: string };

/** setTimeout's largest delay: a longer one fires at once (Node, browsers), so longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** Calls `fire` after `ms` (negative or NaN: at once; Infinity: never); returns what cancels it. */
function after(ms: number, fire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number) => {
    timer = left > MAX_TIMER_MS ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS) : setTimeout(fire, left);
  };
  if (ms !== Infinity) arm(ms > 0 ? ms : 0);
  return () => clearTimeout(timer);
}

/** The default executor: exchanges and waits in this process, the system clock, Math.random. */
export const inProcessExecutor: WorkflowExecutor = {
  exchange: (_name, perform) => perform(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => {
        cancel();
        resolve();
      };
      const cancel = after(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  now: () => Date.now(),
  random: () => Math.random(),
};

// ---------------------------------------------------------------------------------------------------
// Requests and responses
// ---------------------------------------------------------------------------------------------------

export type ParameterLocation = "path" | "query" | "querystring" | "header" | "cookie";

export interface RequestParameter {
  readonly in: ParameterLocation;
  readonly name: string;
  /** For a header or cookie, a function is called with the request's URL (`$url`), once that is built. */
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
  /** A function as `value` is called with the request's URL (`$url`), once that is built. */
  readonly body?: { readonly contentType: string; readonly value: unknown };
  /**
   * The header in which the operation accepts an idempotency key (an `Idempotency-Key` header parameter in
   * its OpenAPI description, or the header it names): the runtime sends a key unique per run and step
   * attempt there, the same when a durable engine replays the run.
   */
  readonly idempotencyKeyHeader?: string;
  /** The step's own timeout (Arazzo 1.1 `timeout`), in ms: it replaces requestTimeoutMs for this request. */
  readonly timeoutMs?: number;
}

/** A source description as generated code names it: the key of WorkflowOptions.servers and the description's server. */
export interface Source {
  readonly name: string;
  /** The operation's server URL from the OpenAPI description (may be relative; may hold {variables}). */
  readonly server?: string;
  /** The defaults of the server URL's variables. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Where the source's security schemes put credentials: what is sent there is redacted like a secret input. */
  readonly secretParameters?: ReadonlyArray<{ readonly in: "header" | "query" | "cookie"; readonly name: string }>;
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
  readonly value: unknown;
  readonly serialization: Serialization;

  constructor(value: unknown, serialization: Serialization) {
    this.value = value;
    this.serialization = serialization;
  }
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
  /**
   * The whole query string as one value (an OpenAPI 3.2 `in: querystring` parameter): a `Styled` value carries
   * its media type. Form text is sent as written, with what a query cannot hold percent-encoded; any other
   * media type is encoded whole.
   */
  readonly querystring?: unknown;
  /** The body; a function is called with the request's URL (`$url`) once that is built, as are header and cookie values. */
  readonly body?: unknown;
  /** The body's media type. Default application/json. */
  readonly contentType?: string;
  /** The header in which the operation accepts an idempotency key (see StepRequest). */
  readonly idempotencyKeyHeader?: string;
  /**
   * Steps (`[workflowId, stepId]`) whose latest execution in this run must have succeeded (step dependsOn): if one
   * has not, nothing is sent and the step fails with reason `dependency`.
   */
  readonly requires?: ReadonlyArray<readonly [workflowId: string, stepId: string]>;
  /** The step's own timeout in ms (see StepRequest). */
  readonly timeoutMs?: number;
  /**
   * Values the request cannot be built without, each with the runtime expression that gave it (a path parameter's
   * value, a value embedded in text): when one is undefined, nothing is sent and the step fails with reason
   * `expression`, naming it. Generated code lists those whose type allows absence.
   */
  readonly needs?: ReadonlyArray<readonly [expression: string, value: unknown]>;
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
  const whole = request.querystring;
  if (whole !== undefined)
    out.push(whole instanceof Styled ? { in: "querystring", name: "", ...whole.serialization, value: whole.value } : { in: "querystring", name: "", value: whole });
  return out;
}

/** What a step's code holds after its request, call or message. */
export type StepResult = StepResponse | CallResult<unknown> | StepMessage<unknown, unknown>;

/**
 * The result of a step that called a workflow: its outputs, or its failure; `status` is the status code of the
 * last HTTP response the called workflow received (its `$statusCode`), undefined when it received none.
 */
export type CallResult<Outputs> = { readonly status?: number | undefined } & (
  | { readonly outputs: Outputs; readonly error?: undefined }
  | { readonly outputs?: undefined; readonly error: WorkflowError }
);

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

/** Headers whose values are credentials, whatever the document says: redacted whole, never sent across origins. */
const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"];
/** Headers of options.headers that are not secrets: content negotiation and the client's name. */
const PLAIN_HEADERS = new Set(["accept", "accept-language", "content-type", "user-agent"]);
const REDACTED = "[redacted]";
/** Redirects followed at most (as the Fetch standard's limit). */
const MAX_REDIRECTS = 20;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_RETRY_AFTER_MS = 300_000;

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

/**
 * The text of a whole query string (`in: querystring`). Form-urlencoded (the default): a string is sent as written,
 * except characters a URI query cannot hold, which are percent-encoded (values embedded in it were encoded when
 * the string was built); an object or array becomes name=value pairs. Any other media type: its text (JSON text
 * for JSON types) percent-encoded whole.
 */
function querystringText(value: unknown, contentType: string | undefined): string {
  if (contentType !== undefined && !/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    const text = typeof value === "string" ? value : isJsonMedia(contentType) ? JSON.stringify(value) : scalarText(value);
    return encode(text, false);
  }
  if (typeof value === "object" && value !== null) {
    const e = entriesOf(value);
    return (e?.pairs ?? []).map(([k, v]) => `${encode(k, false)}=${encode(v, false)}`).join("&");
  }
  return scalarText(value).replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu, (c) => encode(c, false));
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
/** A parameter declared with `content` is one text in its media type, then placed like a string. */
function contentText(p: RequestParameter, value: unknown): unknown {
  return p.contentType === undefined ? value : isJsonMedia(p.contentType) ? JSON.stringify(value) : scalarText(value);
}

function serialize(p: RequestParameter, value: unknown): string {
  const text = expand(p, value);
  // A path value stays inside its segment: "/", "?" and "#" are encoded even with allowReserved.
  return p.in === "path" && p.allowReserved === true ? text.replace(/[/?#]/g, (c) => encodeURIComponent(c)) : text;
}

function expand(p: RequestParameter, value: unknown): string {
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

// Request bodies and blob parts by the types fetch and Blob take, not by the DOM library's names (BodyInit,
// BlobPart): a Node project without the DOM library declares fetch and Blob but not those names.
type RequestBody = NonNullable<RequestInit["body"]>;
type BlobPartOf = NonNullable<ConstructorParameters<typeof Blob>[0]>[number];

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
function encodeBody(contentType: string, value: unknown): RequestBody {
  if (isBinary(value)) return value as RequestBody;
  if (isJsonMedia(contentType)) return JSON.stringify(value === undefined ? null : value);
  const urlencoded = /^application\/x-www-form-urlencoded/i.test(contentType);
  if ((!urlencoded && !/^multipart\/form-data/i.test(contentType)) || typeof value !== "object" || value === null) return scalarText(value);
  const form = urlencoded ? new URLSearchParams() : new FormData();
  for (const [name, member] of Object.entries(value))
    for (const item of Array.isArray(member) ? (member as unknown[]) : [member]) {
      if (item === undefined) continue;
      if (form instanceof FormData && isBinary(item)) form.append(name, item instanceof Blob ? item : new Blob([item as BlobPartOf]));
      else form.append(name, item === null ? "" : scalarText(item));
    }
  return urlencoded ? form.toString() : (form as FormData);
}

/**
 * A response body by its media type: JSON media types parsed (`malformed` says why they could not be), any other
 * as text; an empty body (204, HEAD, or no bytes, or only blanks for JSON) is undefined.
 */
function decodeBody(contentType: string, text: string): { body: unknown; malformed?: string } {
  if (!isJsonMedia(contentType)) return { body: text === "" ? undefined : text };
  if (text.trim() === "") return { body: undefined };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { body: text, malformed: `the ${contentType} body is not valid JSON (${(error as Error).message})` };
  }
}

/** A StepResponse made from an exchange's outcome. */
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
    const key = name.toLowerCase();
    return Object.prototype.hasOwnProperty.call(this.headers, key) ? this.headers[key] : undefined;
  }
}

/**
 * Reads a response body as UTF-8 text, counting bytes as they arrive: past `limit` the read stops and the rest is
 * never fetched (a compressed body counts as decompressed). Undefined when the body is larger than `limit`. `reading`
 * gets the reader, so that a limit can cancel it.
 */
async function readText(
  response: Response,
  limit: number,
  reading: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length") ?? 0);
  const body = response.body;
  if (declared > limit && !/\S/.test(response.headers.get("content-encoding") ?? "")) {
    await body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (body === null) return "";
  const reader = body.getReader();
  reading(reader);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return text + decoder.decode();
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
}

/** A redirect status whose Location the exchange follows when followRedirects is set. */
function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Browsers (pages and workers) hide a redirect's Location from fetch: there, redirects are left to the browser. */
const HIDES_REDIRECTS =
  typeof (globalThis as { document?: unknown }).document !== "undefined" ||
  typeof (globalThis as { importScripts?: unknown }).importScripts === "function";

/** A URL's user and password (`https://user:pass@host`): the scheme, the userinfo, and the rest. */
function userinfoOf(url: string): [scheme: string, userinfo: string, rest: string] | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(url);
  return m ? [m[1]!, m[2]!, url.slice(m[0].length)] : undefined;
}

/** Text with every URL's user and password hidden. */
function hideUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"]*@/gi, `$1${REDACTED}@`);
}

/** Base64 of a text's UTF-8 bytes (HTTP Basic credentials). */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A path segment that URL parsers resolve as "." or ".." (percent-encoded dots included). */
function isDotSegment(segment: string): boolean {
  return /^(?:\.|%2e){1,2}$/i.test(segment);
}

/** A fetch failure as text: its message and its cause's ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as milliseconds from now, at most `max`. A date
 * already past is 0.
 */
function parseRetryAfter(value: string | undefined, now: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, max);
}

// ---------------------------------------------------------------------------------------------------
// Messages: what a transport sees of an AsyncAPI step, and what it hands over
// ---------------------------------------------------------------------------------------------------

/** The AsyncAPI channel a message step uses, as the transport sees it. */
export interface MessageChannel {
  /** The source description's name: the key of WorkflowOptions.transports. */
  readonly source: string;
  /** The channel's key under #/channels of the AsyncAPI description. */
  readonly channel: string;
  /** The channel's address with its parameters filled in; null when the description gives none. */
  readonly address: string | null;
  /** The AsyncAPI operation the step names, when it names one. */
  readonly operation?: string;
  /** What the workflow does: sends to the channel, or receives from it. */
  readonly action: "send" | "receive";
  /** The keys of the messages the step may send or receive. */
  readonly messages: readonly string[];
  /** The channel's servers as the description gives them (the transport chooses; generated code never connects). */
  readonly servers?: ReadonlyArray<{ readonly host: string; readonly protocol: string; readonly pathname?: string }>;
  /**
   * Where the operation's reply goes, when it declares one (AsyncAPI 3.0 `reply`), for the transport's information
   * (a reply-to header, say): the reply channel's key and address (placeholders unfilled; null when it has none)
   * and, for a dynamic address, where the request carries it (`$message.header#/replyTo`), unresolved. Generated
   * code never waits for a reply on its own: a receive step does.
   */
  readonly reply?: { readonly channel?: string; readonly address: string | null; readonly location?: string };
}

/** A message a send step hands to the transport. */
export interface OutgoingMessage {
  readonly headers: Readonly<Record<string, unknown>>;
  /** The payload as a value (the transport encodes it for `contentType`); undefined for an empty message. */
  readonly payload: unknown;
  readonly contentType: string;
  /** The AsyncAPI message key, when the step's message is unambiguous. */
  readonly message?: string;
}

/** A message a transport delivers to a receive step. */
export interface IncomingMessage {
  readonly headers: Readonly<Record<string, unknown>>;
  /** Decoded: parsed JSON for JSON content types, else text or bytes as the transport has them. */
  readonly payload: unknown;
  readonly contentType?: string;
  /** Which AsyncAPI message this is, when the transport can tell. */
  readonly message?: string;
}

/** Which messages a receive step takes: the runtime checks every delivered message with `accepts` again. */
export interface MessageFilter {
  /** The correlation value the step waits for and where messages keep it, for adapters that filter at the broker. */
  readonly correlation?: { readonly locations: readonly string[]; readonly value: unknown };
  accepts(message: IncomingMessage): boolean;
}

/** An open subscription; cancel stops the deliveries. */
export interface MessageSubscription {
  cancel(): void | Promise<void>;
}

/**
 * How message steps reach a broker: one per AsyncAPI source (WorkflowOptions.transports). Generated code never
 * connects, encodes, acknowledges or rejects: the transport does. `subscribe` resolves once the subscription is
 * active, and delivers the messages published after that (no history), in order, to `deliver`.
 */
export interface MessageTransport {
  send(channel: MessageChannel, message: OutgoingMessage, signal: AbortSignal): Promise<void>;
  subscribe(
    channel: MessageChannel,
    filter: MessageFilter,
    deliver: (message: IncomingMessage) => void,
    signal: AbortSignal,
  ): MessageSubscription | Promise<MessageSubscription>;
}

/** A message step as generated code writes it: the values it sends, or the correlation it waits for. */
export interface MessageStep {
  /** Channel parameters by name: they fill the `{name}` placeholders of the address. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Channel parameters a send step reads from the message it sends, by AsyncAPI location (`$message.payload#/id`). */
  readonly locations?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly payload?: unknown;
  /** Default application/json. */
  readonly contentType?: string;
  /** The message key, when the step's message is unambiguous. */
  readonly message?: string;
  /** The step's own timeout in ms (a receive step without one waits up to receiveTimeoutMs). */
  readonly timeoutMs?: number;
  /** A receive step's correlation: the value, and where each message it may receive keeps it (`$message.header#/id`). */
  readonly correlation?: { readonly locations: readonly string[]; readonly value: unknown };
}

/** The message of a message step: the one sent, or the one received; `error` set when the step got none. */
export interface StepMessage<Payload = unknown, Headers = Readonly<Record<string, unknown>>> {
  readonly payload: Payload | undefined;
  readonly headers: Headers;
  /** A header by name, case-insensitively. */
  header(name: string): unknown;
  readonly message?: string;
  readonly error?: WorkflowError;
}

// A run of one workflow
// ---------------------------------------------------------------------------------------------------

export interface WorkflowDefinition {
  readonly workflowId: string;
  /**
   * Inputs whose values are secrets (format: password, or sent as credentials): a name, or the path of a
   * member nested in an object input (`["env", "AUTH_TOKEN"]`); a path goes through arrays, to each item
   * (`["accounts", "password"]`).
   */
  readonly secretInputs: ReadonlyArray<string | readonly string[]>;
  /**
   * Parameters that carry credentials by the OpenAPI security schemes (API keys in a header, query or cookie): the
   * values sent in them are secrets, wherever they come from. Header names lower-case.
   */
  readonly secretParameters?: ReadonlyArray<{ readonly in: "header" | "query" | "cookie"; readonly name: string }>;
}

/**
 * The deadline of a step that calls a workflow (its Arazzo 1.1 `timeout`), on the executor's clock: the called run,
 * and every run it starts in turn, ends when it passes.
 */
interface StepDeadline {
  readonly at: number;
  readonly timeoutMs: number;
}

/** The deadline whose passing an error reports: the call that set it turns the error into its step's failure. */
const expiredDeadlines = new WeakMap<WorkflowError, StepDeadline>();

/** How a step runs another workflow (see WorkflowRun.call). */
export interface CallStep {
  /** Steps whose latest execution in this run must have succeeded (see Request). */
  readonly requires?: Request["requires"];
  /**
   * The step's own timeout in ms (Arazzo 1.1 `timeout`): the whole called run, ended when it passes. The step then
   * fails with reason step-timeout.
   */
  readonly timeoutMs?: number;
}

/** What all workflows of one call share: options, limits, secrets, and the results of dependencies. */
interface RunShared {
  readonly options: WorkflowOptions;
  readonly executor: WorkflowExecutor;
  readonly deadline: number | undefined;
  stepCount: number;
  /** Secret values. */
  readonly secrets: Set<string>;
  /**
   * The forms in which texts carry the secrets (raw, percent-encoded, form-encoded, JSON), longest first so that a
   * secret containing another is redacted whole; made when a text is first redacted after a secret was added.
   */
  sorted: string[] | undefined;
  /**
   * Aborts the exchange in flight (a run has one at a time) when a limit passes or the caller aborts; replaced once
   * used. One per run, not per request: making an AbortSignal is a large part of a request's cost in Node.
   */
  controller: AbortController | undefined;
  /** Exchanges in flight: only one of them uses `controller`, the others (concurrent steps) have their own. */
  exchangesInFlight: number;
  /** Names of the headers, query parameters and cookies whose values are credentials. */
  readonly secretHeaders: Set<string>;
  readonly secretQuery: Set<string>;
  readonly secretCookies: Set<string>;
  /** dependsOn results by workflowId: each dependency runs once per call. */
  readonly completed: Map<string, Promise<unknown>>;
  lastRetryAfterMs: number | undefined;
  /** Exchanges per stepId, for the executor's exchange names. */
  readonly exchanges: Map<string, number>;
  /** `workflowId/stepId` of each step whose latest execution in this run succeeded (step dependsOn). */
  readonly succeeded: Set<string>;
  /** Identifies the run in idempotency keys; drawn from the executor's random numbers when first needed. */
  runKey: string | undefined;
}

/** Internal: the state of one workflow within a call of a generated function. */
export class WorkflowRun {
  private readonly definition: WorkflowDefinition;
  private readonly shared: RunShared;
  /** Executions of each step so far (the iteration of step events, the poll loops' backoff). */
  private readonly runs = new Map<string, number>();
  private readonly bodies = new WeakMap<StepResponse, { text: string; url: string }>();
  /** The step each result generated code holds came from. */
  private readonly stepOf = new WeakMap<object, string>();
  /** @internal What steps hold across steps, by stepId (a receive step's subscription, opened before it): closed by close(). */
  readonly held = new Map<string, { close(): Promise<void> }>();
  /**
   * @internal Steps whose held resource outlived an attempt (a receive step's subscription, so that a message
   * arriving before the next attempt is kept): true once the step is retried. Another step starting, or the step
   * entered again without a retry, closes it.
   */
  readonly afterAttempt = new Map<string, boolean>();
  /** Closes begun when a step starts, awaited by close(). */
  private readonly closing: Promise<void>[] = [];
  /** The last run of each workflow this one ran (dependency, call, retry): its inputs, its outputs if it succeeded. */
  private readonly workflowRuns = new Map<string, { readonly inputs: unknown; readonly outputs?: unknown }>();
  /** The status of the last HTTP response this run received, its called workflows' included. */
  private lastStatus: number | undefined;
  /** The earliest deadline of the steps this run was called from, if any: this run ends when it passes. */
  private readonly limit: StepDeadline | undefined;

  private constructor(definition: WorkflowDefinition, shared: RunShared, inputs: unknown, limit?: StepDeadline) {
    this.definition = definition;
    this.shared = shared;
    this.limit = limit;
    for (const secret of definition.secretInputs) this.rememberInput(inputs, typeof secret === "string" ? [secret] : secret, 0);
    this.secretPlaces(definition.secretParameters);
  }

  /**
   * Remembers the secret at `path` in an input value: own members only, as the generated code reads inputs; an
   * array met on the way stands for each of its items (`["accounts", "password"]`: every account's password).
   */
  private rememberInput(value: unknown, path: readonly string[], depth: number): void {
    if (Array.isArray(value)) {
      if (depth < 8) for (const item of value) this.rememberInput(item, path, depth + 1);
    } else if (path.length === 0) {
      if (typeof value === "string" || typeof value === "number") this.remember(String(value));
    } else if (isObject(value) && Object.prototype.hasOwnProperty.call(value, path[0]!)) this.rememberInput(value[path[0]!], path.slice(1), depth);
  }

  /** Registers the places (header, query or cookie names) whose values are secrets, whatever their origin. */
  private secretPlaces(places: WorkflowDefinition["secretParameters"]): void {
    const shared = this.shared;
    for (const p of places ?? [])
      (p.in === "header" ? shared.secretHeaders : p.in === "query" ? shared.secretQuery : shared.secretCookies).add(
        p.in === "header" ? p.name.toLowerCase() : p.name,
      );
  }

  /** The run of a workflow function called by a user. */
  static start(definition: WorkflowDefinition, options: WorkflowOptions | undefined, inputs: unknown): WorkflowRun {
    const o = options ?? {};
    const executor = o.executor ?? inProcessExecutor;
    const secretHeaders = new Set(CREDENTIAL_HEADERS);
    for (const name of Object.keys(o.headers ?? {})) if (!PLAIN_HEADERS.has(name.toLowerCase())) secretHeaders.add(name.toLowerCase());
    const shared: RunShared = {
      options: o,
      executor,
      deadline: o.timeoutMs !== undefined ? executor.now() + o.timeoutMs : undefined,
      stepCount: 0,
      secrets: new Set(),
      sorted: undefined,
      controller: undefined,
      exchangesInFlight: 0,
      secretHeaders,
      secretQuery: new Set(),
      secretCookies: new Set(),
      completed: new Map(),
      lastRetryAfterMs: undefined,
      exchanges: new Map(),
      succeeded: new Set(),
      runKey: undefined,
    };
    const run = new WorkflowRun(definition, shared, inputs);
    for (const [name, value] of Object.entries(o.headers ?? {}))
      if (secretHeaders.has(name.toLowerCase())) run.rememberHeader(name.toLowerCase(), value);
    return run;
  }

  /** The run of a workflow called from this one (a workflowId step, a dependency): same limits and options. */
  child(definition: WorkflowDefinition, inputs: unknown): WorkflowRun {
    return new WorkflowRun(definition, this.shared, inputs, this.limit);
  }

  private get options(): WorkflowOptions {
    return this.shared.options;
  }

  /** Adds a secret value: from now on no text of this run shows it. */
  private remember(secret: string): void {
    if (secret === "" || this.shared.secrets.has(secret)) return;
    this.shared.secrets.add(secret);
    this.shared.sorted = undefined;
  }

  /** The secrets in a credential header's value: all of it, the credentials after the scheme, Basic's password, each cookie. */
  private rememberHeader(name: string, value: string): void {
    if (this.shared.secrets.has(value)) return;
    this.remember(value);
    const trimmed = value.trim();
    this.remember(trimmed);
    if (name === "cookie" || name === "set-cookie") {
      for (const pair of trimmed.split(";")) this.remember(pair.slice(pair.indexOf("=") + 1).trim());
      return;
    }
    const scheme = /^(\S+)\s+([\s\S]+)$/.exec(trimmed);
    if (!scheme) return;
    this.remember(scheme[2]!);
    if (scheme[1]!.toLowerCase() !== "basic") return;
    try {
      const decoded = atob(scheme[2]!.trim());
      this.remember(decoded);
      this.remember(decoded.slice(decoded.indexOf(":") + 1));
    } catch {
      // not base64: nothing more to hide
    }
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

  /**
   * Replaces every secret value in a text by [redacted]. Secrets shorter than 3 characters are replaced where they
   * stand alone (not inside a word), so that a one-letter secret does not blank out every such letter.
   */
  redact(text: string): string {
    const shared = this.shared;
    if (shared.secrets.size === 0) return text;
    // Each value as it is, and as URLs, form bodies and JSON strings carry it.
    shared.sorted ??= [
      ...new Set(
        [...shared.secrets].flatMap((secret) => [
          secret,
          encodeURIComponent(secret),
          encode(secret, false),
          new URLSearchParams([["", secret]]).toString().slice(1),
          JSON.stringify(secret).slice(1, -1),
        ]),
      ),
    ].sort((a, b) => b.length - a.length);
    let out = text;
    for (const shown of shared.sorted) {
      if (!out.includes(shown)) continue;
      out =
        shown.length >= 3
          ? out.split(shown).join(REDACTED)
          : out.replace(
              new RegExp(`(?<![\\p{L}\\p{N}])${shown.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "gu"),
              REDACTED,
            );
    }
    return out;
  }

  private error(message: string, details: Omit<WorkflowErrorDetails, "workflowId">): WorkflowError {
    const where = details.stepId !== undefined ? ` at step ${details.stepId}` : "";
    const redact = (text: string) => this.redact(hideUserinfo(text));
    const { cause, ...rest } = details;
    return new WorkflowError(
      redact(`Workflow ${this.definition.workflowId} failed${where}: ${message}`),
      { workflowId: this.definition.workflowId, ...rest, ...(cause !== undefined ? { cause: this.redactedCause(cause, 0) } : {}) },
      redact,
    );
  }

  /**
   * A cause as an error may keep it: a WorkflowError as it is (it redacts itself), the caller's abort reason as it
   * is (the caller's own), any other error copied with its texts redacted (an invalid header value's message
   * quotes the header).
   */
  private redactedCause(cause: unknown, depth: number): unknown {
    if (cause instanceof WorkflowError || cause === this.options.signal?.reason) return cause;
    if (!(cause instanceof Error)) return typeof cause === "string" ? this.redact(cause) : undefined;
    const inner = depth < 4 && cause.cause !== undefined ? this.redactedCause(cause.cause, depth + 1) : undefined;
    const copy = new Error(this.redact(hideUserinfo(cause.message)), inner === undefined ? undefined : { cause: inner });
    copy.name = cause.name;
    copy.stack = this.redact(hideUserinfo(cause.stack ?? ""));
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") (copy as { code?: string }).code = code;
    return copy;
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
    if (this.limit !== undefined && this.shared.executor.now() >= this.limit.at) throw this.expired(stepId);
  }

  /** The end of this run because the deadline of the step that called it passed: no step of it starts any more. */
  private expired(stepId: string): WorkflowError {
    const limit = this.limit!;
    const error = this.error(`stopped: the calling step's timeout of ${limit.timeoutMs} ms passed`, { stepId, reason: "step-timeout" });
    expiredDeadlines.set(error, limit);
    return error;
  }

  /** Milliseconds left until the deadline of the step that called this run; Infinity without one. */
  private scopeLeft(): number {
    return this.limit === undefined ? Infinity : this.limit.at - this.shared.executor.now();
  }

  /**
   * What steps kept after an attempt, closed unless `starting` is the next attempt of the step that kept it (or a
   * step its retry runs first); without `starting` (the run hands over to another workflow), all of it.
   */
  private releaseAttempts(starting?: string): void {
    for (const [stepId, retried] of this.afterAttempt) {
      if (retried && starting !== undefined && stepId !== starting) continue; // the steps a retry runs first
      this.afterAttempt.delete(stepId);
      if (retried && stepId === starting) continue; // the retry itself: the attempt takes over what the last one kept
      const resource = this.held.get(stepId);
      this.held.delete(stepId);
      if (resource) this.closing.push(resource.close());
    }
  }

  /** Starts an execution of a step: stops a run that is over, counts it against maxSteps. */
  private begin(stepId: string): void {
    this.releaseAttempts(stepId);
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
    const unbuilt = this.unmet(stepId, request.requires) ?? this.absent(stepId, request);
    if (unbuilt) {
      // Not sent: the step fails as an unanswered request does, and its failure actions decide.
      const unsent = new Answer(0, "", method, undefined, {});
      unsent.error = unbuilt;
      this.bodies.set(unsent, { text: "", url: "" });
      this.stepOf.set(unsent, stepId);
      return unsent as StepResponse<Body>;
    }
    this.secretPlaces(source.secretParameters);
    const response = await this.send(stepId, {
      source: source.name,
      ...(source.server !== undefined ? { server: source.server } : {}),
      ...(source.variables !== undefined ? { serverVariables: source.variables } : {}),
      method,
      path,
      parameters: parametersOf(request),
      ...("body" in request ? { body: { contentType: request.contentType ?? "application/json", value: request.body } } : {}),
      ...(request.idempotencyKeyHeader !== undefined ? { idempotencyKeyHeader: request.idempotencyKeyHeader } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    });
    return response as StepResponse<Body>;
  }

  /**
   * Whether a step succeeded: it had a usable result and its success criteria (`passed`) hold. Reports the
   * outcome to the onStep hook.
   */
  async check(result: StepResult, passed: boolean): Promise<boolean> {
    const ok = passed && result.error === undefined;
    const stepId = this.stepOf.get(result) ?? "";
    const key = `${this.definition.workflowId}/${stepId}`;
    if (ok) this.shared.succeeded.add(key);
    else this.shared.succeeded.delete(key);
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

  /**
   * Step dependsOn: the failure of `stepId` when a dependency's latest execution in this run (this call of the
   * generated function, with every workflow it runs) has not succeeded; undefined when all have.
   */
  private unmet(stepId: string, dependencies: Request["requires"]): WorkflowError | undefined {
    const missing = (dependencies ?? []).filter(([w, s]) => !this.shared.succeeded.has(`${w}/${s}`));
    if (missing.length === 0) return undefined;
    const names = missing.map(([w, s]) => (w === this.definition.workflowId ? s : `${w}.${s}`)).join(", ");
    return this.error(`depends on ${names}, which has not succeeded in this run`, { stepId, reason: "dependency" });
  }

  /**
   * The failure of a request that cannot be built (delta decision A-36): a value it needs is absent, named by its
   * expression, or a path parameter has none. Undefined when the request can be built.
   */
  private absent(stepId: string, request: Request): WorkflowError | undefined {
    const missing = request.needs?.find(([, value]) => value === undefined);
    if (missing) return this.error(`${missing[0]} has no value, which the request needs; nothing was sent`, { stepId, reason: "expression" });
    for (const [name, value] of Object.entries(request.path ?? {}))
      if (value === undefined || (value instanceof Styled && value.value === undefined))
        return this.error(`path parameter '${name}' has no value; nothing was sent`, { stepId, reason: "expression" });
    return undefined;
  }

  /**
   * As check(), for a step without failure actions: a failed step fails the workflow. `outputs` gives the
   * workflow's outputs that can be evaluated then (WorkflowError.outputs).
   */
  async expect(result: StepResult, passed: boolean, outputs?: () => object): Promise<void> {
    if (!(await this.check(result, passed))) throw this.failed(result, undefined, outputs?.());
  }

  /**
   * The join of steps that run concurrently (`stepConcurrency: "concurrent"`): `started` holds their requests or
   * messages, started in execution order. Waits until every one has settled, even after one failed, so that no
   * request is left with an unknown effect; then gives their results in that order, or throws the first error in
   * that order (the caller's signal, timeoutMs, a configuration error). Criteria are checked after it, one step
   * at a time in execution order, as sequential code does.
   */
  async together<T extends readonly unknown[] | []>(started: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
    const settled = await Promise.allSettled(started);
    for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
    // What the run keeps of the last response (a calling step's $statusCode, a poll's Retry-After) is that of the
    // last step in execution order that got one, as if the steps had run one at a time, not of the last to arrive.
    for (const outcome of settled) {
      const answer = (outcome as PromiseFulfilledResult<unknown>).value;
      if (!(answer instanceof Answer) || answer.status === 0) continue;
      this.lastStatus = answer.status;
      this.shared.lastRetryAfterMs = parseRetryAfter(answer.header("retry-after"), this.shared.executor.now(), this.maxRetryAfterMs);
    }
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
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

  /** The wait before a retry: what the failed response's Retry-After header says (capped), else `afterSeconds`. */
  async retryWait(result: StepResult, afterSeconds: number | undefined): Promise<void> {
    const stepId = this.stepOf.get(result) ?? "";
    const header =
      result instanceof Answer
        ? parseRetryAfter(result.header("retry-after"), this.shared.executor.now(), this.maxRetryAfterMs)
        : undefined;
    const delayMs = header ?? (afterSeconds ?? 0) * 1000;
    this.retrying(stepId);
    this.stopIfDone(stepId);
    if (delayMs > 0) await this.sleep(delayMs, stepId);
  }

  /**
   * The step is retried: what it kept after its attempt (a receive step's subscription) stays open for its next
   * attempt, through the wait and the step or workflow the retry runs first.
   */
  retrying(stepId: string): void {
    if (this.afterAttempt.has(stepId)) this.afterAttempt.set(stepId, true);
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
      const outputs = await pending;
      this.workflowRuns.set(workflowId, { inputs: this.inputsFor(workflowId), outputs });
      return outputs;
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      if (expiredDeadlines.has(error)) {
        // Cut short by a calling step's timeout, not failed: a later step may run it again.
        this.shared.completed.delete(workflowId);
        throw error;
      }
      throw this.error(`its dependency ${workflowId} failed: ${error.message}`, {
        reason: error.reason,
        ...(error.status !== undefined ? { status: error.status } : {}),
        cause: error,
      });
    }
  }

  /**
   * Hands control to another workflow for good (a goto with workflowId): its result, outputs or failure,
   * is this workflow's. Its inputs are the action's parameters when it has any, else from `inputsByWorkflowId`.
   */
  transfer<Outputs>(definition: WorkflowDefinition, runner: Runner<Outputs>, given?: unknown): Promise<Outputs> {
    const inputs = given ?? this.inputsFor(definition.workflowId);
    this.releaseAttempts();
    return runner(this.child(definition, inputs), inputs as never);
  }

  /**
   * Runs a workflow called by a step (or run first by a retry): the inputs are checked by the workflow
   * itself. Its failure is the step's failure, not an exception: the calling step's failure actions decide.
   * Limits, timeouts and aborts still end the whole call.
   */
  async call<Outputs>(
    stepId: string,
    definition: WorkflowDefinition,
    inputs: unknown,
    runner: Runner<Outputs>,
    step?: CallStep,
  ): Promise<CallResult<Outputs>> {
    this.begin(stepId);
    let result: CallResult<Outputs>;
    const unmet = this.unmet(stepId, step?.requires);
    if (unmet) result = { error: unmet };
    else result = await this.runCalled(stepId, definition, inputs, runner, step?.timeoutMs);
    this.stepOf.set(result, stepId);
    return result;
  }

  /**
   * The called workflow's outputs, or its failure as the calling step's; the run's own limits still end the call.
   * With `timeoutMs`, the called run ends when that passes (its exchange in flight is cancelled, no further step of it
   * starts), and the step fails with reason step-timeout, without a status or outputs.
   */
  private async runCalled<Outputs>(
    stepId: string,
    definition: WorkflowDefinition,
    inputs: unknown,
    runner: Runner<Outputs>,
    timeoutMs?: number,
  ): Promise<CallResult<Outputs>> {
    // One deadline per attempt, from its start, on the executor's clock (a durable engine's journaled one).
    const own = timeoutMs !== undefined ? { at: this.shared.executor.now() + timeoutMs, timeoutMs } : undefined;
    // An enclosing step's deadline that passes first ends this call too, for that step.
    const limit = own !== undefined && (this.limit === undefined || own.at < this.limit.at) ? own : this.limit;
    const child = new WorkflowRun(definition, this.shared, inputs, limit);
    let result: CallResult<Outputs>;
    try {
      const outputs = await runner(child, inputs as never);
      result = { outputs, status: child.lastStatus };
      this.workflowRuns.set(definition.workflowId, { inputs, outputs });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      const expired = expiredDeadlines.get(error);
      if (expired !== undefined && expired === own) {
        this.workflowRuns.set(definition.workflowId, { inputs });
        return {
          error: this.error(`the workflow it calls did not finish within the step's timeout of ${timeoutMs} ms`, {
            stepId,
            reason: "step-timeout",
            cause: error,
          }),
        };
      }
      if (expired !== undefined || error.reason === "timeout" || error.reason === "aborted" || error.reason === "max-steps") throw error;
      this.workflowRuns.set(definition.workflowId, { inputs });
      result = {
        status: child.lastStatus,
        error: this.error(`the workflow it calls failed: ${error.message}`, {
          stepId,
          reason: error.reason,
          ...(error.status !== undefined ? { status: error.status } : {}),
          cause: error,
        }),
      };
    }
    if (child.lastStatus !== undefined) this.lastStatus = child.lastStatus;
    return result;
  }

  /** @internal Starts an execution of a step (the step helpers of runtime-messages.ts): maxSteps, a run that is over. */
  startStep(stepId: string): void {
    this.begin(stepId);
  }

  /** @internal Stops a run that is over: the caller's signal, timeoutMs. */
  checkRunning(stepId: string): void {
    this.stopIfDone(stepId);
  }

  /** @internal Performs a message step's effect through the executor, named `stepId#attempt` as exchanges are. */
  messageEffect(stepId: string, ms: number, perform: (ms: number) => Promise<MessageOutcome>): Promise<MessageOutcome> {
    const { executor, exchanges } = this.shared;
    const attempt = (exchanges.get(stepId) ?? 0) + 1;
    exchanges.set(stepId, attempt);
    return executor.message !== undefined ? executor.message(`${stepId}#${attempt}`, ms, perform) : perform(ms);
  }

  /** @internal A WorkflowError of this run, its texts redacted. */
  stepError(message: string, details: Omit<WorkflowErrorDetails, "workflowId">): WorkflowError {
    return this.error(message, details);
  }

  /** @internal The options the run was started with. */
  get settings(): WorkflowOptions {
    return this.options;
  }

  /** @internal Milliseconds left until timeoutMs ends the run; Infinity without a limit. */
  timeLeft(): number {
    return this.shared.deadline === undefined ? Infinity : this.shared.deadline - this.shared.executor.now();
  }

  /** @internal Whether a header carries a credential; its value, text, is a secret of the run from now on. */
  credential(name: string, value: unknown): boolean {
    const lower = name.toLowerCase();
    if (!this.shared.secretHeaders.has(lower)) return false;
    if (typeof value === "string") this.rememberHeader(lower, value);
    return true;
  }

  /** @internal */
  get workflowId(): string {
    return this.definition.workflowId;
  }

  /** @internal Milliseconds left until the timeout of a step that called this run ends it; Infinity without one. */
  callerTimeLeft(): number {
    return this.scopeLeft();
  }

  /** @internal The error that ends this run when the timeout of the step that called it passed. */
  callerTimedOut(stepId: string): WorkflowError {
    return this.expired(stepId);
  }

  /** @internal Records the step a result came from (onStep events, failures). */
  record(result: object, stepId: string): void {
    this.stepOf.set(result, stepId);
  }

  /** Closes what the run still holds (the subscription of a receive step never reached): the end of a run with message steps. */
  async close(): Promise<void> {
    const open = [...this.held.values()];
    this.held.clear();
    this.afterAttempt.clear();
    await Promise.all([...this.closing.splice(0), ...open.map((resource) => resource.close())]);
  }

  /**
   * `$workflows.<id>.outputs`: the outputs of the last run of that workflow within this one (a dependency, a
   * step's call, a retry's), undefined when it has not run or its last run failed. The compiler reads them only
   * where the workflow has run on every path, or types them with undefined (`Outputs`) where it may not have.
   */
  outputsOf<Outputs>(workflowId: string): Outputs {
    return this.workflowRuns.get(workflowId)?.outputs as Outputs;
  }

  /** `$workflows.<id>.inputs`: the inputs of the last run of that workflow within this one. */
  inputsOf<Inputs>(workflowId: string): Inputs {
    return this.workflowRuns.get(workflowId)?.inputs as Inputs;
  }

  /** Whether the last run of that workflow within this one succeeded (its outputs can be read). */
  ran(workflowId: string): boolean {
    return this.workflowRuns.get(workflowId)?.outputs !== undefined;
  }

  private get maxRetryAfterMs(): number {
    return this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  }

  /**
   * Waits through the executor, never past the run's deadline: a wait that would is cut there and ends the run
   * with reason timeout; the caller's abort ends it at once.
   */
  private async sleep(ms: number, stepId: string): Promise<void> {
    const { executor, deadline } = this.shared;
    const signal = this.options.signal;
    const left = deadline !== undefined ? deadline - executor.now() : Infinity;
    const scope = this.scopeLeft();
    const wait = Math.max(0, Math.min(ms, left, scope));
    if (signal === undefined) await executor.sleep(wait);
    else
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          resolve();
        };
        signal.addEventListener("abort", done, { once: true });
        executor.sleep(wait, signal).then(done, (error: unknown) => {
          signal.removeEventListener("abort", done);
          reject(error);
        });
      });
    if (signal?.aborted) throw this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal.reason });
    if (ms >= left && left <= scope) throw this.error(`timed out after ${this.options.timeoutMs} ms`, { stepId, reason: "timeout" });
    if (ms >= scope) throw this.expired(stepId);
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
   * Builds and sends a step's request through the executor. A response that cannot be had (connection refused or
   * reset, no answer within requestTimeoutMs, a body over maxResponseBytes) or read (malformed JSON) comes back
   * with `error` set: it fails the step, whose failure actions may retry. The run's own timeout and the caller's
   * abort end the call.
   */
  async send(stepId: string, request: StepRequest): Promise<StepResponse> {
    this.stopIfDone(stepId);
    const shared = this.shared;
    let path = request.path;
    const query: string[] = [];
    /** The query as printed, credentials replaced; undefined while it is the query itself. */
    let shownQuery: string[] | undefined;
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    if (this.options.headers) for (const [name, value] of Object.entries(this.options.headers)) headers[name.toLowerCase()] = value;
    let pathValues = false;
    // The URL first: header and cookie values, and the body, may read it ($url).
    for (const p of request.parameters) {
      if (p.value === undefined || p.in === "header" || p.in === "cookie") continue; // unset optional values send nothing
      if (p.in === "querystring") {
        const text = querystringText(p.value, p.contentType);
        if (text !== "") {
          query.push(text);
          shownQuery?.push(text);
        }
        continue;
      }
      const value = contentText(p, p.value);
      const text = serialize(p, value);
      if (p.in === "path") {
        path = path.split(`{${p.name}}`).join(text);
        pathValues = true;
      } else {
        if (shared.secretQuery.has(p.name)) {
          this.remember(scalarText(value));
          shownQuery ??= [...query];
          shownQuery.push(`${encode(p.name, false)}=${REDACTED}`);
        } else shownQuery?.push(text);
        query.push(text);
      }
    }
    const missing = /\{([^}]+)\}/.exec(path);
    if (missing) throw this.error(`path parameter '${missing[1]}' has no value`, { stepId, reason: "config" });
    // "." and ".." segments are resolved away by URL parsers: a value making one would reach another endpoint.
    if (pathValues && /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(path)) {
      const template = request.path.split("/");
      for (const [i, segment] of path.split("/").entries())
        if (isDotSegment(segment) && segment !== template[i])
          throw this.error(
            `path parameter values make the segment '${segment}' of ${request.path}, a dot-segment that would change the path`,
            {
              stepId,
              reason: "config",
            },
          );
    }
    let base = this.baseUrl(request, stepId);
    // Credentials in the server URL go as Basic authorization (fetch refuses URLs that hold them) and are secrets.
    const userinfo = base.includes("@") ? userinfoOf(base) : undefined;
    if (userinfo) {
      base = userinfo[0] + userinfo[2];
      let credentials = userinfo[1];
      try {
        credentials = decodeURIComponent(credentials);
      } catch {
        // kept as written
      }
      this.remember(userinfo[1]);
      // The step's own Authorization, set below, wins.
      headers["authorization"] ??= `Basic ${base64(credentials)}`;
    }
    const url = base + path + (query.length > 0 ? `?${query.join("&")}` : "");
    const shownUrl = shownQuery === undefined ? url : base + path + (shownQuery.length > 0 ? `?${shownQuery.join("&")}` : "");
    // A value that reads $url is a function of it.
    const at = (value: unknown): unknown => (typeof value === "function" ? (value as (url: string) => unknown)(url) : value);
    for (const p of request.parameters) {
      if (p.in !== "header" && p.in !== "cookie") continue;
      const given = at(p.value);
      if (given === undefined) continue;
      const value = contentText(p, given);
      const text = serialize(p, value);
      if (p.in === "header") headers[p.name.toLowerCase()] = text;
      else {
        if (shared.secretCookies.has(p.name)) this.remember(scalarText(value));
        cookies.push(text);
      }
    }
    if (cookies.length > 0) headers["cookie"] = [headers["cookie"], ...cookies].filter(Boolean).join("; ");
    for (const name in headers) if (shared.secretHeaders.has(name)) this.rememberHeader(name, headers[name]!);
    let body: RequestBody | undefined;
    if (request.body !== undefined) {
      body = encodeBody(request.body.contentType, at(request.body.value));
      // FormData writes its own Content-Type, with the multipart boundary.
      if (body instanceof FormData) delete headers["content-type"];
      else headers["content-type"] ??= request.body.contentType;
    }

    const executor = shared.executor;
    const attempt = (shared.exchanges.get(stepId) ?? 0) + 1;
    shared.exchanges.set(stepId, attempt);
    if (request.idempotencyKeyHeader !== undefined) {
      // A step's own value for the header wins; otherwise one key per run and step attempt, so that a
      // request resent after a crash in flight is recognised by a server that honours the header.
      headers[request.idempotencyKeyHeader.toLowerCase()] ??= `${this.runKey()}-${stepId}#${attempt}`;
    }

    const hooks = this.options.hooks;
    const event: RequestEvent | undefined =
      hooks?.onRequest || hooks?.onResponse
        ? {
            workflowId: this.definition.workflowId,
            stepId,
            method: request.method,
            url: this.redact(shownUrl),
            headers: this.redactHeaders(headers),
          }
        : undefined;
    if (event) await hooks?.onRequest?.(event);

    const started = executor.now();
    // The deadline of a step that called this run bounds the exchange when it comes first; its passing ends the run.
    const scope = this.scopeLeft();
    const cut = scope !== Infinity && scope <= (request.timeoutMs ?? this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    const outcome = await executor.exchange(`${stepId}#${attempt}`, () =>
      this.exchange(stepId, request.method, url, shownUrl, headers, body, cut ? Math.max(scope, 0) : request.timeoutMs),
    );
    if (cut && !outcome.ok && outcome.reason === "step-timeout") throw this.expired(stepId);
    if (!outcome.ok) {
      const unanswered = new Answer(0, url, request.method, undefined, {});
      unanswered.error = this.error(outcome.message, { stepId, reason: outcome.reason });
      this.bodies.set(unanswered, { text: "", url: shownUrl });
      this.stepOf.set(unanswered, stepId);
      return unanswered;
    }

    const decoded = decodeBody(outcome.headers["content-type"] ?? "", outcome.bodyText);
    const result = new Answer(outcome.status, outcome.url, request.method, decoded.body, outcome.headers);
    this.lastStatus = outcome.status;
    shared.lastRetryAfterMs = parseRetryAfter(result.header("retry-after"), executor.now(), this.maxRetryAfterMs);
    if (event)
      await hooks?.onResponse?.({
        ...event,
        status: outcome.status,
        durationMs: executor.now() - started,
        responseHeaders: this.redactHeaders(outcome.headers),
      });
    if (decoded.malformed !== undefined)
      result.error = this.error(decoded.malformed, {
        stepId,
        reason: "response",
        status: outcome.status,
        bodyExcerpt: this.excerpt(outcome.bodyText),
      });
    this.bodies.set(result, { text: outcome.bodyText, url: outcome.url === url ? shownUrl : outcome.url });
    this.stepOf.set(result, stepId);
    return result;
  }

  /**
   * One HTTP exchange, its redirects included when followRedirects is set, within requestTimeoutMs and
   * maxResponseBytes. Throws a WorkflowError when the run itself ends meanwhile (timeoutMs, the caller's signal).
   */
  private async exchange(
    stepId: string,
    method: string,
    url: string,
    shownUrl: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
    stepTimeoutMs?: number,
  ): Promise<ExchangeOutcome> {
    const { options, deadline, executor } = this.shared;
    const requestTimeoutMs = stepTimeoutMs ?? options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const left = deadline === undefined ? Infinity : deadline - executor.now();
    const signal = options.signal;
    // A limit or the caller's abort ends the exchange three ways: fetch's signal aborts the request (the connection
    // closes), the wait for fetch stops even if a custom fetch ignores its signal, and a body being read is cancelled.
    // Aborting it for one limit must not abort an exchange of a concurrent step: those get a controller of their own.
    const sharesController = this.shared.exchangesInFlight++ === 0;
    const controller = sharesController ? (this.shared.controller ??= new AbortController()) : new AbortController();
    let why: "timeout" | "request-timeout" | "aborted" | undefined;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let interrupt: (error: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (interrupt = reject));
    stopped.catch(() => undefined);
    const stop = (reason: "timeout" | "request-timeout" | "aborted") => {
      if (why !== undefined) return;
      why = reason;
      if (sharesController) this.shared.controller = undefined;
      controller.abort();
      reader?.cancel().catch(() => undefined);
      interrupt(new Error(reason));
    };
    const cancel = after(Math.min(left, requestTimeoutMs), () => stop(left <= requestTimeoutMs ? "timeout" : "request-timeout"));
    const onAbort = () => stop("aborted");
    signal?.addEventListener("abort", onAbort, { once: true });
    const shown = () => `${method} ${this.redact(shownUrl)}`;
    const fetcher = options.fetch ?? globalThis.fetch;
    /** A fetch unless a limit passes first; a response that comes after that is released. */
    const request = (target: string, init: RequestInit): Promise<Response> => {
      const pending = fetcher(target, init);
      pending.then(
        (late) => void (why !== undefined && late.body?.cancel().catch(() => undefined)),
        () => undefined,
      );
      return Promise.race([pending, stopped]);
    };
    try {
      const follow = options.followRedirects === true;
      // A step describes one operation, whose responses include its redirects (a 302 with a Location the document
      // reads): they are observed, not followed, unless followRedirects says so. Then they are followed here, so that
      // credentials never reach another origin; browsers hide redirects from fetch and follow them themselves.
      const init: RequestInit = { method, headers, redirect: follow && HIDES_REDIRECTS ? "follow" : "manual" };
      // Node's fetch does measurable work for every request that carries a signal, so one is passed only where a
      // limit was asked for (requestTimeoutMs, timeoutMs, the caller's signal). Under the default request timeout
      // alone the wait still ends on time: a response that comes later is released, a body being read is cancelled.
      if (stepTimeoutMs !== undefined || options.requestTimeoutMs !== undefined || deadline !== undefined || signal !== undefined)
        init.signal = controller.signal;
      if (body !== undefined) init.body = body;
      let target = url;
      let response = await request(target, init);
      for (let hops = 0; follow && !HIDES_REDIRECTS && isRedirect(response.status); hops++) {
        const location = response.headers.get("location");
        if (location === null) break;
        await response.body?.cancel().catch(() => undefined);
        if (hops === MAX_REDIRECTS) return { ok: false, reason: "network", message: `${shown()}: more than ${MAX_REDIRECTS} redirects` };
        const next = new URL(location, target);
        if (next.protocol !== "http:" && next.protocol !== "https:")
          return { ok: false, reason: "network", message: `${shown()}: redirected to a ${next.protocol} URL, which is not HTTP` };
        if (next.origin !== new URL(target).origin) {
          // Another origin: no credentials go there.
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(init.headers as Record<string, string>))
            if (!this.shared.secretHeaders.has(name)) kept[name] = value;
          init.headers = kept;
          for (const name of this.shared.secretQuery) next.searchParams.delete(name);
        }
        // 303, and 301/302 after a POST, become a GET without a body (as browsers and the Fetch standard do).
        if (response.status === 303 ? init.method !== "HEAD" : response.status <= 302 && init.method === "POST") {
          init.method = "GET";
          delete init.body;
          const rest: Record<string, string> = { ...(init.headers as Record<string, string>) };
          delete rest["content-type"];
          init.headers = rest;
        }
        target = next.href;
        response = await request(target, init);
      }
      const text = await readText(response, maxBytes, (r) => {
        reader = r;
        if (why !== undefined) r.cancel().catch(() => undefined);
      });
      // A limit that passed while the body was read cancelled it: what was read is not the body.
      if (why !== undefined) throw new Error(why);
      if (text === undefined)
        return {
          ok: false,
          reason: "response",
          message: `${shown()}: the response body is larger than maxResponseBytes (${maxBytes} bytes); raise maxResponseBytes to read it`,
        };
      const responseHeaders: Record<string, string> = {};
      // forEach, not for-of: Headers is iterable only with the DOM library's iterable part (dom.iterable).
      response.headers.forEach((value, name) => {
        responseHeaders[name] = Object.prototype.hasOwnProperty.call(responseHeaders, name) ? `${responseHeaders[name]}, ${value}` : value;
      });
      return { ok: true, status: response.status, url: response.url || target, headers: responseHeaders, bodyText: text };
    } catch (error) {
      if (why === "aborted") throw this.error("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal?.reason });
      if (why === "timeout") throw this.error(`timed out after ${options.timeoutMs} ms`, { stepId, reason: "timeout" });
      if (why === "request-timeout")
        return stepTimeoutMs !== undefined
          ? { ok: false, reason: "step-timeout", message: `no response within the step's timeout of ${stepTimeoutMs} ms` }
          : { ok: false, reason: "request-timeout", message: `no response within ${requestTimeoutMs} ms (requestTimeoutMs)` };
      return { ok: false, reason: "network", message: this.redact(hideUserinfo(`${shown()} failed: ${errorText(error)}`)) };
    } finally {
      this.shared.exchangesInFlight--;
      cancel();
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) out[name] = this.shared.secretHeaders.has(name) ? REDACTED : this.redact(value);
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
  failed(result: StepResult, action?: string, outputs?: object): WorkflowError {
    const error = this.failure(result, action);
    // The workflow's outputs that could be evaluated where it failed (this workflow's error, never a callee's).
    if (outputs !== undefined) (error as { outputs: object }).outputs = outputs;
    return error;
  }

  private failure(result: StepResult, action: string | undefined): WorkflowError {
    const stepId = this.stepOf.get(result);
    const what = action !== undefined ? `failure action '${action}' ended the workflow` : "the success criteria were not met";
    // A message step's result (runtime-messages.ts) says what it got.
    if ("about" in result && typeof result.about === "string") {
      if (result.error !== undefined && action === undefined) return result.error;
      return this.error(`${result.about}; ${what}`, {
        ...(stepId !== undefined ? { stepId } : {}),
        reason: result.error?.reason ?? "criteria",
        ...(result.error ? { cause: result.error } : {}),
      });
    }
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
    const seen = this.bodies.get(response);
    const excerpt = this.excerpt(seen?.text ?? scalarText(response.body));
    const answered = response.status === 0 ? `got no response (${response.error?.message ?? "no answer"})` : `answered ${response.status}`;
    const message = `${response.method} ${this.redact(seen?.url ?? response.url)} ${answered}; ${what}${excerpt ? `. Body: ${excerpt.length > 200 ? excerpt.slice(0, 200) + "…" : excerpt}` : ""}`;
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

/**
 * A regex criterion whose pattern embeds values, given as the pattern's texts around them: each value matches as
 * literal text (its syntax characters escaped), so the pattern's structure is the document's alone and no input
 * can turn it into one that backtracks without end. A pattern that is not valid fails the criterion.
 */
export function matchesPatternSource(strings: readonly string[], values: readonly unknown[], value: unknown, flags?: "i"): boolean {
  let source = strings[0] ?? "";
  for (const [i, embedded] of values.entries())
    source += scalarText(embedded).replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&") + (strings[i + 1] ?? "");
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, flags);
  } catch {
    return false;
  }
  return matchesPattern(pattern, value);
}

/**
 * A regex criterion of Arazzo 1.1 with values embedded: their text is spliced into the pattern, and the result
 * evaluated as a pattern. A value that is absent, or a pattern that does not compile, fails the criterion.
 */
export function matchesSplicedPattern(strings: readonly string[], values: readonly unknown[], value: unknown): boolean {
  if (values.some((v) => v === undefined)) return false;
  let source = strings[0] ?? "";
  for (const [i, embedded] of values.entries()) source += scalarText(embedded) + (strings[i + 1] ?? "");
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
