// Where a receive step's subscription opens. A reply that the step before it triggers (a send, a request that
// makes a server publish) may arrive before the receive step starts; a subscription sees only what is published
// after it opens. So it opens before the step that precedes the receive step, when that step is its only way in
// and the values the subscription needs (correlation value, channel parameters) are known there.
import { valueRefs, type Value } from "./expressions.js";
import type { StepExits } from "./flow.js";

/** The step before which a receive step's subscription opens, or undefined: it opens when the step starts. */
export function listenPoint(
  stepId: string,
  exits: readonly StepExits[],
  mustHaveRun: Readonly<Record<string, readonly string[]>>,
  needs: readonly Value[],
): string | undefined {
  const predecessors = new Set<string>();
  for (const step of exits)
    for (const exit of [...step.onSuccess, ...step.onFailure])
      if (exit.to.kind === "step" && exit.to.step === stepId) predecessors.add(step.id);
  if (predecessors.size !== 1) return undefined;
  const [before] = predecessors as unknown as [string];
  if (before === stepId) return undefined;
  const ran = new Set(mustHaveRun[before] ?? []);
  const known = needs.flatMap(valueRefs).every((ref) => (ref.kind === "stepOutput" ? ran.has(ref.stepId) : ref.kind === "input"));
  return known ? before : undefined;
}
