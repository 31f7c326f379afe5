// Which steps may run concurrently (the opt-in `stepConcurrency: "concurrent"`): written once here, read by every
// emitter. Arazzo 1.1 lets a tool run steps in any order that respects every dependsOn and every read of another
// step's outputs; a tool may also run them one at a time. arazzoc runs a step concurrently with the steps before it
// only where nothing the document says could observe the difference:
//
// - the workflow declares step dependsOn at all: without it, array order is the author's order (a request may
//   need the effect of the one before it without reading its outputs), as the spec recommends for such workflows;
// - the steps are consecutive in the computed execution order, each reached only through the default exit of
//   the one before it (no goto into the middle, no loop back-edge, no retry detour);
// - each has only the default actions (success: the next step; failure: the workflow fails), so no action can
//   change where control goes once one of them has run;
// - each sends a request or a message (a called workflow may run its own dependencies, hand over control, and
//   `$workflows.<id>` reads the last run of a workflow, which concurrent calls would make a race);
// - none reads another's outputs, nor names another in dependsOn, nor needs another's outputs to open the
//   subscription of a receive step that waits after it.
//
// A group starts its members in execution order and joins before the step after its last member; then their
// outcomes are checked one by one in execution order, as the sequential code does.
import { condRefs, valueRefs, type Value } from "./expressions.js";
import { exitInputs } from "./flow.js";
import type { ExitIr, StepIr } from "./program.js";

export type ApartReason =
  /** One of the two calls a workflow. */
  | "calls-workflow"
  /** One of the two has a success or failure action other than the defaults. */
  | "actions"
  /** The later one is reached other than through the earlier one's default exit (goto, loop, retry detour). */
  | "entered-elsewhere"
  /** The later one reads outputs of a step of the group (an implicit dependency). */
  | "reads-outputs"
  /** The later one names a step of the group in its dependsOn. */
  | "depends-on";

export interface ConcurrencyIr {
  /** Present when the workflow as a whole runs sequentially: it declares no step dependsOn. */
  readonly off?: "no-depends-on";
  /** Runs of two or more consecutive steps of the execution order that run concurrently, each in that order. */
  readonly groups: readonly (readonly string[])[];
  /**
   * Each pair of consecutive steps (in the execution order) that runs one after the other, and the first rule
   * that keeps them apart; `of`: the step of the group that is read or depended on.
   */
  readonly apart: ReadonlyArray<{ readonly step: string; readonly after: string; readonly reason: ApartReason; readonly of?: string }>;
}

/** What grouping needs of a step besides its IR: the steps of this workflow its dependsOn names. */
export interface StepOrdering {
  readonly step: StepIr;
  readonly dependsOn: readonly string[];
}

/**
 * The concurrent groups of a workflow whose steps are given in execution order. `declaresDependsOn`: some step
 * of the workflow has a dependsOn (of any workflow's step). `detours`: steps a retry runs first.
 */
export function concurrentGroups(steps: readonly StepOrdering[], declaresDependsOn: boolean, detours: readonly string[]): ConcurrencyIr {
  if (!declaresDependsOn) return { off: "no-depends-on", groups: [], apart: [] };
  const entered = enteredOnlyByDefault(steps.map((s) => s.step), new Set(detours));
  const listensBefore = new Map<string, Value[]>();
  for (const { step } of steps)
    if (step.call.kind === "message" && step.call.listenBefore !== undefined)
      listensBefore.set(step.call.listenBefore, [
        ...(listensBefore.get(step.call.listenBefore) ?? []),
        ...step.call.parameters.map(([, v]) => v),
        ...(step.call.correlation ? [step.call.correlation.value] : []),
      ]);
  const groups: string[][] = [];
  const apart: Array<ConcurrencyIr["apart"][number]> = [];
  let group: string[] = [];
  for (const [index, current] of steps.entries()) {
    const previous = steps[index - 1];
    if (previous === undefined) {
      group = [current.step.id];
      continue;
    }
    const reason = keptApart(previous.step, current, group, entered, listensBefore.get(current.step.id) ?? []);
    if (reason === undefined) {
      group.push(current.step.id);
      continue;
    }
    apart.push({ step: current.step.id, after: previous.step.id, ...reason });
    if (group.length > 1) groups.push(group);
    group = [current.step.id];
  }
  if (group.length > 1) groups.push(group);
  return { groups, apart };
}

/** The first rule that keeps `current` from joining the group that `previous` ends, or undefined. */
function keptApart(
  previous: StepIr,
  current: StepOrdering,
  group: readonly string[],
  entered: ReadonlySet<string>,
  listenValues: readonly Value[],
): { reason: ApartReason; of?: string } | undefined {
  if (previous.call.kind === "workflow" || current.step.call.kind === "workflow") return { reason: "calls-workflow" };
  if (!defaultsOnly(previous) || !defaultsOnly(current.step)) return { reason: "actions" };
  if (!entered.has(current.step.id)) return { reason: "entered-elsewhere" };
  const members = new Set(group);
  const read = stepsRead(current.step, listenValues).find((id) => members.has(id));
  if (read !== undefined) return { reason: "reads-outputs", of: read };
  const named = current.dependsOn.find((id) => members.has(id));
  if (named !== undefined) return { reason: "depends-on", of: named };
  return undefined;
}

/** Success: only the default exit to the next step (or the end); failure: only the default, the workflow fails. */
function defaultsOnly(step: StepIr): boolean {
  const isDefault = (exits: readonly ExitIr[], kinds: readonly string[]) =>
    exits.length === 1 && exits[0]!.action === undefined && exits[0]!.when.length === 0 && kinds.includes(exits[0]!.to.kind);
  return isDefault(step.onSuccess, ["step", "end"]) && isDefault(step.onFailure, ["fail"]);
}

/**
 * Steps whose only way in is the default success exit of the step before them in execution order: no goto,
 * no loop back-edge, no retry (with or without a detour) leads to them.
 */
function enteredOnlyByDefault(steps: readonly StepIr[], detours: ReadonlySet<string>): Set<string> {
  const other = new Set<string>(detours);
  for (const [index, step] of steps.entries()) {
    const next = steps[index + 1]?.id;
    for (const [i, exit] of [...step.onSuccess, ...step.onFailure].entries()) {
      const to = exit.to;
      const isDefaultNext = i === step.onSuccess.length - 1 && to.kind === "step" && to.step === next && !to.loop && exit.when.length === 0;
      if (to.kind === "step" && !isDefaultNext) other.add(to.step);
      if (to.kind === "retry") {
        other.add(step.id);
        if (to.via?.kind === "step") other.add(to.via.step);
      }
    }
  }
  return new Set(steps.slice(1).map((s) => s.id).filter((id) => !other.has(id)));
}

/** The steps whose outputs a step reads anywhere (its call, criteria, actions, outputs), and the subscriptions opened before it. */
export function stepsRead(step: StepIr, listenValues: readonly Value[] = []): string[] {
  const call = step.call;
  const values: Value[] = [
    ...(call.kind === "request"
      ? [...call.parameters.map((p) => p.value), ...(call.body ? [call.body.value] : [])]
      : call.kind === "message"
        ? [
            ...call.parameters.map(([, v]) => v),
            ...call.headers.map(([, v]) => v),
            ...(call.payload ? [call.payload] : []),
            ...(call.correlation ? [call.correlation.value] : []),
          ]
        : call.inputs.map(([, v]) => v)),
    ...step.outputs.map((o) => o.value),
    ...[...step.onSuccess, ...step.onFailure].flatMap((e) => exitInputs(e).map(([, v]) => v)),
    ...listenValues,
  ];
  const refs = [
    ...values.flatMap(valueRefs),
    ...step.successCriteria.flatMap(condRefs),
    ...[...step.onSuccess, ...step.onFailure].flatMap((e) => e.when.flatMap(condRefs)),
  ];
  return [...new Set(refs.flatMap((r) => (r.kind === "stepOutput" ? [r.stepId] : [])))];
}
