// arazzoc message steps: copied as runtime-messages.ts next to the generated modules that send or receive AsyncAPI
// messages (and only those, so others carry none of it). A send step hands its message to the transport the caller
// passes for its source (WorkflowOptions.transports); a receive step takes the first message of its kinds that
// carries its correlation value, from a subscription opened before the step that triggers it. Also an in-memory
// transport for tests. No dependencies, no Node-only APIs.
import {
  isObject,
  redactedValue,
  valueAt,
  type IncomingMessage,
  type MessageChannel,
  type MessageFilter,
  type MessageOutcome,
  type MessageStep,
  type MessageSubscription,
  type MessageTransport,
  type OutgoingMessage,
  type StepMessage,
  type WorkflowError,
  type WorkflowRun,
} from "./runtime.js";

// ---------------------------------------------------------------------------------------------------
// Messages of steps
// ---------------------------------------------------------------------------------------------------

class Delivery implements StepMessage {
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly message?: string;
  /** What the step got, for its failure message: `the message on confirm-order`, `no message on confirm-order`. */
  about: string;
  error?: WorkflowError;

  constructor(message: { headers: Readonly<Record<string, unknown>>; payload: unknown; message?: string | undefined }, about: string) {
    this.payload = message.payload;
    this.headers = message.headers;
    if (message.message !== undefined) this.message = message.message;
    this.about = about;
  }

  header(name: string): unknown {
    return headerOf(this.headers, name);
  }
}

function headerOf(headers: Readonly<Record<string, unknown>>, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function reasonText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Calls `fire` after `ms` (Infinity: never); returns what cancels it. Long waits are chained below setTimeout's limit. */
function after(ms: number, fire: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (left: number) => {
    timer = left > 2_147_483_647 ? setTimeout(() => arm(left - 2_147_483_647), 2_147_483_647) : setTimeout(fire, left);
  };
  if (ms !== Infinity) arm(Math.max(0, ms));
  return () => clearTimeout(timer);
}

/** The value at an AsyncAPI location (`$message.header#/id`, `$message.payload#/a/b`) of a message; undefined when absent. */
function valueAtLocation(message: Omit<IncomingMessage, "contentType">, location: string): unknown {
  const match = /^\$message\.(header|payload)(?:#(.*))?$/.exec(location);
  if (!match) return undefined;
  const tokens = (match[2] ?? "")
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (match[1] === "payload") return valueAt(message.payload, tokens);
  const [name, ...rest] = tokens;
  return name === undefined ? undefined : valueAt(headerOf(message.headers, name), rest);
}

/** JSON text with object members sorted: the same for equal values whatever their member order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** Correlation equality: scalars by their text ("42" matches 42, as brokers deliver headers as text), structures by canonical JSON. */
function correlates(found: unknown, expected: unknown): boolean {
  if (found === undefined || found === null) return false;
  const scalar = (v: unknown) => typeof v !== "object" || v === null;
  if (scalar(found) && scalar(expected)) return String(found) === String(expected);
  return canonical(found) === canonical(expected);
}

/**
 * A receive step's subscription: the accepted messages in their order, each kept until an attempt of the step
 * takes it (one per attempt; a retried step's next attempt takes the next one).
 */
class Inbox {
  readonly channel: MessageChannel;
  readonly controller = new AbortController();
  readonly subscription: Promise<MessageSubscription>;
  readonly waiting: IncomingMessage[] = [];
  failure: unknown;
  wake: (() => void) | undefined;

  constructor(transport: MessageTransport, channel: MessageChannel, filter: MessageFilter) {
    this.channel = channel;
    const deliver = (message: IncomingMessage) => {
      if (this.controller.signal.aborted || !filter.accepts(message)) return;
      this.waiting.push(message);
      this.wake?.();
    };
    this.subscription = (async () => transport.subscribe(channel, filter, deliver, this.controller.signal))();
    this.subscription.catch((error: unknown) => {
      this.failure = error ?? new Error("the subscription failed");
      this.wake?.();
    });
  }

  async close(): Promise<void> {
    this.controller.abort();
    try {
      await (await this.subscription).cancel();
    } catch {
      // a subscription that failed to open, or to close, holds nothing more
    }
  }
}

/** The transport of a message step's source; a missing one is a configuration error. */
function transportOf(run: WorkflowRun, stepId: string, channel: MessageChannel): MessageTransport {
  const transport = run.settings.transports?.[channel.source];
  if (transport === undefined)
    throw run.stepError(`no message transport for source '${channel.source}'; pass options.transports.${channel.source}`, {
      stepId,
      reason: "config",
    });
  return transport;
}

/**
 * The channel with its address's `{name}` placeholders filled from the step's channel parameters, else (a send
 * step) from the message it sends, at the parameter's AsyncAPI location.
 */
function bound(run: WorkflowRun, stepId: string, channel: MessageChannel, step: MessageStep, sent?: OutgoingMessage): MessageChannel {
  if (channel.address === null || !channel.address.includes("{")) return channel;
  const address = channel.address.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    const location = step.locations?.[name];
    const value = step.parameters?.[name] ?? (sent && location !== undefined ? valueAtLocation(sent, location) : undefined);
    if (value === undefined || value === null)
      throw run.stepError(
        `channel parameter '${name}' of ${channel.address} has no value${location !== undefined ? `: the message sent has none at ${location}` : ""}`,
        { stepId, reason: "config" },
      );
    return text(value);
  });
  return { ...channel, address };
}

function filterOf(channel: MessageChannel, step: MessageStep): MessageFilter {
  const correlation = step.correlation;
  return {
    ...(correlation !== undefined ? { correlation } : {}),
    accepts: (message) =>
      (message.message === undefined || channel.messages.length === 0 || channel.messages.includes(message.message)) &&
      (correlation === undefined || correlation.locations.some((l) => correlates(valueAtLocation(message, l), correlation.value))),
  };
}

/**
 * A message a step sends or takes: its credential headers' values become secrets of the run, and the onMessage hook
 * hears of it, redacted as the HTTP hooks are: credential headers whole, secret values wherever they stand.
 */
async function heard(
  run: WorkflowRun,
  direction: "send" | "receive",
  stepId: string,
  channel: MessageChannel,
  message: Omit<IncomingMessage, "contentType">,
): Promise<void> {
  const credentials = new Set(Object.keys(message.headers).filter((name) => run.credential(name, message.headers[name])));
  const onMessage = run.settings.hooks?.onMessage;
  if (!onMessage) return;
  const redact = (text: string) => run.redact(text);
  await onMessage({
    workflowId: run.workflowId,
    stepId,
    direction,
    channel: channel.address === null ? channel : { ...channel, address: redact(channel.address) },
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, value]) => [
        name,
        credentials.has(name) ? "[redacted]" : redactedValue(value, redact, 0),
      ]),
    ),
    payload: redactedValue(message.payload, redact, 0),
  });
}

const where = (address: string | null, preposition: string) => (address !== null ? ` ${preposition} ${address}` : "");

/**
 * Opens a receive step's subscription ahead of the step, before the step that makes the message be sent, so that a
 * reply published meanwhile is kept. Opening it again (a loop) replaces the earlier one. The run closes it when it
 * ends, if the receive step has not.
 */
export async function listenForMessage(run: WorkflowRun, stepId: string, channel: MessageChannel, step: MessageStep): Promise<void> {
  run.checkRunning(stepId);
  const target = bound(run, stepId, channel, step);
  await run.held.get(stepId)?.close();
  run.afterAttempt.delete(stepId);
  const inbox = new Inbox(transportOf(run, stepId, target), target, filterOf(target, step));
  run.held.set(stepId, inbox);
  // Active before the triggering step runs; a failure to subscribe fails the receive step when it runs.
  await inbox.subscription.catch(() => undefined);
}

/**
 * A receive step: the first message on its subscription that is one of the step's messages and carries its
 * correlation value. No such message within the step's timeout (else receiveTimeoutMs) fails the step with reason
 * step-timeout; the run's timeoutMs and the caller's signal end the run. The wait is the step's effect: a durable
 * executor records the message taken (or why there was none), so a replay reads the same one. The subscription
 * outlives the attempt: a retry of the step takes the next message on it, one that arrived meanwhile included;
 * another step starting, or the run ending, closes it.
 */
export async function receiveMessage<Payload = unknown, Headers = Readonly<Record<string, unknown>>>(
  run: WorkflowRun,
  stepId: string,
  channel: MessageChannel,
  step: MessageStep,
): Promise<StepMessage<Payload, Headers>> {
  run.startStep(stepId);
  if (!(run.held.get(stepId) instanceof Inbox)) await listenForMessage(run, stepId, channel, step);
  const inbox = run.held.get(stepId) as Inbox;
  const signal = run.settings.signal;
  const stepMs = step.timeoutMs ?? run.settings.receiveTimeoutMs ?? Infinity;
  const runMs = run.timeLeft();
  // The timeout of a step that called this run, when it comes first, ends the run.
  const callerMs = run.callerTimeLeft();
  const on = where(inbox.channel.address, "on");
  const drop = async () => {
    run.held.delete(stepId);
    await inbox.close();
  };
  let outcome: MessageOutcome;
  try {
    outcome = await run.messageEffect(stepId, Math.min(stepMs, runMs, callerMs), (ms) =>
      awaitMessage(inbox, ms, runMs <= Math.min(stepMs, callerMs) ? "timeout" : "step-timeout", signal, on, stepMs),
    );
  } catch (error) {
    await drop();
    throw error;
  }
  const endsRun =
    !outcome.ok &&
    (outcome.reason === "aborted" ||
      outcome.reason === "timeout" ||
      (outcome.reason === "step-timeout" && callerMs !== Infinity && callerMs <= stepMs));
  // Kept for a retry of the step; a retry subscribes again rather than wait on a subscription that failed.
  if (endsRun || inbox.failure !== undefined) await drop();
  else run.afterAttempt.set(stepId, false);
  if (!outcome.ok && outcome.reason === "aborted")
    throw run.stepError("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal?.reason });
  if (!outcome.ok && outcome.reason === "timeout")
    throw run.stepError(`timed out after ${run.settings.timeoutMs} ms`, { stepId, reason: "timeout" });
  if (!outcome.ok && outcome.reason === "step-timeout" && callerMs !== Infinity && callerMs <= stepMs) throw run.callerTimedOut(stepId);
  const first = outcome.ok ? outcome.received : undefined;
  if (first !== undefined) await heard(run, "receive", stepId, inbox.channel, first);
  const result = new Delivery(first ?? { headers: {}, payload: undefined }, `${first ? "the message" : "no message"}${on}`);
  return recorded<Payload, Headers>(run, stepId, result, outcome);
}

/** The step's message, failed for the step's failure actions when its effect did not end well, recorded for the run. */
function recorded<Payload, Headers>(run: WorkflowRun, stepId: string, result: Delivery, outcome: MessageOutcome): StepMessage<Payload, Headers> {
  if (!outcome.ok)
    result.error = run.stepError(outcome.message, {
      stepId,
      reason: outcome.reason,
      ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
    });
  run.record(result, stepId);
  return result as unknown as StepMessage<Payload, Headers>;
}

/**
 * Waits up to `ms` for the inbox's first message. Settles on that message, a failed subscription, the end of the
 * wait (`expiry` says whose limit it is: the run's or the step's) or the caller's abort.
 */
function awaitMessage(
  inbox: Inbox,
  ms: number,
  expiry: "timeout" | "step-timeout",
  signal: AbortSignal | undefined,
  on: string,
  stepMs: number,
): Promise<MessageOutcome> {
  return new Promise<MessageOutcome>((resolve) => {
    let settled = false;
    let cancel: () => void = () => undefined;
    const finish = (reason?: "timeout" | "step-timeout" | "aborted") => {
      if (settled) return;
      settled = true;
      cancel();
      signal?.removeEventListener("abort", onAbort);
      inbox.wake = undefined;
      const first = inbox.waiting.shift();
      // A message that arrived wins over a limit that passed at the same time.
      if (first !== undefined) resolve({ ok: true, received: first });
      else if (reason === "aborted") resolve({ ok: false, reason: "aborted", message: "aborted by the caller's signal" });
      else if (reason === "timeout") resolve({ ok: false, reason: "timeout", message: "the run's timeout passed" });
      else if (inbox.failure !== undefined)
        resolve({ ok: false, reason: "transport", message: `cannot subscribe${on}: ${reasonText(inbox.failure)}`, cause: inbox.failure });
      else resolve({ ok: false, reason: "step-timeout", message: `no message${on} within the step's timeout of ${stepMs} ms` });
    };
    const onAbort = () => finish("aborted");
    cancel = after(ms, () => finish(expiry));
    signal?.addEventListener("abort", onAbort, { once: true });
    inbox.wake = () => finish();
    if (signal?.aborted) finish("aborted");
    else if (inbox.waiting.length > 0 || inbox.failure !== undefined) finish();
  });
}

/**
 * A send step: the message handed to the transport (done once the transport takes it: delivery is the broker's). A
 * transport that fails, or that does not take it within the step's timeout, fails the step. `$message` of the step
 * is the message sent. The send is the step's effect: a durable executor records that it was done, and a replay
 * does not send again.
 */
export async function sendMessage<Payload = unknown, Headers = Readonly<Record<string, unknown>>>(
  run: WorkflowRun,
  stepId: string,
  channel: MessageChannel,
  step: MessageStep,
): Promise<StepMessage<Payload, Headers>> {
  run.startStep(stepId);
  const message: OutgoingMessage = {
    headers: step.headers ?? {},
    payload: step.payload,
    contentType: step.contentType ?? "application/json",
    ...(step.message !== undefined ? { message: step.message } : {}),
  };
  const target = bound(run, stepId, channel, step, message);
  const transport = transportOf(run, stepId, target);
  // Before the transport has it, as onRequest comes before the request.
  await heard(run, "send", stepId, target, message);
  const signal = run.settings.signal;
  const runMs = run.timeLeft();
  const callerMs = run.callerTimeLeft();
  const stepMs = step.timeoutMs ?? Infinity;
  const to = where(target.address, "to");
  const outcome = await run.messageEffect(stepId, Math.min(stepMs, runMs, callerMs), (ms) =>
    handOver(transport, target, message, ms, runMs <= Math.min(stepMs, callerMs) ? "timeout" : "step-timeout", signal, to, stepMs),
  );
  if (signal?.aborted) throw run.stepError("aborted by the caller's signal", { stepId, reason: "aborted", cause: signal.reason });
  if (!outcome.ok && outcome.reason === "timeout")
    throw run.stepError(`timed out after ${run.settings.timeoutMs} ms`, { stepId, reason: "timeout" });
  if (!outcome.ok && outcome.reason === "step-timeout" && callerMs !== Infinity && callerMs <= stepMs) throw run.callerTimedOut(stepId);
  const result = new Delivery(message, `the message${to}`);
  return recorded<Payload, Headers>(run, stepId, result, outcome);
}

/** Hands a message to the transport, waiting up to `ms` for it to be taken (`expiry`: whose limit that is). */
async function handOver(
  transport: MessageTransport,
  target: MessageChannel,
  message: OutgoingMessage,
  ms: number,
  expiry: "timeout" | "step-timeout",
  signal: AbortSignal | undefined,
  to: string,
  stepMs: number,
): Promise<MessageOutcome> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let expired = false;
  let expire: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (expire = resolve));
  const cancel = after(ms, () => {
    expired = true;
    controller.abort();
    expire();
  });
  let failure: unknown;
  try {
    await Promise.race([transport.send(target, message, controller.signal), ended]);
  } catch (error) {
    failure = error ?? new Error("the transport failed");
  } finally {
    cancel();
    signal?.removeEventListener("abort", onAbort);
  }
  if (signal?.aborted) return { ok: false, reason: "aborted", message: "aborted by the caller's signal" };
  if (expired && expiry === "timeout") return { ok: false, reason: "timeout", message: "the run's timeout passed" };
  if (expired)
    return { ok: false, reason: "step-timeout", message: `the message${to} was not taken within the step's timeout of ${stepMs} ms` };
  if (failure !== undefined) return { ok: false, reason: "transport", message: `cannot send${to}: ${reasonText(failure)}`, cause: failure };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------
// The in-memory transport
// ---------------------------------------------------------------------------------------------------
/** A message the in-memory transport was given to send, with the channel it was sent on. */
export interface SentMessage {
  readonly channel: MessageChannel;
  readonly message: OutgoingMessage;
}

export interface MemoryTransport extends MessageTransport {
  /** Publishes a message on an address, as another application would: each subscription open there receives it. */
  deliver(address: string, message: IncomingMessage): void;
  /** Every message sent through the transport, in order. */
  readonly sent: readonly SentMessage[];
  /** Subscriptions open now, per address. */
  subscribers(address: string): number;
}

export interface MemoryTransportOptions {
  /**
   * Called after each message sent (and after it reached the subscriptions of its address): a test's stand-in
   * for the application on the other side, which may `deliver` a reply. An error it throws fails the send.
   */
  readonly respond?: (sent: SentMessage, transport: MemoryTransport) => void | Promise<void>;
}

/** A channel's address, or its key when the description gives no address: where its messages meet. */
function addressOf(channel: MessageChannel): string {
  return channel.address ?? channel.channel;
}

/** An in-process transport: sends reach the subscriptions open on the same address; nothing leaves the process. */
export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const subscriptions = new Map<string, Set<(message: IncomingMessage) => void>>();
  const sent: SentMessage[] = [];
  const transport: MemoryTransport = {
    sent,
    subscribers: (address) => subscriptions.get(address)?.size ?? 0,
    deliver(address, message) {
      // A copy per delivery, as a broker hands each subscriber its own message.
      for (const deliver of [...(subscriptions.get(address) ?? [])]) deliver(structuredClone(message));
    },
    async send(channel, message, signal) {
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
      const record = { channel, message: structuredClone(message) };
      sent.push(record);
      transport.deliver(addressOf(channel), {
        headers: message.headers,
        payload: message.payload,
        contentType: message.contentType,
        ...(message.message !== undefined ? { message: message.message } : {}),
      });
      await options.respond?.(record, transport);
    },
    subscribe(channel, _filter, deliver, signal): MessageSubscription {
      const address = addressOf(channel);
      const set = subscriptions.get(address) ?? new Set();
      subscriptions.set(address, set);
      const cancel = () => {
        set.delete(deliver);
        if (set.size === 0) subscriptions.delete(address);
      };
      if (!signal.aborted) set.add(deliver);
      signal.addEventListener("abort", cancel, { once: true });
      return { cancel };
    },
  };
  return transport;
}
