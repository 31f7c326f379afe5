// Structured control flow from a workflow's step graph, after Ramsey's "Beyond Relooper" (2022): in
// reverse postorder, each step's code is followed by the steps it dominates; a step that several exits
// reach (a merge) follows a labeled block that those exits leave with `break`; a loop header (the
// target of a back-edge) heads a `for (;;)` that back-edges `continue`, and the steps it dominates outside
// its loop follow the loop. The result is a tree of statements for the printer. A graph with a back-edge
// whose target does not dominate its source (irreducible) cannot be structured so: the printer then falls
// back to a state machine.
import type { ExitIr, StepIr, TargetIr, WorkflowIr } from "../../ir/program.js";

/** Where an exit goes, as structured code. */
export type Jump =
  | { readonly kind: "break"; readonly frame: Frame }
  | { readonly kind: "continue"; readonly frame: Frame; readonly poll: string | undefined }
  | { readonly kind: "inline"; readonly body: readonly Stmt[] }
  /** Goes where the default goes: an empty branch, after which the default's code follows. */
  | { readonly kind: "fallthrough" }
  /** In the state machine: the next state. */
  | { readonly kind: "state"; readonly step: string; readonly poll: boolean }
  /** end, fail, transfer, retry: the step's printer writes these itself. */
  | { readonly kind: "terminal"; readonly target: TargetIr };

export interface PlannedExit {
  readonly exit: ExitIr;
  /** Names of conditional exits folded into this one (they led to the same place). */
  readonly alsoFor: readonly string[];
  readonly jump: Jump;
}

export type Stmt =
  | { readonly kind: "step"; readonly step: StepIr; readonly success: readonly PlannedExit[]; readonly failure: readonly PlannedExit[]; readonly nested: boolean }
  | { readonly kind: "block"; readonly frame: Frame; readonly body: readonly Stmt[] }
  | { readonly kind: "loop"; readonly frame: Frame; readonly body: readonly Stmt[] };

/** An enclosing construct that jumps may leave or repeat. */
export interface Frame {
  readonly kind: "block" | "loop" | "attempt";
  /** The step whose code follows the construct (`break` goes there). */
  readonly follow?: string;
  /** The loop's header step (`continue` goes there). */
  readonly header?: string;
  /** Set when some jump needs the label (it is not the innermost loop). */
  labelUsed: boolean;
}

export class NotStructured extends Error {}

/** Exits that do the same: the same target, and for failures the same action (errors name it). */
const sameEffect = (a: ExitIr, b: ExitIr): boolean =>
  JSON.stringify(a.to) === JSON.stringify(b.to) && (a.to.kind !== "fail" || a.action === b.action);

/**
 * Exits in order. Conditional exits right before the default that do what it does are folded into it
 * (conditions have no effects, so choosing between them changes nothing); an earlier one that does what the
 * default does falls through to it (an empty branch of the `if`/`else if` chain), so the default's target is
 * reached by one edge, and needs no labeled block.
 */
export function foldExits(exits: readonly ExitIr[]): { exit: ExitIr; alsoFor: string[]; fallsThrough: boolean }[] {
  const out = exits.map((exit) => ({ exit, alsoFor: [] as string[], fallsThrough: false }));
  const last = out[out.length - 1];
  if (last === undefined) return out;
  while (out.length >= 2) {
    const before = out[out.length - 2]!;
    if (before.exit.to.kind === "retry" || !sameEffect(before.exit, last.exit)) break;
    out.splice(out.length - 2, 1);
    if (before.exit.to.kind !== "fail" && before.exit.action !== undefined) last.alsoFor.unshift(before.exit.action);
  }
  for (const entry of out.slice(0, -1)) if (entry.exit.to.kind !== "retry" && sameEffect(entry.exit, last.exit)) entry.fallsThrough = true;
  return out;
}

/** Step targets of a step's exits (after folding), in order, one per exit. */
export function stepEdges(step: StepIr): string[] {
  return [...foldExits(step.onSuccess), ...foldExits(step.onFailure)].flatMap(({ exit, fallsThrough }) =>
    exit.to.kind === "step" && !fallsThrough ? [exit.to.step] : [],
  );
}

export function structure(workflow: WorkflowIr): Stmt[] {
  const byId = new Map(workflow.steps.map((s) => [s.id, s]));
  const successors = new Map(workflow.steps.map((s) => [s.id, stepEdges(s)]));

  // Depth-first from the entry: reverse postorder numbers and the nodes reached.
  const postorder: string[] = [];
  const visited = new Set<string>();
  const visit = (id: string): void => {
    visited.add(id);
    for (const next of successors.get(id) ?? []) if (!visited.has(next) && byId.has(next)) visit(next);
    postorder.push(id);
  };
  visit(workflow.entry);
  const order = postorder.reverse();
  const rpo = new Map(order.map((id, i) => [id, i]));
  const predecessors = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order) for (const next of successors.get(id)!) predecessors.get(next)?.push(id);

  // Immediate dominators (Cooper, Harvey and Kennedy).
  const idom = new Map<string, string>([[workflow.entry, workflow.entry]]);
  const intersect = (a: string, b: string): string => {
    let x = a;
    let y = b;
    while (x !== y) {
      while (rpo.get(x)! > rpo.get(y)!) x = idom.get(x)!;
      while (rpo.get(y)! > rpo.get(x)!) y = idom.get(y)!;
    }
    return x;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order.slice(1)) {
      const processed = predecessors.get(id)!.filter((p) => idom.has(p));
      if (processed.length === 0) continue;
      const dom = processed.reduce(intersect);
      if (idom.get(id) !== dom) {
        idom.set(id, dom);
        changed = true;
      }
    }
  }
  const dominates = (a: string, b: string): boolean => {
    for (let x = b; ; x = idom.get(x)!) {
      if (x === a) return true;
      if (x === workflow.entry) return false;
    }
  };
  const isBack = (from: string, to: string): boolean => rpo.get(to)! <= rpo.get(from)!;

  // Loops: each back-edge's target must dominate its source (a reducible graph).
  const loops = new Map<string, Set<string>>();
  for (const id of order)
    for (const next of successors.get(id)!) {
      if (!isBack(id, next)) continue;
      if (!dominates(next, id)) throw new NotStructured(`the loop from ${id} back to ${next} can be entered other than through ${next}`);
      const body = loops.get(next) ?? new Set([next]);
      const stack = [id];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (body.has(n)) continue;
        body.add(n);
        stack.push(...predecessors.get(n)!);
      }
      loops.set(next, body);
    }
  const forwardIn = new Map<string, number>();
  for (const id of order) for (const next of successors.get(id)!) if (!isBack(id, next)) forwardIn.set(next, (forwardIn.get(next) ?? 0) + 1);
  const isMerge = (id: string) => (forwardIn.get(id) ?? 0) >= 2;
  const children = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const id of order.slice(1)) children.get(idom.get(id)!)!.push(id);

  // A step that leaves a loop from inside it (its immediate dominator is in the loop, not the header) is
  // written after the loop too, by the header, rather than nested in the loop body: where both are in the
  // same other loops, so that the code after the loop is where that step runs.
  const attached = new Map<string, string[]>();
  const attachedTo = new Map<string, string>();
  for (const [header, body] of loops)
    for (const id of order) {
      if (body.has(id) || attachedTo.has(id) || !body.has(idom.get(id)!) || idom.get(id) === header) continue;
      if (!predecessors.get(id)!.some((p) => body.has(p))) continue;
      const sameNesting = [...loops].every(([other, inner]) => other === header || inner.has(header) === inner.has(id));
      if (!sameNesting) continue;
      attachedTo.set(id, header);
      attached.set(header, [...(attached.get(header) ?? []), id]);
    }
  const emitted = new Set<string>();
  const innermostLoop = (context: readonly Frame[]) => context.find((f) => f.kind !== "block");

  const branch = (from: string, target: TargetIr, context: readonly Frame[]): Jump => {
    if (target.kind !== "step") return { kind: "terminal", target };
    const to = target.step;
    if (isBack(from, to)) {
      const frame = context.find((f) => f.kind === "loop" && f.header === to);
      if (!frame) throw new NotStructured(`no loop around ${from} repeats ${to}`);
      if (innermostLoop(context) !== frame) frame.labelUsed = true;
      return { kind: "continue", frame, poll: target.loop ? to : undefined };
    }
    const frame = context.find((f) => f.follow === to);
    if (frame) {
      if (frame.kind === "block" || innermostLoop(context) !== frame) frame.labelUsed = true;
      return { kind: "break", frame };
    }
    return { kind: "inline", body: tree(to, context) };
  };

  const stepCode = (id: string, context: readonly Frame[]): Stmt => {
    if (emitted.has(id)) throw new NotStructured(`step ${id} would be written twice`);
    emitted.add(id);
    const step = byId.get(id)!;
    const retries = step.onFailure.some((e) => e.to.kind === "retry");
    const failureContext: readonly Frame[] = retries ? [{ kind: "attempt", labelUsed: false }, ...context] : context;
    // Code under an `if` is nested (its constants are not seen after it): a frame without label marks it.
    const plan = (exits: readonly ExitIr[], at: readonly Frame[], underIf: boolean) =>
      foldExits(exits).map(({ exit, alsoFor, fallsThrough }, i, all) => {
        if (fallsThrough) return { exit, alsoFor, jump: { kind: "fallthrough" } as Jump };
        const conditional = underIf || i < all.length - 1;
        const where: readonly Frame[] = conditional ? [{ kind: "block", labelUsed: false }, ...at] : at;
        return { exit, alsoFor, jump: branch(id, exit.to, where) };
      });
    // Failure exits first: they are printed first, and jumps record which labels they need in that order.
    const failure = plan(step.onFailure, failureContext, true);
    const success = plan(step.onSuccess, context, false);
    return { kind: "step", step, success, failure, nested: context.length > 0 };
  };

  /** `x`'s code inside blocks for the merges it dominates (highest reverse postorder outermost). */
  const within = (id: string, merges: readonly string[], context: readonly Frame[]): Stmt[] => {
    if (merges.length === 0) return [stepCode(id, context)];
    const last = merges[merges.length - 1]!;
    const frame: Frame = { kind: "block", follow: last, labelUsed: false };
    return [{ kind: "block", frame, body: within(id, merges.slice(0, -1), [frame, ...context]) }, ...tree(last, context)];
  };

  /** A loop headed by `id`, inside blocks for all but the first of the steps after it. */
  const loopWithin = (id: string, outs: readonly string[], inner: readonly string[], context: readonly Frame[]): Stmt[] => {
    if (outs.length <= 1) {
      const frame: Frame = { kind: "loop", header: id, ...(outs[0] !== undefined ? { follow: outs[0] } : {}), labelUsed: false };
      const loop: Stmt = { kind: "loop", frame, body: within(id, inner, [frame, ...context]) };
      return outs[0] !== undefined ? [loop, ...tree(outs[0], context)] : [loop];
    }
    const last = outs[outs.length - 1]!;
    const frame: Frame = { kind: "block", follow: last, labelUsed: false };
    return [{ kind: "block", frame, body: loopWithin(id, outs.slice(0, -1), inner, [frame, ...context]) }, ...tree(last, context)];
  };

  const tree = (id: string, context: readonly Frame[]): Stmt[] => {
    const byOrder = (a: string, b: string) => rpo.get(a)! - rpo.get(b)!;
    const kids = children.get(id)!.filter((k) => !attachedTo.has(k)).sort(byOrder);
    const body = loops.get(id);
    if (body === undefined) return within(id, kids.filter(isMerge), context);
    return loopWithin(
      id,
      [...kids.filter((k) => !body.has(k)), ...(attached.get(id) ?? [])].sort(byOrder),
      kids.filter((k) => body.has(k) && isMerge(k)),
      context,
    );
  };

  const result = tree(workflow.entry, []);
  return result;
}
