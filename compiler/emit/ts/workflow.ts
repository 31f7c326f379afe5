// One workflow as TypeScript: its types, its input check and its function. The function reads top to
// bottom where the step graph allows (compiler/emit/ts/structure.ts): a constant per step result, the
// exits of a step as an `if`/`else if` chain in exit order, loops with the poll wait at their back-edge,
// a `return` of the outputs at each end, each output present only where the steps it reads ran. Graphs
// that cannot be structured run as a state machine (`for (;;) switch (step)`) over the same step code.
import { exitInputs } from "../../ir/flow.js";
import { condRefs, nodeComparePaths, valueRefs, type Cond, type Ref, type Value, type WorkflowRef } from "../../ir/expressions.js";
import { camelCase, NameTable, pascalCase } from "./identifiers.js";
import type { ExitIr, MessageIr, ModuleIr, RequestIr, StepIr, WorkflowCallIr, WorkflowIr } from "../../ir/program.js";
import type { TypeIr } from "../../ir/types.js";
import { UNKNOWN } from "../../ir/types.js";
import { commentText, propertyName, stringLiteral, typeMemberName } from "../escape.js";
import {
  bodyPath,
  emitCondition,
  emitRef,
  emitValue,
  literal,
  pathKey,
  typedRef,
  typedValue,
  type Code,
  type ExpressionScope,
} from "./expressions.js";
import { InputCheckEmitter } from "./input-check.js";
import type { ModuleNames, WorkflowNames } from "./names.js";
import { NotStructured, stepEdges, structure, foldExits, type Frame, type Jump, type PlannedExit, type Stmt } from "./structure.js";
import { jsDoc, type TypeView } from "./types.js";
import type { Uses } from "./uses.js";
import { printRef } from "../text/criteria.js";

/** How a module reaches a workflow it calls, depends on or hands control to. */
export interface WorkflowLink {
  readonly inRun: string;
  readonly definition: string;
  readonly outputs: string;
  /** Its result may be another workflow's (it transfers control): its outputs are then read with care. */
  readonly transfers: boolean;
}

export interface WorkflowContext {
  readonly module: ModuleIr;
  readonly names: ModuleNames;
  readonly uses: Uses;
  readonly link: (ref: WorkflowRef) => WorkflowLink;
  /** The module constant describing a request's source and server. */
  readonly source: (request: RequestIr) => string;
  /** The module constant describing a message step's channel. */
  readonly channel: (message: MessageIr) => string;
  /** The module constant of a regular expression. */
  readonly pattern: (source: string) => string;
  /** Other workflows call this one: it gets a runner (`…InRun`) and a definition constant. */
  readonly called: (workflowId: string) => boolean;
  /** Another module imports its runner and definition. */
  readonly imported: (workflowId: string) => boolean;
  /** The module's types as TypeScript. */
  readonly types: TypeView;
}

/** A declaration of the module, as data for ts-morph's structures. */
export type Declaration =
  | {
      readonly kind: "interface";
      readonly name: string;
      readonly doc: string;
      readonly members: ReadonlyArray<{ readonly name: string; readonly type: string; readonly optional: boolean; readonly doc: string }>;
      readonly index?: string;
    }
  | { readonly kind: "type"; readonly name: string; readonly doc: string; readonly type: string }
  | {
      readonly kind: "const";
      readonly name: string;
      readonly doc: string;
      readonly exported: boolean;
      readonly type?: string;
      readonly value: string;
    }
  | {
      readonly kind: "function";
      readonly name: string;
      readonly doc: string;
      readonly exported: boolean;
      readonly parameters: ReadonlyArray<{ readonly name: string; readonly type: string; readonly optional?: boolean }>;
      readonly returns: string;
      readonly body: readonly string[];
    };

export interface EmittedWorkflow {
  readonly declarations: readonly Declaration[];
  /** Why the workflow runs as a state machine; absent when its code is structured. */
  readonly stateMachine?: string;
}

const DEFAULT_STYLE: Record<string, string> = { path: "simple", query: "form", header: "simple", cookie: "form" };

/** Step dependsOn the control flow does not guarantee, checked when the step starts: `[[workflowId, stepId], ...]`. */
function requiresList(step: StepIr): string | undefined {
  if (step.requires === undefined || step.requires.length === 0) return undefined;
  return `[${step.requires.map((r) => `[${stringLiteral(r.workflowId)}, ${stringLiteral(r.stepId)}]`).join(", ")}]`;
}

/** The values a message step sends or waits for. */
function messageValues(call: MessageIr): Value[] {
  return [
    ...call.parameters.map(([, v]) => v),
    ...call.headers.map(([, v]) => v),
    ...(call.payload ? [call.payload] : []),
    ...(call.correlation ? [call.correlation.value] : []),
  ];
}

function refsOfStep(step: StepIr): Ref[] {
  const call = step.call;
  return [
    ...(call.kind === "request"
      ? [...call.parameters.flatMap((p) => valueRefs(p.value)), ...(call.body ? valueRefs(call.body.value) : [])]
      : call.kind === "message"
        ? messageValues(call).flatMap(valueRefs)
        : call.inputs.flatMap(([, v]) => valueRefs(v))),
    ...step.successCriteria.flatMap(condRefs),
    ...[...step.onSuccess, ...step.onFailure].flatMap((e) => [...e.when.flatMap(condRefs), ...exitInputs(e).flatMap(([, v]) => valueRefs(v))]),
    ...step.outputs.flatMap((o) => valueRefs(o.value)),
  ];
}

export function emitWorkflow(workflow: WorkflowIr, context: WorkflowContext): EmittedWorkflow {
  return new WorkflowEmitter(workflow, context).emit();
}

class WorkflowEmitter {
  private readonly names: WorkflowNames;
  private readonly uses: Uses;
  private readonly locals: NameTable;
  private readonly labels = new NameTable([]);
  private readonly steps: Map<string, StepIr>;
  /** Outputs some code reads, by step: (output name -> local variable). */
  private readonly outputVars = new Map<string, Map<string, string>>();
  /** Steps whose output variables are declared at the top (`let`), not where the step runs (`const`). */
  private readonly hoisted = new Set<string>();
  private readonly stepVars = new Map<string, string>();
  private readonly frameLabels = new Map<Frame, string>();
  private inputsUsed = false;
  /** The first pass records where outputs are set and read; the second prints with what it learned. */
  private recording = false;
  private readonly scopes: number[] = [];
  private scopeCount = 0;
  private sequence = 0;
  private readonly defs = new Map<string, { scopes: number[]; at: number; count: number }>();
  private readonly reads: { step: string; name: string; scopes: number[]; at: number }[] = [];
  private readonly readVars = new Set<string>();
  private readonly claimed = new Map<string, string>();
  /** The state machine's loop. */
  private machineLabel = "";
  /** The step whose code is being printed. */
  private current: StepIr | undefined;
  private readonly dependencyVars = new Map<string, { code: string; returnsOthers: boolean }>();
  /** Workflows that steps call or retries run: `$workflows.<id>` reads their last run from the run. */
  private readonly runsAgain: ReadonlySet<string>;
  /** Steps that run concurrently (WorkflowIr.concurrency), by their first step: that step's code runs the whole group. */
  private readonly groups: ReadonlyMap<string, readonly StepIr[]>;
  /**
   * The step graph the code is structured from: each concurrent group one node (its first step, with the success
   * exits of its last), since control enters a group only at its first step and leaves it only after its last.
   */
  private readonly shape: WorkflowIr;
  private readonly shapeSteps: ReadonlyMap<string, StepIr>;

  constructor(
    private readonly workflow: WorkflowIr,
    private readonly context: WorkflowContext,
  ) {
    this.names = context.names.workflows.get(workflow.id)!;
    this.uses = context.uses;
    // Locals never hide a module-level name a body refers to; exported workflow functions are not among those.
    this.locals = new NameTable([...context.names.table.names].filter((name) => !context.names.functions.has(name)));
    this.steps = new Map(workflow.steps.map((s) => [s.id, s]));
    this.runsAgain = new Set(
      workflow.steps.flatMap((s) => [
        ...(s.call.kind === "workflow" ? [s.call.workflow.workflowId] : []),
        ...s.onFailure.flatMap((e) => (e.to.kind === "retry" && e.to.via?.kind === "workflow" ? [e.to.via.workflow.workflowId] : [])),
      ]),
    );
    const groups = workflow.concurrency?.groups ?? [];
    this.groups = new Map(groups.map((g) => [g[0]!, g.map((id) => this.steps.get(id)!)]));
    const inner = new Set(groups.flatMap((g) => g.slice(1)));
    this.shape =
      groups.length === 0
        ? workflow
        : {
            ...workflow,
            steps: workflow.steps
              .filter((s) => !inner.has(s.id))
              .map((s) => {
                const group = this.groups.get(s.id);
                return group ? { ...s, onSuccess: group[group.length - 1]!.onSuccess } : s;
              }),
          };
    this.shapeSteps = new Map(this.shape.steps.map((s) => [s.id, s]));
  }

  private get inputProperties() {
    const type = this.workflow.inputs.type;
    return type.kind === "object" ? type.properties : [];
  }

  private inputType = (name: string): TypeIr => this.inputProperties.find((p) => p.name === name)?.type ?? UNKNOWN;
  private outputType = (stepId: string, name: string): TypeIr =>
    this.steps.get(stepId)?.outputs.find((o) => o.name === name)?.type ?? UNKNOWN;

  emit(): EmittedWorkflow {
    const declarations: Declaration[] = [...this.types()];
    const checkLines =
      this.workflow.inputs.schema !== undefined
        ? new InputCheckEmitter(this.context.module.schemas, this.uses).check(this.workflow.inputs.schema)
        : [];
    if (checkLines.length > 0)
      declarations.push({
        kind: "function",
        name: this.names.check,
        doc: jsDoc([`Problems of ${this.names.function}'s inputs against the workflow's inputs schema, each with its JSON pointer.`]),
        exported: false,
        parameters: [{ name: "inputs", type: "unknown" }],
        returns: "string[]",
        body: checkLines,
      });

    const { body, stateMachine } = this.body(checkLines.length > 0);
    const resultType = [...new Set([this.names.outputs, ...this.workflow.transfersTo.map((ref) => this.context.link(ref).outputs)])].join(
      " | ",
    );
    const messageSources = [...new Set(this.workflow.steps.flatMap((s) => (s.call.kind === "message" ? [s.call.source] : [])))].sort();
    // A workflow with message steps needs a transport per AsyncAPI source: a missing one is a type error.
    const options =
      messageSources.length === 0
        ? this.uses.type("WorkflowOptions")
        : `${this.uses.type("WorkflowOptions")} & { transports: { ${messageSources.map((s) => `${typeMemberName(s)}: ${this.uses.type("MessageTransport")}`).join("; ")} } }`;
    const doc = jsDoc([
      this.workflow.summary ?? `Runs workflow ${this.workflow.id}.`,
      this.workflow.description,
      `Arazzo workflow: ${this.workflow.id}. Steps: ${this.workflow.steps.map((s) => s.id).join(", ")}.`,
      ...(this.workflow.outputs.length > 0
        ? [`@throws {WorkflowError<${this.names.outputs}>} with the outputs that could be evaluated where it failed.`]
        : []),
    ]);
    const definition = `{ workflowId: ${stringLiteral(this.workflow.id)}, secretInputs: ${literal([...this.workflow.inputs.secrets, ...(this.workflow.inputs.nestedSecrets ?? [])])} }`;
    const start = (def: string) => `${this.uses.helper("WorkflowRun")}.start(${def}, options, inputs)`;
    // The exported function: the workflow's own body, or a call of its runner when other workflows call it too.
    const exportedFunction = (functionBody: string[]) =>
      ({
        kind: "function",
        name: this.names.function,
        doc,
        exported: true,
        parameters: [
          { name: "inputs", type: this.names.inputs },
          { name: "options", type: options, optional: messageSources.length === 0 },
        ],
        returns: `Promise<${resultType}>`,
        body: functionBody,
      }) as const;
    if (!this.context.called(this.workflow.id)) {
      declarations.push(exportedFunction([`const run = ${start(definition)};`, ...this.closing(body)]));
      return { declarations, ...(stateMachine !== undefined ? { stateMachine } : {}) };
    }
    const exported = this.context.imported(this.workflow.id);
    declarations.push(
      {
        kind: "const",
        name: this.names.definition,
        doc: exported ? "/** @internal For modules of Arazzo documents that call this workflow. */\n" : "",
        exported,
        type: this.uses.type("WorkflowDefinition"),
        value: definition,
      },
      exportedFunction([`return ${this.names.inRun}(${start(this.names.definition)}, inputs);`]),
      {
        kind: "function",
        name: this.names.inRun,
        doc: jsDoc([
          `Runs workflow ${this.workflow.id} within a run (its own call, or a calling workflow's).`,
          ...(exported ? ["@internal"] : []),
        ]),
        exported,
        parameters: [
          { name: "run", type: this.uses.type("WorkflowRun") },
          // Unused inputs are named so that projects with noUnusedParameters accept the module.
          { name: this.inputsUsed ? "inputs" : "_inputs", type: this.names.inputs },
        ],
        returns: `Promise<${resultType}>`,
        body: this.closing(body),
      },
    );
    return { declarations, ...(stateMachine !== undefined ? { stateMachine } : {}) };
  }

  /** A body that opens subscriptions (receive steps) closes those still open when the run ends, however it ends. */
  private closing(body: string[]): string[] {
    if (!this.workflow.steps.some((s) => s.call.kind === "message" && s.call.action === "receive")) return body;
    return ["try {", ...body, "} finally {", "await run.close();", "}"];
  }

  // --- Types -------------------------------------------------------------------------------------------

  private types(): Declaration[] {
    const w = this.workflow;
    const out: Declaration[] = [];
    const inputs = w.inputs.type;
    if (inputs.kind === "object")
      out.push({
        kind: "interface",
        name: this.names.inputs,
        doc: jsDoc([`Inputs of workflow ${w.id}.`]),
        members: inputs.properties.map((p) => ({
          name: typeMemberName(p.name),
          type: this.context.types.print(p.type, "  "),
          optional: p.optional,
          doc: jsDoc([p.description, p.format !== undefined ? `Format: ${p.format}.` : undefined], "  "),
        })),
        ...(inputs.additional !== undefined ? { index: this.context.types.print(inputs.additional, "  ") } : {}),
      });
    else out.push({ kind: "type", name: this.names.inputs, doc: jsDoc([`Inputs of workflow ${w.id}.`]), type: this.context.types.print(inputs) });
    out.push({
      kind: "interface",
      name: this.names.outputs,
      doc: jsDoc([`Outputs of workflow ${w.id}.${w.outputs.some((o) => o.optional) ? " Optional members are set only when the steps that produce them ran." : ""}`]),
      members: w.outputs.map((o) => ({ name: typeMemberName(o.name), type: this.context.types.print(o.type, "  "), optional: o.optional, doc: "" })),
    });
    out.push({
      kind: "interface",
      name: this.names.steps,
      doc: jsDoc([`Outputs of each step of workflow ${w.id}, as recorded after the step's response.`]),
      members: w.steps.map((s) => ({
        name: typeMemberName(s.id),
        type:
          s.outputs.length === 0
            ? "Record<string, never>"
            : `{ ${s.outputs.map((o) => `${typeMemberName(o.name)}: ${this.context.types.print(o.type, "    ")}`).join("; ")} }`,
        optional: false,
        doc: "",
      })),
    });
    return out;
  }

  // --- The function body -------------------------------------------------------------------------------

  private body(checks: boolean): { body: string[]; stateMachine?: string } {
    const w = this.workflow;
    // Names first: the step results, then the outputs some code reads.
    for (const s of w.steps) this.stepVars.set(s.id, this.locals.claim(clearOfJsonPath(camelCase(s.id)), "step"));
    const read = new Set<string>();
    for (const ref of [...w.steps.flatMap(refsOfStep), ...w.outputs.flatMap((o) => valueRefs(o.value))])
      if (ref.kind === "stepOutput" && this.steps.get(ref.stepId)?.outputs.some((o) => o.name === ref.name))
        read.add(JSON.stringify([ref.stepId, ref.name]));
    for (const s of w.steps) {
      const vars = new Map<string, string>();
      for (const o of s.outputs) {
        if (!read.has(JSON.stringify([s.id, o.name]))) continue;
        const plain = clearOfJsonPath(camelCase(o.name));
        const prefixed = `${this.stepVars.get(s.id)}${pascalCase(o.name)}`;
        vars.set(o.name, this.locals.claim(plain !== "" && !this.locals.names.has(plain) ? plain : prefixed, "output"));
      }
      this.outputVars.set(s.id, vars);
    }

    let tree: Stmt[] | undefined;
    let stateMachine: string | undefined;
    try {
      tree = structure(this.shape);
    } catch (error) {
      if (!(error instanceof NotStructured)) throw error;
      stateMachine = error.message;
    }

    const lines: string[] = [];
    if (checks) {
      this.inputsUsed = true;
      lines.push(`run.checkInputs(${this.names.check}(inputs));`);
    }
    const readDependencies = new Set(
      [...w.steps.flatMap(refsOfStep), ...w.outputs.flatMap((o) => valueRefs(o.value))].flatMap((r) =>
        r.kind === "workflowOutput" ? [r.workflowId] : [],
      ),
    );
    for (const ref of w.dependsOn) {
      const link = this.context.link(ref);
      // A dependency only waited for (a step dependsOn one of its steps) has no outputs read.
      if (!readDependencies.has(ref.workflowId)) {
        lines.push(`await run.dependency(${link.definition}, ${link.inRun});`);
        continue;
      }
      const local = this.locals.claim(`${camelCase(ref.workflowId)}Outputs`, "dependency");
      this.dependencyVars.set(ref.workflowId, { code: local, returnsOthers: link.transfers });
      lines.push(`const ${local} = await run.dependency(${link.definition}, ${link.inRun});`);
    }
    const print = () => (tree !== undefined ? this.statements(tree) : this.stateMachine());
    // First pass: where each step's outputs are set and read. A step whose outputs are read where its
    // constants are not in scope (after the block or loop it runs in, or before it in a loop) has them
    // declared at the top instead; so does every step of a state machine and every retry detour.
    this.recording = true;
    print();
    this.recording = false;
    const detours = new Set(w.flow.detours);
    for (const s of w.steps) {
      const def = this.defs.get(s.id);
      const outside = this.reads.some(
        (r) => r.step === s.id && (def === undefined || r.at < def.at || def.scopes.some((scope, i) => r.scopes[i] !== scope)),
      );
      if (stateMachine !== undefined || detours.has(s.id) || (def?.count ?? 0) > 1 || outside) this.hoisted.add(s.id);
    }
    for (const r of this.reads) this.readVars.add(JSON.stringify([r.step, r.name]));
    const main = print();
    for (const s of w.steps) {
      if (!this.hoisted.has(s.id)) continue;
      for (const [name, local] of this.outputVars.get(s.id)!)
        if (this.readVars.has(JSON.stringify([s.id, name]))) lines.push(`let ${local}: ${this.context.types.print(withUndefined(this.outputType(s.id, name)))};`);
    }
    lines.push(...main);
    return { body: lines, ...(stateMachine !== undefined ? { stateMachine } : {}) };
  }

  /** A local name claimed once per purpose, so both passes print the same names. */
  private local(key: string, wanted: string, prefix: string): string {
    let name = this.claimed.get(key);
    if (name === undefined) {
      name = this.locals.claim(wanted, prefix);
      this.claimed.set(key, name);
    }
    return name;
  }

  /** Lines of a nested scope (a block, a loop body, a branch). */
  private nested(print: () => string[]): string[] {
    this.scopes.push(++this.scopeCount);
    try {
      return print();
    } finally {
      this.scopes.pop();
    }
  }

  private stateMachine(): string[] {
    const w = this.shape;
    const reached = new Set<string>();
    const queue = [w.entry];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (reached.has(id) || !this.shapeSteps.has(id)) continue;
      reached.add(id);
      queue.push(...stepEdges(this.shapeSteps.get(id)!));
    }
    const label = (this.machineLabel ||= this.labels.claim("steps", "steps"));
    const cases: string[] = [];
    for (const step of w.steps.filter((s) => reached.has(s.id))) {
      const plan = (exits: readonly ExitIr[]): PlannedExit[] =>
        foldExits(exits).map(({ exit, alsoFor, fallsThrough }) => ({
          exit,
          alsoFor,
          jump: fallsThrough
            ? { kind: "fallthrough" }
            : exit.to.kind === "step"
              ? { kind: "state", step: exit.to.step, poll: exit.to.loop }
              : { kind: "terminal", target: exit.to },
        }));
      cases.push(
        `case ${stringLiteral(step.id)}: {`,
        ...this.nested(() => this.step({ kind: "step", step, success: plan(step.onSuccess), failure: plan(step.onFailure), nested: true })),
        "}",
      );
    }
    return [`let step: string = ${stringLiteral(w.entry)};`, `${label}: for (;;) {`, "switch (step) {", ...cases, "}", "}"];
  }

  private statements(stmts: readonly Stmt[]): string[] {
    return stmts.flatMap((stmt) => {
      switch (stmt.kind) {
        case "step":
          return this.step(stmt);
        case "block":
          return [`${this.label(stmt.frame)}: {`, ...this.nested(() => this.statements(stmt.body)), "}"];
        case "loop":
          return [
            `${stmt.frame.labelUsed ? `${this.label(stmt.frame)}: ` : ""}for (;;) {`,
            ...this.nested(() => this.statements(stmt.body)),
            "}",
          ];
      }
    });
  }

  private label(frame: Frame): string {
    let label = this.frameLabels.get(frame);
    if (label === undefined) {
      const step = frame.kind === "loop" ? frame.header : frame.follow;
      label = this.labels.claim(step !== undefined ? camelCase(step) : "attempts", "label");
      this.frameLabels.set(frame, label);
    }
    return label;
  }

  // --- Steps -------------------------------------------------------------------------------------------

  /** The scope of code in a step: which steps certainly ran (read plainly) and which may have. */
  private scope(step: StepIr, after: boolean, extra: Partial<ExpressionScope> = {}): ExpressionScope {
    const must = new Set(this.workflow.flow.mustHaveRun[step.id] ?? []);
    const may = new Set(this.workflow.flow.mayHaveRun[step.id] ?? []);
    if (after) {
      must.add(step.id);
      may.add(step.id);
    }
    return this.expressionScope(must, may, extra, new Set(), new Set(this.workflow.flow.workflowsRun?.must[step.id] ?? []));
  }

  private expressionScope(
    must: ReadonlySet<string>,
    may: ReadonlySet<string>,
    extra: Partial<ExpressionScope> = {},
    narrowed: ReadonlySet<string> = new Set(),
    ran: ReadonlySet<string> = new Set(),
  ): ExpressionScope {
    return {
      uses: this.uses,
      inputs: () => {
        this.inputsUsed = true;
        return "inputs";
      },
      stepOutput: (id, name): Code => {
        const local = this.outputVars.get(id)?.get(name);
        if (local === undefined || !may.has(id)) return { code: "undefined", untyped: false, maybeUnset: true };
        if (this.recording) this.reads.push({ step: id, name, scopes: [...this.scopes], at: ++this.sequence });
        if (!this.hoisted.has(id) || narrowed.has(id)) return { code: local, untyped: false };
        return must.has(id) ? { code: `${local}!`, untyped: false } : { code: local, untyped: false, maybeUnset: true };
      },
      inputType: this.inputType,
      outputType: this.outputType,
      workflow: (ref, field) => {
        const dependency = this.dependencyVars.get(ref.workflowId);
        // A dependency no step or retry runs again: its outputs are the local its run left.
        if (field === "outputs" && dependency && !this.runsAgain.has(ref.workflowId)) return { ...dependency, sure: true };
        const sure = ran.has(ref.workflowId);
        if (field === "inputs") return { code: `run.inputsOf(${stringLiteral(ref.workflowId)})`, returnsOthers: false, sure };
        const link = this.context.link(ref);
        const type = link.transfers ? "unknown" : `${link.outputs}${sure ? "" : " | undefined"}`;
        return { code: `run.outputsOf<${type}>(${stringLiteral(ref.workflowId)})`, returnsOthers: link.transfers, sure };
      },
      types: this.context.types,
      pattern: this.context.pattern,
      ...extra,
    };
  }

  /** The typed view of a response body: the paths this step's code reads, as one nested object type. */
  private bodyView(step: StepIr): { type: string; paths: Set<string> } | undefined {
    const outputs = this.outputVars.get(step.id)!;
    const conditions: Cond[] = [...step.successCriteria, ...[...step.onSuccess, ...step.onFailure].flatMap((e) => e.when)];
    const refs = [...step.outputs.filter((o) => outputs.has(o.name)).flatMap((o) => valueRefs(o.value)), ...conditions.flatMap(condRefs)];
    const wanted = new Set([
      ...refs.flatMap((r) => {
        const path = bodyPath(r);
        return path ? [pathKey(path)] : [];
      }),
      ...conditions.flatMap(nodeComparePaths).map(pathKey),
    ]);
    type Node = { children: Map<string, Node>; leaf?: TypeIr };
    const root: Node = { children: new Map() };
    const paths = new Set<string>();
    const reads = step.bodyReads
      .filter((r) => wanted.has(pathKey(r.path)) && r.path.every((t) => bodyPath({ kind: "responseBody", path: [t] }) !== undefined))
      .sort((a, b) => a.path.length - b.path.length || pathKey(a.path).localeCompare(pathKey(b.path)));
    for (const read of reads) {
      let node = root;
      let clash = false;
      for (const token of read.path) {
        if (node.leaf !== undefined) {
          clash = true; // a shorter read already typed this value as a whole
          break;
        }
        let next = node.children.get(token);
        if (!next) {
          next = { children: new Map() };
          node.children.set(token, next);
        }
        node = next;
      }
      if (clash || node.children.size > 0) continue;
      node.leaf = read.type;
      paths.add(pathKey(read.path));
    }
    if (paths.size === 0) return undefined;
    const print = (node: Node): string =>
      node.leaf !== undefined ? this.context.types.print(node.leaf, "") : `{ ${[...node.children].map(([name, child]) => `${typeMemberName(name)}: ${print(child)}`).join("; ")} }`;
    return { type: print(root), paths };
  }

  /**
   * A value of a request: as it is, or, when it reads `$url` (AZC3071), a function of the URL that the runtime calls
   * once it has built the URL.
   */
  private requestValue(value: Value, scope: ExpressionScope): string {
    if (!valueRefs(value).some((ref) => ref.kind === "url")) return emitValue(value, scope);
    const url = this.local("request url", "requestUrl", "requestUrl");
    return `(${url}: string) => (${emitValue(value, { ...scope, requestUrl: url })})`;
  }

  /** `awaited`: false for a step of a concurrent group, whose requests run.together awaits. */
  private request(step: StepIr, call: RequestIr, scope: ExpressionScope, typeArgument: string, awaited = true): string {
    const groups = new Map<string, Map<string, string>>();
    let querystring: string | undefined;
    for (const p of call.parameters) {
      const value = this.requestValue(p.value, scope);
      if (p.in === "querystring") {
        // The whole query string (one per operation: rules/querystring-parameters); its media type travels with it.
        querystring = p.contentType !== undefined ? `${this.uses.helper("styled")}(${value}, ${literal({ contentType: p.contentType })})` : value;
        continue;
      }
      const style = p.style ?? DEFAULT_STYLE[p.in]!;
      const serialization: Record<string, unknown> = {};
      if (p.style !== undefined && p.style !== DEFAULT_STYLE[p.in]) serialization["style"] = p.style;
      if (p.explode !== undefined && p.explode !== (style === "form" || style === "cookie")) serialization["explode"] = p.explode;
      if (p.allowReserved === true) serialization["allowReserved"] = true;
      if (p.contentType !== undefined) serialization["contentType"] = p.contentType;
      const code = Object.keys(serialization).length > 0 ? `${this.uses.helper("styled")}(${value}, ${literal(serialization)})` : value;
      const group = groups.get(p.in) ?? new Map<string, string>();
      group.delete(p.name); // a later declaration of the same parameter wins
      group.set(p.name, code);
      groups.set(p.in, group);
    }
    const fields: string[] = [];
    for (const where of ["path", "query", "header", "cookie"]) {
      const group = groups.get(where);
      if (group) fields.push(`${where}: { ${[...group].map(([name, code]) => `${propertyName(name)}: ${code}`).join(", ")} }`);
    }
    if (querystring !== undefined) fields.push(`querystring: ${querystring}`);
    if (call.body) {
      fields.push(`body: ${this.requestValue(call.body.value, scope)}`);
      if (call.body.contentType !== "application/json") fields.push(`contentType: ${stringLiteral(call.body.contentType)}`);
    }
    if (call.needs !== undefined)
      fields.push(`needs: [${call.needs.map((ref) => `[${stringLiteral(printRef(ref))}, ${emitRef(ref, scope).code}]`).join(", ")}]`);
    if (call.idempotencyKeyHeader !== undefined) fields.push(`idempotencyKeyHeader: ${stringLiteral(call.idempotencyKeyHeader)}`);
    const requires = requiresList(step);
    if (requires !== undefined) fields.push(`requires: ${requires}`);
    if (step.timeoutMs !== undefined) fields.push(`timeoutMs: ${literal(step.timeoutMs)}`);
    const request = fields.length > 0 ? `{ ${fields.join(", ")} }` : "{}";
    return `${awaited ? "await " : ""}run.request${typeArgument}(${stringLiteral(step.id)}, ${this.context.source(call)}, ${stringLiteral(call.method)}, ${stringLiteral(call.path)}, ${request})`;
  }

  /** The values of a message step, as the runtime's MessageStep: all of them, or only what a subscription needs. */
  private messageStep(step: StepIr, call: MessageIr, scope: ExpressionScope, forListen: boolean): string {
    const fields: string[] = [];
    const members = (entries: ReadonlyArray<readonly [string, Value]>) =>
      `{ ${entries.map(([name, value]) => `${propertyName(name)}: ${emitValue(value, scope)}`).join(", ")} }`;
    if (call.parameters.length > 0) fields.push(`parameters: ${members(call.parameters)}`);
    if (call.parameterLocations !== undefined)
      fields.push(`locations: { ${call.parameterLocations.map(([name, at]) => `${propertyName(name)}: ${stringLiteral(at)}`).join(", ")} }`);
    if (!forListen && call.action === "send") {
      if (call.headers.length > 0) fields.push(`headers: ${members(call.headers)}`);
      if (call.payload) fields.push(`payload: ${emitValue(call.payload, scope)}`);
      if (call.contentType !== "application/json") fields.push(`contentType: ${stringLiteral(call.contentType)}`);
      if (call.message !== undefined) fields.push(`message: ${stringLiteral(call.message)}`);
    }
    if (!forListen && step.timeoutMs !== undefined) fields.push(`timeoutMs: ${literal(step.timeoutMs)}`);
    if (call.correlation)
      fields.push(`correlation: { locations: ${literal(call.correlation.locations)}, value: ${emitValue(call.correlation.value, scope)} }`);
    return fields.length > 0 ? `{ ${fields.join(", ")} }` : "{}";
  }

  /** A send or receive, typed by the payload of the step's messages. */
  private messageCode(step: StepIr, call: MessageIr, scope: ExpressionScope, awaited = true): string {
    const typeArgument = call.payloadType.kind === "unknown" ? "" : `<${this.context.types.print(call.payloadType)}>`;
    const helper = this.uses.helper(call.action === "send" ? "sendMessage" : "receiveMessage");
    return `${awaited ? "await " : ""}${helper}${typeArgument}(run, ${stringLiteral(step.id)}, ${this.context.channel(call)}, ${this.messageStep(step, call, scope, false)})`;
  }

  /** Subscriptions of receive steps that open before `step` runs (the step that may trigger their message). */
  private listens(step: StepIr): string[] {
    const scope = this.scope(step, false);
    return this.workflow.steps.flatMap((r) =>
      r.call.kind === "message" && r.call.listenBefore === step.id
        ? [
            `await ${this.uses.helper("listenForMessage")}(run, ${stringLiteral(r.id)}, ${this.context.channel(r.call)}, ${this.messageStep(r, r.call, scope, true)});`,
          ]
        : [],
    );
  }

  private callCode(step: StepIr, call: WorkflowCallIr, scope: ExpressionScope): string {
    const link = this.context.link(call.workflow);
    const inputs = `{ ${call.inputs.map(([name, value]) => `${propertyName(name)}: ${emitValue(value, scope)}`).join(", ")} }`;
    const requires = requiresList(step);
    const options = [
      ...(requires !== undefined ? [`requires: ${requires}`] : []),
      ...(step.timeoutMs !== undefined ? [`timeoutMs: ${literal(step.timeoutMs)}`] : []),
    ];
    return `await run.call(${stringLiteral(step.id)}, ${link.definition}, ${call.inputs.length > 0 ? inputs : "{}"}, ${link.inRun}${options.length > 0 ? `, { ${options.join(", ")} }` : ""})`;
  }

  /** A step's code: its request or call, its criteria, its outputs and its exits. */
  private step(stmt: Extract<Stmt, { kind: "step" }>): string[] {
    const { step } = stmt;
    const outer = this.current;
    this.current = step;
    try {
      const group = this.groups.get(step.id);
      return group ? this.groupLines(stmt, group) : this.stepLines(stmt);
    } finally {
      this.current = outer;
    }
  }

  private stepLines(stmt: Extract<Stmt, { kind: "step" }>): string[] {
    const { step } = stmt;
    const lines: string[] = [];
    const variable = this.stepVars.get(step.id)!;
    lines.push(this.stepComment(step), ...this.listens(step));
    const before = this.scope(step, false);
    const view = step.call.kind === "request" ? this.bodyView(step) : undefined;
    const send =
      step.call.kind === "request"
        ? this.request(step, step.call, before, view ? `<${view.type}>` : "")
        : step.call.kind === "message"
          ? this.messageCode(step, step.call, before)
          : this.callCode(step, step.call, before);
    const after = this.afterScope(step, variable, view);
    const criteria = step.successCriteria.map((c) => emitCondition(c, after));
    const passed = criteria.length > 0 ? criteria.join(" && ") : "true";
    const retries = step.onFailure.filter((e) => e.to.kind === "retry");
    const counters = new Map<ExitIr, string>();
    // Outputs are recorded as soon as the response is in: failure exits may read them too.
    const outputs = (): string[] => this.outputLines(step, after);
    const failure = () => this.nested(() => this.exits(stmt.failure, after, counters));
    if (retries.length === 0) {
      const only = stmt.failure.length === 1 ? stmt.failure[0]! : undefined;
      // Without failure exits, a failure ends the workflow: the outputs are read after the check.
      if (only && only.jump.kind === "terminal" && only.jump.target.kind === "fail" && only.exit.action === undefined)
        lines.push(
          `const ${variable} = ${send};`,
          `await run.expect(${[variable, passed, ...this.failureOutputsThunk(step)].join(", ")});`,
          ...outputs(),
        );
      else lines.push(`const ${variable} = ${send};`, ...outputs(), `if (!(await run.check(${variable}, ${passed}))) {`, ...failure(), "}");
    } else {
      for (const exit of retries) {
        const counter = this.local(`retries ${step.id} ${step.onFailure.indexOf(exit)}`, `${variable}Retries`, "retries");
        counters.set(exit, counter);
        lines.push(`let ${counter} = 0;`);
      }
      const type =
        step.call.kind === "request"
          ? `${this.uses.type("StepResponse")}${view ? `<${view.type}>` : ""}`
          : step.call.kind === "message"
            ? `${this.uses.type("StepMessage")}${step.call.payloadType.kind === "unknown" ? "" : `<${this.context.types.print(step.call.payloadType)}>`}`
            : `${this.uses.type("CallResult")}<${this.context.link(step.call.workflow).outputs}>`;
      lines.push(`let ${variable}: ${type};`, "for (;;) {");
      lines.push(
        ...this.nested(() => [`${variable} = ${send};`, ...outputs(), `if (await run.check(${variable}, ${passed})) break;`, ...failure()]),
        "}",
      );
    }
    lines.push(...this.exits(stmt.success, after, counters));
    return lines;
  }

  /** A step's outputs that some code reads, as locals, from the scope after its result. */
  private outputLines(step: StepIr, after: ExpressionScope): string[] {
    const out: string[] = [];
    if (this.recording) {
      const def = this.defs.get(step.id);
      this.defs.set(step.id, { scopes: [...this.scopes], at: ++this.sequence, count: (def?.count ?? 0) + 1 });
    }
    for (const o of step.outputs) {
      const local = this.outputVars.get(step.id)!.get(o.name);
      if (local === undefined || (!this.recording && !this.readVars.has(JSON.stringify([step.id, o.name])))) continue;
      const value = typedValue(o.value, o.type, after);
      out.push(this.hoisted.has(step.id) ? `${local} = ${value};` : `const ${local} = ${value};`);
    }
    return out;
  }

  /** A step's comment line: its id, and its description when it has one. */
  private stepComment(step: StepIr): string {
    return step.description !== undefined && step.description.trim() !== ""
      ? `// ${commentText(`${step.id}: ${step.description.trim()}`).replace(/\s*\n\s*/g, " ")}`
      : `// ${commentText(step.id)}`;
  }

  /** The scope after a step's result, its result read from `variable`. */
  private afterScope(step: StepIr, variable: string, view: { paths: Set<string> } | undefined): ExpressionScope {
    return this.scope(step, true, {
      ...(step.call.kind === "request"
        ? { response: { variable, bodyPaths: view?.paths ?? new Set<string>() } }
        : step.call.kind === "message"
          ? { message: { variable, typedPayload: step.call.payloadType.kind !== "unknown" } }
          : { call: { variable, returnsOthers: this.context.link(step.call.workflow).transfers } }),
    });
  }

  /**
   * Steps that run concurrently (ir/concurrency.ts): the subscriptions they open first, then their requests and
   * messages started in execution order and joined (run.together); then each step's criteria and outputs in
   * execution order, as sequential code checks them, so the first failure in that order fails the workflow; then
   * the exits of the last step. Every step of a group has only the default exits.
   */
  private groupLines(stmt: Extract<Stmt, { kind: "step" }>, group: readonly StepIr[]): string[] {
    const lines = [`// ${commentText(group.map((s) => s.id).join(", "))}: started together, in this order, and joined here`];
    for (const step of group) lines.push(...this.listens(step));
    const views = group.map((step) => (step.call.kind === "request" ? this.bodyView(step) : undefined));
    const started = group.map((step, i) => {
      const before = this.scope(step, false);
      const view = views[i];
      if (step.call.kind === "request") return this.request(step, step.call, before, view ? `<${view.type}>` : "", false);
      if (step.call.kind === "message") return this.messageCode(step, step.call, before, false);
      throw new Error(`step ${step.id} calls a workflow: it cannot be in a concurrent group`);
    });
    const variables = group.map((step) => this.stepVars.get(step.id)!);
    lines.push(`const [${variables.join(", ")}] = await run.together([${started.join(", ")}]);`);
    let after: ExpressionScope | undefined;
    for (const [i, step] of group.entries()) {
      this.current = step;
      after = this.afterScope(step, variables[i]!, views[i]);
      const criteria = step.successCriteria.map((c) => emitCondition(c, after!));
      lines.push(
        this.stepComment(step),
        `await run.expect(${[variables[i]!, criteria.length > 0 ? criteria.join(" && ") : "true", ...this.failureOutputsThunk(step)].join(", ")});`,
        ...this.outputLines(step, after),
      );
    }
    lines.push(...this.exits(stmt.success, after!, new Map()));
    return lines;
  }

  /** Exits as an `if`/`else if` chain in order; every branch ends in a jump, so the default follows it. */
  private exits(plans: readonly PlannedExit[], scope: ExpressionScope, counters: ReadonlyMap<ExitIr, string>): string[] {
    const lines: string[] = [];
    let chained = false;
    for (const plan of plans) {
      const { exit } = plan;
      const counter = counters.get(exit);
      const conditions = exit.when.map((c) => emitCondition(c, scope));
      if (exit.to.kind === "retry" && counter !== undefined) conditions.push(`${counter} < ${exit.to.limit}`);
      // A failure names its action in the error already.
      const names = [...(exit.action !== undefined && exit.to.kind !== "fail" ? [exit.action] : []), ...plan.alsoFor];
      // The action's name ends the jump's first line.
      const label = commentText(names.join(", ")).replace(/\n/g, " ");
      const named = (body: string[]): string[] =>
        body.length === 0
          ? names.length > 0
            ? [`// ${label}: ${exit.to.kind === "step" ? `on to ${commentText(exit.to.step)}` : "as below"}`]
            : []
          : names.length === 0
            ? body
            : body[0]!.startsWith("// ")
              ? [`// ${label}: ${body[0]!.slice(3)}`, ...body.slice(1)]
              : [`${body[0]!} // ${label}`, ...body.slice(1)];
      if (conditions.length === 0) {
        lines.push(...named(this.jump(plan, counter, scope)));
        chained = false;
        continue;
      }
      const body = named(this.nested(() => this.jump(plan, counter, scope)));
      if (chained) lines.pop(); // `} else if` continues the previous `if`
      lines.push(`${chained ? "} else if" : "if"} (${conditions.join(" && ")}) {`, ...body, "}");
      chained = true;
    }
    return lines;
  }

  /** The inputs object an action's parameters give the workflow it runs (Arazzo 1.1), evaluated after the step. */
  private actionInputs(inputs: ReadonlyArray<readonly [string, Value]>, scope: ExpressionScope): string {
    return `{ ${inputs.map(([name, value]) => `${propertyName(name)}: ${emitValue(value, scope)}`).join(", ")} }`;
  }

  private jump(plan: PlannedExit, counter: string | undefined, scope: ExpressionScope): string[] {
    const step = this.current!;
    const variable = this.stepVars.get(step.id)!;
    const jump: Jump = plan.jump;
    const labelled = (frame: Frame) => (frame.labelUsed ? ` ${this.label(frame)}` : "");
    switch (jump.kind) {
      case "break":
        return [`break${labelled(jump.frame)};`];
      case "continue":
        return [...(jump.poll !== undefined ? [`await run.poll(${stringLiteral(jump.poll)});`] : []), `continue${labelled(jump.frame)};`];
      case "inline":
        return this.statements(jump.body);
      case "fallthrough":
        return [];
      case "state": {
        // Inside a retry's attempt loop, `continue` alone would repeat the attempt.
        const label = step.onFailure.some((e) => e.to.kind === "retry") ? ` ${this.machineLabel}` : "";
        return [
          ...(jump.poll ? [`await run.poll(${stringLiteral(jump.step)});`] : []),
          `step = ${stringLiteral(jump.step)};`,
          `continue${label};`,
        ];
      }
      case "terminal": {
        const target = jump.target;
        switch (target.kind) {
          case "end":
            return [`return ${this.outputsAt(step)};`];
          case "fail": {
            // The workflow's outputs that can be evaluated here go with the error (WorkflowError.outputs).
            const outputs = this.outputsAtFailure(step, true);
            const action = plan.exit.action !== undefined ? stringLiteral(plan.exit.action) : outputs !== undefined ? "undefined" : undefined;
            return [`throw run.failed(${[variable, ...(action !== undefined ? [action] : []), ...(outputs !== undefined ? [outputs] : [])].join(", ")});`];
          }
          case "transfer": {
            const link = this.context.link(target.workflow);
            if (target.inputs !== undefined)
              return [`return run.transfer(${link.definition}, ${link.inRun}, ${this.actionInputs(target.inputs, scope)});`];
            return [`return run.transfer(${link.definition}, ${link.inRun});`];
          }
          case "retry": {
            const lines = [`${counter}++;`];
            const via = target.via;
            // A receive step's subscription stays open across its retry; the step or workflow run first must not close it.
            if (via !== undefined && step.call.kind === "message" && step.call.action === "receive")
              lines.push(`run.retrying(${stringLiteral(step.id)});`);
            if (via?.kind === "step") lines.push(...this.detour(step, via.step));
            else if (via?.kind === "workflow") {
              const link = this.context.link(via.workflow);
              const inputs =
                via.inputs !== undefined ? this.actionInputs(via.inputs, scope) : `run.inputsFor(${stringLiteral(via.workflow.workflowId)})`;
              lines.push(`await run.call(${stringLiteral(step.id)}, ${link.definition}, ${inputs}, ${link.inRun});`);
            }
            lines.push(
              `await run.retryWait(${variable}, ${target.afterSeconds !== undefined ? literal(target.afterSeconds) : "undefined"});`,
            );
            // The attempt loop is the innermost loop here, in the state machine too.
            lines.push("continue;");
            return lines;
          }
          case "step":
            throw new Error("a step target is a jump, not a terminal");
        }
      }
    }
  }

  /** A step run first by a retry: its request and outputs, then back to the retrying step. */
  private detour(from: StepIr, id: string): string[] {
    const step = this.steps.get(id);
    if (!step) return [];
    const variable = this.local(`detour ${from.id} ${id}`, `${this.stepVars.get(id)!}Again`, "detour");
    const before = this.scope(from, true);
    const view = step.call.kind === "request" ? this.bodyView(step) : undefined;
    const send =
      step.call.kind === "request"
        ? this.request(step, step.call, before, view ? `<${view.type}>` : "")
        : step.call.kind === "message"
          ? this.messageCode(step, step.call, before)
          : this.callCode(step, step.call, before);
    const after = this.expressionScope(
      new Set([...(this.workflow.flow.mustHaveRun[from.id] ?? []), from.id, id]),
      new Set([...(this.workflow.flow.mayHaveRun[from.id] ?? []), from.id, id]),
      step.call.kind === "request"
        ? { response: { variable, bodyPaths: view?.paths ?? new Set<string>() } }
        : step.call.kind === "message"
          ? { message: { variable, typedPayload: step.call.payloadType.kind !== "unknown" } }
          : { call: { variable, returnsOthers: this.context.link(step.call.workflow).transfers } },
    );
    const lines = [`// ${commentText(id)}, run first by the retry`];
    const outputs = step.outputs.filter(
      (o) => this.outputVars.get(id)!.has(o.name) && (this.recording || this.readVars.has(JSON.stringify([id, o.name]))),
    );
    lines.push(`${outputs.length > 0 ? `const ${variable} = ` : ""}${send};`);
    if (this.recording) {
      const def = this.defs.get(id);
      this.defs.set(id, { scopes: [...this.scopes], at: ++this.sequence, count: (def?.count ?? 0) + 2 });
    }
    for (const o of outputs)
      lines.push(`${this.outputVars.get(id)!.get(o.name)} = ${typedValue(o.value, o.type, after)};`);
    return lines;
  }

  /**
   * The workflow's outputs at an end reached from `step` (its success exits): each present where the steps and
   * workflows it reads ran.
   */
  private outputsAt(step: StepIr): string {
    const flow = this.workflow.flow;
    const called = step.call.kind === "workflow" ? [step.call.workflow.workflowId] : [];
    const retried = step.onFailure.flatMap((e) => (e.to.kind === "retry" && e.to.via?.kind === "workflow" ? [e.to.via.workflow.workflowId] : []));
    return this.outputsObject(
      new Set([...(flow.mustHaveRun[step.id] ?? []), step.id]),
      new Set([...(flow.mayHaveRun[step.id] ?? []), step.id]),
      new Set([...(flow.workflowsRun?.must[step.id] ?? []), ...called]),
      new Set([...(flow.workflowsRun?.may[step.id] ?? []), ...called, ...retried]),
    );
  }

  /**
   * The workflow's outputs where `step` failed, or undefined when none can be evaluated there. `recorded`: the
   * step's own outputs were recorded before its criteria were tested (steps with failure actions).
   */
  private outputsAtFailure(step: StepIr, recorded: boolean): string | undefined {
    if (this.workflow.outputs.length === 0) return undefined;
    const flow = this.workflow.flow;
    const own = (ids: readonly string[]) => new Set([...ids.filter((id) => id !== step.id), ...(recorded ? [step.id] : [])]);
    const object = this.outputsObject(
      own(flow.mustHaveRun[step.id] ?? []),
      own(flow.mayHaveRun[step.id] ?? []),
      new Set(flow.workflowsRun?.must[step.id] ?? []),
      new Set(flow.workflowsRun?.may[step.id] ?? []),
    );
    return object === "{}" ? undefined : object;
  }

  /** The third argument of run.expect: the outputs a failure there carries, evaluated only on failure. */
  private failureOutputsThunk(step: StepIr): string[] {
    const outputs = this.outputsAtFailure(step, false);
    return outputs !== undefined ? [`() => (${outputs})`] : [];
  }

  /** The outputs object where `must`/`may` steps and `ran`/`mayRan` workflows have run: reads of others are left out. */
  private outputsObject(must: ReadonlySet<string>, may: ReadonlySet<string>, ran: ReadonlySet<string>, mayRan: ReadonlySet<string>): string {
    const members: string[] = [];
    for (const o of this.workflow.outputs) {
      const refs = valueRefs(o.value);
      const read = refs.flatMap((r) => (r.kind === "stepOutput" ? [r] : []));
      const workflows = refs.flatMap((r) => (r.kind === "workflowOutput" || r.kind === "workflowInput" ? [r.workflowId] : []));
      if (read.some((r) => !may.has(r.stepId)) || workflows.some((id) => !mayRan.has(id))) continue; // absent on this path
      const unsure = read.filter((r) => !must.has(r.stepId) && this.hoisted.has(r.stepId));
      const unsureRuns = [...new Set(workflows.filter((id) => !ran.has(id)))];
      const narrowed = new Set(unsure.map((r) => r.stepId));
      const scope = this.expressionScope(must, may, {}, narrowed, new Set([...ran, ...unsureRuns]));
      const value = this.outputValue(o.value, o.type, scope);
      const name = propertyName(o.name);
      const member = name === value && name !== "__proto__" ? name : `${name}: ${value}`;
      if (unsure.length === 0 && unsureRuns.length === 0) {
        members.push(member);
        continue;
      }
      const guards = [
        ...new Set(unsure.map((r) => `${this.outputVars.get(r.stepId)!.get(r.name)} !== undefined`)),
        ...unsureRuns.map((id) => `run.ran(${stringLiteral(id)})`),
      ];
      members.push(`...(${guards.join(" && ")} ? { ${member} } : {})`);
    }
    return members.length > 0 ? `{ ${members.join(", ")} }` : "{}";
  }

  private outputValue(value: Value, type: TypeIr, scope: ExpressionScope): string {
    return typedValue(value, type, scope);
  }
}

/**
 * A local name the variables of compiled JSONPath code (`root`, `n1`, `d2`, `re3`, ...; jsonpath.ts) cannot
 * hide: an embedded value's code inside such a function may read it.
 */
function clearOfJsonPath(name: string): string {
  return /^(?:root|(?:n|d|s|re|list|wrapped)\d+)$/.test(name) ? `${name}Value` : name;
}

function withUndefined(type: TypeIr): TypeIr {
  if (type.kind === "unknown") return type;
  if (type.kind === "union")
    return type.members.some((m) => m.kind === "undefined") ? type : { kind: "union", members: [...type.members, { kind: "undefined" }] };
  return type.kind === "undefined" ? type : { kind: "union", members: [type, { kind: "undefined" }] };
}
