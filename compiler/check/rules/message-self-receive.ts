import type { Diagnostic } from "../../diagnostics.js";
import { escapePointerToken, joinPointer } from "../../load/pointer.js";
import type { CheckedStep } from "../lower-workflow.js";
import { maySendOrReceive, messageFields } from "../messages.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { Rule } from "./rule.js";

/**
 * A receive step on the channel an earlier send step of the run published to can take that very message (delta
 * §5.6): without correlationId it takes the first message there; with one, when its value is the one the send
 * step put in its message. The official test `pass/openapi-and-asyncapi` sends and receives through one
 * operation, correlating on the request ID it sent. Judged from the document where the AsyncAPI description could
 * not be read (the steps then name the same operation or channel), from the channels where it could.
 */
export const messageSelfReceive: Rule = {
  name: "message-self-receive",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    const soleAsyncSource = (): string | undefined => {
      const names = context.symbols.sourceDescriptions.filter((s) => s.type === "asyncapi").map((s) => s.name);
      return names.length === 1 ? names[0] : undefined;
    };
    for (const workflow of context.workflows) {
      // In execution order: what comes before a step may have run before it.
      const sent: CheckedStep[] = [];
      for (const step of workflow.steps) {
        const fields = messageFields(step.symbol.step);
        if (!step.message && (step.operation !== undefined || !maySendOrReceive(step.symbol.step, context.symbols))) continue;
        if (fields.action === "send") {
          sent.push(step);
          continue;
        }
        if (fields.action !== "receive") continue;
        const receiver = channelOf(step, soleAsyncSource);
        if (receiver === undefined) continue;
        for (const sender of sent) {
          if (channelOf(sender, soleAsyncSource) !== receiver) continue;
          const why = sameCorrelation(step, sender);
          if (why === undefined) continue;
          const at =
            fields.correlationId !== undefined
              ? { pointer: joinPointer(step.symbol.pointer, "correlationId") }
              : { pointer: joinPointer(step.symbol.pointer, "stepId"), preferKey: true };
          const file = context.symbols.file;
          diagnostics.push(
            diagnosticAt(file, "AZC4164", { stepId: step.symbol.stepId, sender: sender.symbol.stepId, channel: describe(step), why }, at, [
              relatedAt(file, `step '${sender.symbol.stepId}' sends here`, { pointer: joinPointer(sender.symbol.pointer, "stepId"), preferKey: true }),
            ]),
          );
          break;
        }
      }
    }
    return diagnostics;
  },
};

/**
 * The channel a message step uses, as a comparable key: the source and channel key when the description was read;
 * else the operation or channel as the step names it (an unqualified operationId qualified with the one AsyncAPI
 * source there is).
 */
function channelOf(step: CheckedStep, soleAsyncSource: () => string | undefined): string | undefined {
  if (step.message) return `channel ${step.message.source.name} ${step.message.channel.key}`;
  const { channelPath } = messageFields(step.symbol.step);
  if (channelPath !== undefined) return `path ${channelPath}`;
  const id = step.symbol.step.operationId;
  if (id === undefined) return undefined;
  if (id.startsWith("$sourceDescriptions.")) return `operation ${id}`;
  const source = soleAsyncSource();
  return source !== undefined ? `operation $sourceDescriptions.${source}.${id}` : `operation ${id}`;
}

function describe(step: CheckedStep): string {
  if (step.message) return `channel ${step.message.channel.key}`;
  const { channelPath } = messageFields(step.symbol.step);
  return channelPath !== undefined ? `channel ${channelPath}` : `operation ${step.symbol.step.operationId}`;
}

/** Why the receive step's correlation value is the one the send step sent; undefined when nothing says it is. */
function sameCorrelation(receiver: CheckedStep, sender: CheckedStep): string | undefined {
  const correlationId = messageFields(receiver.symbol.step).correlationId;
  if (correlationId === undefined) return "without correlationId the first message on the channel is taken";
  const value = wholeExpression(correlationId);
  const locations = receiver.message?.messages.flatMap((m) => (m.correlationLocation !== undefined ? [m.correlationLocation] : []));
  const known = locations !== undefined && locations.length > 0;
  // The send step's own output read from the message it sent (`$message.header.requestId`), at the correlation
  // location when that is known.
  const output = value !== undefined ? /^\$steps\.([A-Za-z0-9_-]+)\.outputs\.(.+)$/.exec(value) : null;
  if (output && output[1] === sender.symbol.stepId) {
    const read = (sender.symbol.step.outputs ?? {})[output[2]!];
    if (typeof read === "string" && read.startsWith("$message.") && (!known || locations.some((l) => sameLocation(read, l))))
      return `its correlationId is ${value}, read from the message '${sender.symbol.stepId}' sent`;
  }
  // The same value written into the sent message: a header parameter, or a payload member.
  const written = [
    ...sender.symbol.parameters.filter((p) => p.parameter.in === "header").map((p) => ({ at: `$message.header#/${p.parameter.name}`, value: p.parameter.value })),
    ...payloadMembers(sender.symbol.step.requestBody?.payload),
  ];
  for (const entry of written) {
    if (known && !locations.some((l) => sameLocation(entry.at, l))) continue;
    if (JSON.stringify(wholeExpression(entry.value) ?? entry.value) === JSON.stringify(value ?? correlationId))
      return `its correlationId is the value '${sender.symbol.stepId}' sends at ${entry.at}`;
  }
  return undefined;
}

/** An expression written whole (`$x` or `{$x}`), as text; undefined for anything else. */
function wholeExpression(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const braced = /^\{(\$[^{}]+)\}$/.exec(value);
  return braced ? braced[1] : value.startsWith("$") ? value : undefined;
}

/** The top-level members of a payload written as an object, each with its correlation location. */
function payloadMembers(payload: unknown): { at: string; value: unknown }[] {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return [];
  return Object.entries(payload).map(([name, value]) => ({ at: `$message.payload#/${escapePointerToken(name)}`, value }));
}

/**
 * Whether an Arazzo read of a message (`$message.header.x`, `$message.payload#/a`) or an AsyncAPI location
 * (`$message.header#/x`) names the same place as an AsyncAPI correlation location. Header names ignore case.
 */
function sameLocation(read: string, location: string): boolean {
  const canonical = (text: string): string => {
    const header = /^\$message\.header(?:\.|#\/)(.+)$/.exec(text);
    if (header) return `header ${header[1]!.toLowerCase()}`;
    return text.replace(/^\$message\.payload#?/, "payload ");
  };
  return canonical(read) === canonical(location);
}
