// Message steps (Arazzo 1.1, AsyncAPI sources): which steps send or receive messages, the channel and messages
// each names (an AsyncAPI operation by operationId, or a channel by channelPath), and the parts of the step that
// become the message: channel parameters, headers, the payload, the correlation value and its locations.
import { declaredProperties } from "../ir/schema.js";
import type { AsyncApiChannel, AsyncApiMessage, AsyncApiOperation, AsyncApiSource } from "../load/asyncapi.js";
import { joinPointer } from "../load/pointer.js";
import type { Step } from "../schema/arazzo.js";
import { lowerPayload, lowerValue } from "./lower-value.js";
import type { BoundMessage, Value } from "./model.js";
import { Collector, type Lowered } from "./report.js";
import type { Scope } from "./resolve.js";
import type { ParameterEntry, SymbolTable } from "./symbols.js";
import { closest } from "./targets.js";

/** The fields of a 1.1 step that message steps read. */
export interface MessageStepFields {
  readonly channelPath?: string | undefined;
  readonly action?: "send" | "receive" | undefined;
  readonly correlationId?: unknown;
  readonly timeout?: number | undefined;
}

export function messageFields(step: Step): MessageStepFields {
  return step as Step & MessageStepFields;
}

/** The AsyncAPI channel and messages a step names. */
export interface MessageTarget {
  readonly source: AsyncApiSource;
  readonly operation?: AsyncApiOperation;
  readonly channel: AsyncApiChannel;
  readonly messages: readonly AsyncApiMessage[];
  /** How the step names it, for messages: `operation placeOrder`, `channel confirm-order`. */
  readonly label: string;
}

const QUALIFIED = /^\$sourceDescriptions\.([A-Za-z0-9_-]+)\.(.+)$/;

/** Whether a step names an AsyncAPI operation or channel (rather than an OpenAPI operation or a workflow). */
export function namesMessages(step: Step, symbols: SymbolTable): boolean {
  const async = symbols.asyncSources ?? new Map<string, AsyncApiSource>();
  if (step.workflowId !== undefined || step.operationPath !== undefined) return false;
  if (messageFields(step).channelPath !== undefined) return true;
  const id = step.operationId;
  if (id === undefined) return false;
  const qualified = QUALIFIED.exec(id);
  if (qualified) return async.has(qualified[1]!);
  const inAsync = [...async.values()].some((s) => s.byOperationId.get(id) !== undefined);
  const inOpenApi = [...symbols.sources.values()].some((s) => s.byOperationId.get(id) !== undefined);
  // Found in both kinds: resolveMessageTarget reports the ambiguity.
  return inAsync || (!inOpenApi && symbols.sources.size === 0 && async.size > 0);
}

/**
 * Whether a step that could not be bound may still be a message step, as the document declares its sources:
 * it names a channel, or an operation of a source of type asyncapi (or, unqualified, there is one).
 */
export function maySendOrReceive(step: Step, symbols: SymbolTable): boolean {
  if (step.workflowId !== undefined || step.operationPath !== undefined) return false;
  if (messageFields(step).channelPath !== undefined) return true;
  const id = step.operationId;
  if (id === undefined) return false;
  const qualified = QUALIFIED.exec(id);
  if (qualified) return symbols.sourcesByName.get(qualified[1]!)?.type === "asyncapi";
  return symbols.sourceDescriptions.some((s) => s.type === "asyncapi");
}

/** The channel and messages a message step names by channelPath or operationId. */
export function resolveMessageTarget(step: Step, pointer: string, symbols: SymbolTable): Lowered<MessageTarget> {
  const out = new Collector(symbols.file);
  const async = symbols.asyncSources ?? new Map<string, AsyncApiSource>();
  const names = () => symbols.sourceDescriptions.map((s) => s.name).join(", ");
  const channelPath = messageFields(step).channelPath;
  if (channelPath !== undefined) {
    const at = { pointer: joinPointer(pointer, "channelPath") };
    const match = /^\{\$sourceDescriptions\.([A-Za-z0-9_-]+)\.url\}#(.*)$/.exec(channelPath);
    if (!match) {
      out.report("AZC4152", { text: channelPath, reason: "it is not '{$sourceDescriptions.<name>.url}#/channels/<channel key>'" }, at);
      return out.done(undefined);
    }
    const source = async.get(match[1]!);
    if (!source) {
      if (!symbols.sourcesByName.has(match[1]!)) out.report("AZC4002", { name: match[1]!, names: names() }, at);
      else if (symbols.sources.has(match[1]!))
        out.report("AZC4152", { text: channelPath, reason: `source '${match[1]}' is an OpenAPI description` }, at);
      return out.done(undefined); // an AsyncAPI source that failed to load is reported where it is declared
    }
    // 1.1 (Source Description Expression Resolution): `.url` names an operation called url before the field.
    if ([...source.byOperationId.keys()].includes("url")) {
      out.report("AZC4103", { name: match[1]!, kind: "an operation" }, at);
      return out.done(undefined);
    }
    let decoded = match[2]!;
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      // kept as written: the lookup below says it names nothing
    }
    const channel = source.byPointer.get(decoded);
    if (!channel) {
      const keys = [...source.byPointer.keys()].map((k) => `#${k}`);
      const suggestion = closest(`#${decoded}`, keys);
      const reason = `the pointer does not reach a channel of ${source.name} (${suggestion !== undefined ? `did you mean '${suggestion}'?` : `its channels: ${keys.join(", ") || "none"}`})`;
      out.report("AZC4152", { text: channelPath, reason }, at);
      return out.done(undefined);
    }
    return out.done({ source, channel, messages: channel.messages, label: `channel ${channel.key}` });
  }
  const text = step.operationId!;
  const at = { pointer: joinPointer(pointer, "operationId") };
  const qualified = QUALIFIED.exec(text);
  const id = qualified ? qualified[2]! : text;
  const candidates = qualified ? [async.get(qualified[1]!)!] : [...async.values()];
  const found = candidates.flatMap((s) => {
    const operation = s.byOperationId.get(id);
    return operation ? [{ source: s, operation }] : [];
  });
  const alsoHttp = !qualified && [...symbols.sources.values()].some((s) => s.byOperationId.get(id) !== undefined);
  if (found.length > 1 || (found.length === 1 && alsoHttp)) {
    out.report("AZC4010", { what: "operationId across sources (qualify it as $sourceDescriptions.<name>.<operationId>)", name: id }, at);
    return out.done(undefined);
  }
  const hit = found[0];
  if (!hit) {
    const suggestion = closest(
      id,
      candidates.flatMap((s) => [...s.byOperationId.keys()]),
    );
    out.report("AZC4001", { operationId: id, suggestion: suggestion ? `; did you mean '${suggestion}'?` : "" }, at);
    return out.done(undefined);
  }
  return out.done({
    source: hit.source,
    operation: hit.operation,
    channel: hit.operation.channel,
    messages: hit.operation.messages,
    label: `operation ${hit.operation.id}`,
  });
}

/** A correlation location as AsyncAPI writes it: `$message.header#/name` or `$message.payload#/a/b`. */
const LOCATION = /^\$message\.(?:header#\/[^/]+(?:\/.*)?|payload(?:#(?:\/.*)?)?)$/;

/**
 * The message a step sends or the one it waits for, lowered: channel parameters and headers from its parameters,
 * the payload from its request body, the correlation value and where its messages keep one.
 */
export function lowerMessage(
  step: Step,
  pointer: string,
  target: MessageTarget,
  action: "send" | "receive",
  parameters: ReadonlyArray<{ readonly entry: ParameterEntry; readonly value: Value | undefined }>,
  scope: (place: "parameter" | "requestBody") => Scope,
  symbols: SymbolTable,
): Lowered<BoundMessage> {
  const out = new Collector(symbols.file);
  const { channel, messages } = target;
  const headers: [string, Value][] = [];
  const channelParameters: [string, Value][] = [];
  let complete = true;
  for (const { entry, value } of parameters) {
    const where = entry.parameter.in as string | undefined;
    if (where === undefined) continue; // reported by rules/parameter-location
    if (where !== "header" && where !== "channel") {
      out.report("AZC4153", { name: entry.parameter.name, in: where }, { pointer: joinPointer(entry.pointer, "in") });
      complete = false;
      continue;
    }
    if (value === undefined) {
      complete = false;
      continue;
    }
    (where === "header" ? headers : channelParameters).push([entry.parameter.name, value]);
  }
  // A header no message declares is sent as given, but most likely misnamed (the correlation ID's header, say).
  const declared = messages.flatMap((m) => {
    if (m.headers === undefined) return [];
    return declaredProperties(symbols.store.schemas.normalize(m.headers), symbols.store.schemas.table) ?? [];
  });
  if (declared.length > 0)
    for (const { entry } of parameters)
      if (entry.parameter.in === "header" && !declared.some((d) => d.toLowerCase() === entry.parameter.name.toLowerCase()))
        out.report(
          "AZC4163",
          { name: entry.parameter.name, target: target.label, names: [...new Set(declared)].join(", ") },
          { pointer: joinPointer(entry.pointer, "name") },
        );
  const contentType = step.requestBody?.contentType ?? messages.find((m) => m.contentType !== undefined)?.contentType ?? "application/json";
  let payload: Value | undefined;
  if (step.requestBody !== undefined) {
    if (action === "receive") {
      out.report("AZC4156", {}, { pointer: joinPointer(pointer, "requestBody"), preferKey: true });
      complete = false;
    } else if (step.requestBody.payload !== undefined) {
      payload = out.take(
        lowerPayload(step.requestBody.payload, contentType, joinPointer(pointer, "requestBody", "payload"), scope("requestBody"), symbols),
      );
      if (payload === undefined) complete = false;
    }
  }

  // Each placeholder of the address: the step's in: channel parameter, else the AsyncAPI parameter's default,
  // else (sending) its location in the message sent, read at run time.
  const parameterLocations: [string, string][] = [];
  const address = channel.address ?? "";
  for (const name of [...address.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)) {
    if (channelParameters.some(([n]) => n === name)) continue;
    const declared = channel.parameterObjects.get(name);
    if (declared?.default !== undefined) {
      channelParameters.push([name, { kind: "literal", value: declared.default }]);
      continue;
    }
    const location = declared?.location;
    let reason = "";
    if (location !== undefined && !LOCATION.test(location))
      reason = `: its location '${location}' is not $message.header#/<name> or $message.payload#/<pointer>`;
    else if (location !== undefined && action === "receive")
      reason = `: its location ${location} is read from the message sent, and a receive step sends none`;
    else if (location !== undefined) {
      if (complete && !sendsAt(location, headers, payload))
        out.report(
          "AZC4191",
          { name, address, location, stepId: step.stepId },
          {
            pointer:
              location.startsWith("$message.payload") && payload !== undefined ? joinPointer(pointer, "requestBody", "payload") : pointer,
            preferKey: true,
          },
        );
      parameterLocations.push([name, location]);
      continue;
    }
    out.report("AZC4157", { name, address, reason }, { pointer, preferKey: true });
    complete = false;
  }
  // A constant outside the parameter's enum addresses a channel the description does not have.
  for (const { entry, value } of parameters) {
    const allowed = channel.parameterObjects.get(entry.parameter.name)?.enum;
    if (entry.parameter.in !== "channel" || allowed === undefined || value?.kind !== "literal") continue;
    const given = value.value;
    if (typeof given === "object" && given !== null) continue;
    if (!allowed.includes(String(given)))
      out.report(
        "AZC4190",
        { name: entry.parameter.name, value: String(given), address, values: allowed.join(", ") },
        { pointer: joinPointer(entry.pointer, "value") },
      );
  }

  let correlation: BoundMessage["correlation"];
  const correlationId = messageFields(step).correlationId;
  if (correlationId !== undefined && action === "receive") {
    const at = { pointer: joinPointer(pointer, "correlationId") };
    const value = out.take(lowerValue(correlationId, at, scope("parameter"), false, symbols));
    const locations = [
      ...new Set(
        messages.flatMap((m) =>
          m.correlationLocation !== undefined && LOCATION.test(m.correlationLocation) ? [m.correlationLocation] : [],
        ),
      ),
    ];
    // Matched by canonical JSON (§5.6), which a message's correlation ID is hardly ever written as (A-7).
    if (typeof correlationId === "object" && correlationId !== null)
      out.report("AZC4167", { stepId: step.stepId, kind: Array.isArray(correlationId) ? "array" : "object" }, at);
    if (locations.length === 0) {
      out.report("AZC4154", { channel: target.label }, at);
      complete = false;
    } else {
      const unmatched = messages.filter((m) => m.correlationLocation === undefined || !LOCATION.test(m.correlationLocation));
      if (unmatched.length > 0)
        out.report("AZC4168", { stepId: step.stepId, target: target.label, names: unmatched.map((m) => m.key).join(", ") }, at);
      if (value === undefined) complete = false;
      else correlation = { value, locations };
    }
  }
  // A message sent without the correlation ID its description keeps can never be told apart by a receiver.
  if (action === "send" && complete) {
    const located = [
      ...new Set(
        messages.flatMap((m) => (m.correlationLocation !== undefined && LOCATION.test(m.correlationLocation) ? [m.correlationLocation] : [])),
      ),
    ];
    // A payload location counts as missed only where the payload is written out without it.
    const missed = located.filter((l) => (l.startsWith("$message.header") || payload !== undefined) && !sendsAt(l, headers, payload));
    if (located.length > 0 && missed.length === located.length) {
      const location = missed[0]!;
      const header = /^\$message\.header#\/([^/]+)/.exec(location)?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
      out.report(
        "AZC4169",
        {
          stepId: step.stepId,
          location: missed.join(" or "),
          send: header !== undefined ? `a parameter with name: ${header} and in: header` : `the member at ${location} in the payload`,
        },
        header === undefined ? { pointer: joinPointer(pointer, "requestBody", "payload"), preferKey: true } : { pointer: joinPointer(pointer, "stepId"), preferKey: true },
      );
    }
  }
  if (!complete) return out.done(undefined);
  return out.done({
    source: target.source.name,
    action,
    channel: {
      key: channel.key,
      address: channel.address,
      ...(target.operation ? { operation: target.operation.id } : {}),
      ...(target.operation?.reply !== undefined ? { reply: target.operation.reply } : {}),
      servers: channel.servers.map((s) => ({
        host: s.host,
        protocol: s.protocol,
        ...(s.pathname !== undefined ? { pathname: s.pathname } : {}),
      })),
    },
    messages,
    parameters: channelParameters,
    ...(parameterLocations.length > 0 ? { parameterLocations } : {}),
    headers,
    ...(payload !== undefined ? { payload } : {}),
    contentType,
    ...(correlation ? { correlation } : {}),
  });
}

/**
 * Whether a send step may carry a value at an AsyncAPI location: a header it sets, or a payload that may have the
 * member (false only where the payload is written out and lacks it).
 */
function sendsAt(location: string, headers: ReadonlyArray<readonly [string, Value]>, payload: Value | undefined): boolean {
  const match = /^\$message\.(header|payload)(?:#(.*))?$/.exec(location)!;
  const tokens = (match[2] ?? "")
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (match[1] === "header") return headers.some(([name]) => name.toLowerCase() === tokens[0]!.toLowerCase());
  let at: Value | undefined = payload;
  for (const token of tokens) {
    if (at === undefined) return false;
    if (at.kind === "object") at = at.entries.find(([name]) => name === token)?.[1];
    else if (at.kind === "array") at = /^(?:0|[1-9]\d*)$/.test(token) ? at.items[Number(token)] : undefined;
    else if (at.kind === "literal") {
      const value: unknown = at.value;
      const member =
        typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, token)
          ? (value as Record<string, unknown>)[token]
          : undefined;
      at = member === undefined ? undefined : { kind: "literal", value: member };
    } else return true; // known only at run time
  }
  // The runtime takes null for no value, as it does for a channel parameter.
  return at !== undefined && !(at.kind === "literal" && at.value === null);
}

/** Payload members whose names say the message may report a failure (delta Δ19). */
const ERROR_LIKE = /error|status|code|fault/i;

/**
 * Why a receive step without successCriteria may take a message that is no success (delta Δ19: the spec asks for
 * criteria over `$message.payload` unless the channel has one unambiguous success message without error fields);
 * undefined when nothing says so.
 */
export function uncheckedReceiveReason(target: MessageTarget, symbols: SymbolTable): string | undefined {
  if (target.messages.length > 1)
    return `it may take any of ${target.messages.length} messages (${target.messages.map((m) => m.key).join(", ")})`;
  const payload = target.messages[0]?.payload;
  if (payload === undefined) return undefined;
  const members = declaredProperties(symbols.store.schemas.normalize(payload), symbols.store.schemas.table) ?? [];
  const errorLike = members.filter((name) => ERROR_LIKE.test(name));
  return errorLike.length > 0 ? `its payload has members that may report a failure (${errorLike.join(", ")})` : undefined;
}
