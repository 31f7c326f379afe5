import { messageFields } from "../messages.js";
import { diagnosticAt } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A send step that names a channel (channelPath) carrying several messages does not say which it sends (delta
 * its payload is typed as any of them, and the transport is told no message key. An operation can name
 * the one message meant; a receive step may take any of them, so it is not judged.
 */
export const messageAmbiguous: Rule = {
  name: "message-ambiguous",
  check(context) {
    return allSteps(context).flatMap(({ step }) => {
      const target = step.message;
      const fields = messageFields(step.symbol.step);
      if (!target || fields.action !== "send" || fields.channelPath === undefined || target.messages.length < 2) return [];
      return [
        diagnosticAt(
          context.symbols.file,
          "AZC4166",
          { stepId: step.symbol.stepId, target: target.label, names: target.messages.map((m) => m.key).join(", ") },
          { pointer: step.symbol.pointer + "/channelPath" },
        ),
      ];
    });
  },
};
