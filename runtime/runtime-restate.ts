// arazzoc runtime for Restate: copied as runtime-restate.ts next to the generated modules when they are
// compiled with `--durable restate`. The one generated file with a dependency: the worker installs
// @restatedev/restate-sdk. It runs the unchanged workflow functions with an executor that journals every
// HTTP exchange and every message sent or received (ctx.run), waits on durable timers (ctx.sleep) and reads
// Restate's deterministic clock and random numbers, so a run that crashes resumes on any worker where it stopped.
import * as restate from "@restatedev/restate-sdk";
import {
  WorkflowError,
  type ExchangeOutcome,
  type IncomingMessage,
  type MessageOutcome,
  type MessageTransport,
  type WorkflowExecutor,
  type WorkflowOptions,
} from "./runtime.js";

// The SDK calls Promise.withResolvers (ES2024), which Node 20 lacks; Node 22 has it and skips this line.
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= function <T>() {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
};

// The wrappers of modules with message steps type their transports with it.
export type { MessageTransport };

/** The worker's options for every workflow it runs: servers, base URL, headers, limits, and its secrets. */
export interface RestateWorkflowsOptions<Secrets extends object = Record<string, unknown>> extends Omit<WorkflowOptions, "executor" | "signal"> {
  /**
   * Secret inputs held by the worker (e.g. `{ token: process.env.WINDMILL_TOKEN }`): filled into each run that
   * declares them, never sent in the invocation, and so never in Restate's journal or state. Their values
   * are also replaced by [redacted] in the recorded responses.
   */
  secrets?: Secrets;
}

/** A WorkflowError as Restate's terminal failure: not retried, with its reason, step and status. */
export function terminalError(error: WorkflowError): restate.TerminalError {
  const metadata: Record<string, string> = { workflowId: error.workflowId, reason: error.reason };
  if (error.stepId !== undefined) metadata["stepId"] = error.stepId;
  if (error.status !== undefined) metadata["status"] = String(error.status);
  const where = [`reason ${error.reason}`, ...(error.stepId !== undefined ? [`step ${error.stepId}`] : []), ...(error.status !== undefined ? [`status ${error.status}`] : [])];
  // The invocation failed because of its inputs (400) or because of the workflow's run (500); the HTTP
  // status of the step's response is in the metadata and the message, not the invocation's status.
  return new restate.TerminalError(`${error.message} (${where.join(", ")})`, { errorCode: error.reason === "inputs" ? 400 : 500, metadata });
}

/** Replaces each secret value in a text by [redacted] (as it is, and as URLs and JSON strings carry it). */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    for (const shown of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) out = out.split(shown).join("[redacted]");
  return out;
}

const MAX_SLEEP_MS = 100 * 365 * 24 * 3600 * 1000;

/** What one exchange leaves in the journal: its outcome, with the worker's secrets scrubbed, and when it ended. */
interface JournaledExchange {
  readonly outcome: ExchangeOutcome;
  readonly at: number;
}

/**
 * What a message step leaves in the journal: its outcome as JSON (a failure's cause is not kept; a byte payload is
 * kept as base64 beside it), and when it ended.
 */
interface JournaledMessage {
  readonly outcome: MessageOutcome;
  readonly payloadBase64?: string;
  readonly at: number;
}

/** A value with each secret text inside its strings (keys included) replaced by [redacted]. */
function scrubValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === "string") return scrub(value, secrets);
  if (value === null || typeof value !== "object" || depth > 64 || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) out[scrub(key, secrets)] = scrubValue(member, secrets, depth + 1);
  return out;
}

function journalable(outcome: MessageOutcome, secrets: readonly string[]): Omit<JournaledMessage, "at"> {
  if (!outcome.ok) return { outcome: { ok: false, reason: outcome.reason, message: scrub(outcome.message, secrets) } };
  const received = outcome.received;
  if (received === undefined) return { outcome: { ok: true } };
  const headers = (secrets.length > 0 ? scrubValue(received.headers, secrets) : received.headers) as IncomingMessage["headers"];
  if (received.payload instanceof Uint8Array) {
    const { payload, ...rest } = received;
    return { outcome: { ok: true, received: { ...rest, headers, payload: undefined } }, payloadBase64: Buffer.from(payload).toString("base64") };
  }
  const payload = secrets.length > 0 ? scrubValue(received.payload, secrets) : received.payload;
  return { outcome: { ok: true, received: { ...received, headers, payload } } };
}

/** The outcome a journal entry holds, a byte payload restored. */
function replayed(journaled: JournaledMessage): MessageOutcome {
  const { outcome, payloadBase64 } = journaled;
  if (payloadBase64 === undefined || !outcome.ok || outcome.received === undefined) return outcome;
  return { ok: true, received: { ...outcome.received, payload: new Uint8Array(Buffer.from(payloadBase64, "base64")) } };
}

/**
 * The executor of one Restate invocation. The clock is Restate's: read once at the start, then moved to
 * the recorded end of each exchange and to the recorded time after each durable sleep, so a replay reads
 * the same times at the same points.
 */
class RestateExecutor implements WorkflowExecutor {
  constructor(
    private readonly ctx: restate.WorkflowContext,
    private readonly secrets: readonly string[],
    private clock: number,
  ) {}

  async exchange(name: string, perform: () => Promise<ExchangeOutcome>): Promise<ExchangeOutcome> {
    const journaled = await this.ctx.run<JournaledExchange>(name, async () => {
      let outcome: ExchangeOutcome;
      try {
        outcome = await perform();
      } catch (error) {
        // The run's own deadline ended the exchange: final, as in-process.
        if (error instanceof WorkflowError) throw terminalError(error);
        throw error;
      }
      return { outcome: this.secrets.length > 0 ? this.scrubbed(outcome) : outcome, at: Date.now() };
    });
    this.clock = Math.max(this.clock, journaled.at);
    return journaled.outcome;
  }

  private scrubbed(outcome: ExchangeOutcome): ExchangeOutcome {
    if (!outcome.ok) return { ...outcome, message: scrub(outcome.message, this.secrets) };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(outcome.headers)) headers[name] = scrub(value, this.secrets);
    return { ...outcome, url: scrub(outcome.url, this.secrets), headers, bodyText: scrub(outcome.bodyText, this.secrets) };
  }

  /**
   * A send or the wait for a message, as one journal entry: the outcome (the message received, its secrets
   * scrubbed), or why there was none. The deadline is fixed once on Restate's recorded clock, so a worker that
   * resumes an interrupted wait waits only what is left of it.
   */
  async message(name: string, ms: number, perform: (ms: number) => Promise<MessageOutcome>): Promise<MessageOutcome> {
    const deadline = Number.isFinite(ms) ? (await this.ctx.date.now()) + Math.max(0, ms) : Infinity;
    const journaled = await this.ctx.run<JournaledMessage>(name, async () => {
      const outcome = await perform(deadline === Infinity ? Infinity : Math.max(0, deadline - Date.now()));
      return { ...journalable(outcome, this.secrets), at: Date.now() };
    });
    this.clock = Math.max(this.clock, journaled.at);
    return replayed(journaled);
  }

  async sleep(ms: number): Promise<void> {
    // A durable timer needs an end: an unbounded wait (ms Infinity) becomes one of a hundred years.
    await this.ctx.sleep(Number.isFinite(ms) ? Math.max(0, ms) : MAX_SLEEP_MS);
    this.clock = Math.max(this.clock, await this.ctx.date.now());
  }

  now(): number {
    return this.clock;
  }

  random(): number {
    return this.ctx.rand.random();
  }
}

/**
 * Runs one workflow function as the body of a Restate workflow's `run` handler: the worker's secrets
 * merged into the invocation's inputs, every effect through the Restate executor, and a WorkflowError
 * turned into a terminal failure. Any other error stays retryable: Restate runs the handler again,
 * replaying what the journal holds. `secretInputs`: the secret inputs' names, and the paths of secret members
 * (`["accounts", "token"]`, through arrays to each item), whose inputs the worker holds whole.
 */
export async function runDurably<Inputs, Outputs>(
  ctx: restate.WorkflowContext,
  invocation: unknown,
  secretInputs: ReadonlyArray<string | readonly string[]>,
  options: RestateWorkflowsOptions<object>,
  run: (inputs: Inputs, options: WorkflowOptions) => Promise<Outputs>,
): Promise<Outputs> {
  const { secrets, ...workflowOptions } = options;
  const paths = secretInputs.map((secret) => (typeof secret === "string" ? [secret] : secret));
  const held = Object.entries((secrets ?? {}) as Record<string, unknown>).filter(
    ([name, value]) => value !== undefined && paths.some((path) => path[0] === name),
  );
  const isRecord = typeof invocation === "object" && invocation !== null && !Array.isArray(invocation);
  // Inputs that are no object are handed on as they are when nothing is added: the input check reports them.
  if (!isRecord && held.length === 0) return runWith(ctx, [], invocation as Inputs, workflowOptions, run);
  const inputs: Record<string, unknown> = isRecord ? { ...(invocation as Record<string, unknown>) } : {};
  for (const [name, value] of held) {
    if (inputs[name] !== undefined)
      throw new restate.TerminalError(
        `input '${name}' is held by the worker as a secret; leave it out of the invocation (what an invocation carries is stored in the journal)`,
        { errorCode: 400 },
      );
    inputs[name] = value;
  }
  // Only the secrets are scrubbed from what is journaled, not the other members of a held input: the run reads
  // the journaled responses, and a user name scrubbed there would change what it sees.
  const secretTexts = held
    .flatMap(([name, value]) => paths.filter((path) => path[0] === name).flatMap((path) => secretsAt(value, path.slice(1), 0)))
    .filter((text) => text.length >= 3);
  return runWith(ctx, secretTexts, inputs as Inputs, workflowOptions, run);
}

/**
 * The texts of a held secret at `path` in its input: the value there, or each string and number inside it. An
 * array on the way stands for each of its items, as for the runtime's own secret paths.
 */
function secretsAt(value: unknown, path: readonly string[], depth: number): string[] {
  if (typeof value === "string" || typeof value === "number") return path.length === 0 ? [String(value)] : [];
  if (value === null || typeof value !== "object" || depth > 8) return [];
  if (Array.isArray(value) || path.length === 0) return Object.values(value).flatMap((member) => secretsAt(member, path, depth + 1));
  return Object.prototype.hasOwnProperty.call(value, path[0]!) ? secretsAt((value as Record<string, unknown>)[path[0]!], path.slice(1), depth + 1) : [];
}

async function runWith<Inputs, Outputs>(
  ctx: restate.WorkflowContext,
  secrets: readonly string[],
  inputs: Inputs,
  options: WorkflowOptions,
  run: (inputs: Inputs, options: WorkflowOptions) => Promise<Outputs>,
): Promise<Outputs> {
  const executor = new RestateExecutor(ctx, secrets, await ctx.date.now());
  try {
    return await run(inputs, { ...options, executor });
  } catch (error) {
    if (error instanceof WorkflowError) throw terminalError(error);
    throw error;
  }
}
