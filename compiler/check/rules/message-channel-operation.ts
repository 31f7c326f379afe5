import type { AsyncApiOperation } from "../../load/asyncapi.js";
import { messageFields } from "../messages.js";
import { diagnosticAt } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A step that names a channel by channelPath, where an AsyncAPI operation with an id covers that channel: the
 * specification says authors SHOULD name the operation (delta Δ13). An operation covers the channel when it uses
 * it with all of the channel's messages; one that lists fewer would change what the step sends or takes. The
 * operation of the step's action is meant; one of the opposite action only when it is the only one (decision A-6
 * accepts either).
 */
export const messageChannelOperation: Rule = {
  name: "message-channel-operation",
  check(context) {
    return allSteps(context).flatMap(({ step }) => {
      const target = step.message;
      const fields = messageFields(step.symbol.step);
      if (!target || fields.channelPath === undefined || fields.action === undefined) return [];
      const covering: AsyncApiOperation[] = [];
      for (const id of target.source.byOperationId.keys()) {
        const operation = target.source.byOperationId.get(id);
        if (!operation || operation.channel.pointer === "" || operation.channel.key !== target.channel.key) continue;
        if (target.channel.messages.every((m) => operation.messages.some((o) => o.key === m.key))) covering.push(operation);
      }
      const same = covering.filter((o) => o.action === fields.action);
      const operation = same.length === 1 ? same[0] : same.length === 0 && covering.length === 1 ? covering[0] : undefined;
      if (!operation) return [];
      const reference =
        context.symbols.sourceDescriptions.length > 1 ? `$sourceDescriptions.${target.source.name}.${operation.id}` : operation.id;
      return [
        diagnosticAt(
          context.symbols.file,
          "AZC4192",
          { stepId: step.symbol.stepId, target: target.label, operationId: operation.id, reference },
          { pointer: step.symbol.pointer + "/channelPath" },
        ),
      ];
    });
  },
};
