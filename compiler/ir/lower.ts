// Lowering: a bound Arazzo document to its module of the plain-data IR (ir/program.ts). Control flow is
// lowered by ir/flow.ts, types are computed by ir/typing.ts; what comes out holds no handles into the
// loaded files, so any emitter can read it, and `arazzoc graph --format json` prints it.
import { workflowRuns } from "../check/flow.js";
import { valueRefs, type BoundDocument, type BoundStep, type BoundWorkflow, type WorkflowRef } from "../check/model.js";
import type { DocumentStore } from "../load/refs.js";
import type { SchemaNormalizer } from "../load/schemas.js";
import { concurrentGroups } from "./concurrency.js";
import { condRefs, nodeComparePaths } from "./expressions.js";
import { flowFacts, lowerExits, type StepExits } from "./flow.js";
import { listenPoint } from "./messages.js";
import { requestNeeds } from "./absent-values.js";
import { unguaranteedDependencies } from "./order.js";
import { END, type ExternalWorkflowIr, type FlowFactsIr, type ModuleIr, type StepIr, type WorkflowIr } from "./program.js";
import { shareTypes, type SchemaName } from "./named-types.js";
import { reachableSchemas, resolveSchema } from "./schema.js";
import { throughNames, type TypeIr } from "./types.js";
import { gotoTargets, nestedSecretInputs, secretInputs, secretParameters, WorkflowTyping } from "./typing.js";

/** What lowering knows of a module lowered before: to type calls of its workflows. */
interface LoweredModule {
  readonly name: string;
  readonly typingOf: (workflowId: string) => WorkflowTyping | undefined;
  readonly transfers: (workflowId: string) => boolean;
}

/** Lowers the documents of one compile, dependencies first; keeps what later documents need of earlier ones. */
export class ProgramLowering {
  private readonly schemas: SchemaNormalizer;
  /** Modules lowered so far, by the absolute path of their Arazzo document. */
  private readonly lowered = new Map<string, LoweredModule>();
  /** Types of named schemas, computed once for every module. */
  private readonly definitions = new Map<string, TypeIr>();

  constructor(
    store: DocumentStore,
    /** `concurrent`: independent steps may run concurrently (WorkflowIr.concurrency). */
    private readonly stepConcurrency: "sequential" | "concurrent" = "sequential",
  ) {
    this.schemas = store.schemas;
  }

  /**
   * Lowers one document. `externals` maps each arazzo-type source description to the absolute path of its
   * document, which must have been lowered before.
   */
  lower(document: BoundDocument, sourcePath: string, name: string, externals: ReadonlyMap<string, string> = new Map()): ModuleIr {
    const typings = new Map<string, WorkflowTyping>();
    const byId = new Map(document.workflows.map((w) => [w.workflowId, w]));
    const typingOf = (ref: WorkflowRef): WorkflowTyping | undefined => {
      if (ref.source !== undefined) return this.lowered.get(externals.get(ref.source) ?? "")?.typingOf(ref.workflowId);
      const workflow = byId.get(ref.workflowId);
      if (!workflow) return undefined;
      let typing = typings.get(ref.workflowId);
      if (!typing) {
        typing = new WorkflowTyping(workflow, this.schemas, typingOf, this.definitions);
        typings.set(ref.workflowId, typing);
      }
      return typing;
    };
    const transfers = (workflowId: string) => byId.get(workflowId)?.steps.some((s) => gotoTargets(s).length > 0) ?? false;
    const typed = document.workflows.map((w) => this.workflow(w, typingOf({ workflowId: w.workflowId })!, byId));
    const shared = shareTypes(typed.flatMap(typesOf), this.definitions, (tableName) => this.schemaName(tableName));
    const workflows = typed.map((w) => withTypes(w, shared.rewrite));

    const externalRefs = new Map<string, ExternalWorkflowIr>();
    for (const workflow of document.workflows) {
      for (const ref of referencedWorkflows(workflow)) {
        if (ref.source === undefined) continue;
        const other = this.lowered.get(externals.get(ref.source) ?? "");
        if (!other) continue;
        externalRefs.set(`${ref.source}\u0000${ref.workflowId}`, {
          ref: { source: ref.source, workflowId: ref.workflowId },
          module: other.name,
          transfers: other.transfers(ref.workflowId),
        });
      }
    }
    this.lowered.set(document.absolutePath, { name, typingOf: (id) => typingOf({ workflowId: id }), transfers });
    return {
      sourcePath,
      name,
      title: document.title,
      workflows,
      externals: [...externalRefs.values()],
      schemas: reachableSchemas(
        workflows.flatMap((w) => (w.inputs.schema !== undefined ? [w.inputs.schema] : [])),
        this.schemas.table,
      ),
      types: shared.types,
    };
  }

  private schemaName(tableName: string): SchemaName {
    const named = this.schemas.namedSchema(tableName);
    const schema = resolveSchema(this.schemas.table[tableName] ?? true, this.schemas.table);
    const description = isRecord(schema) && typeof schema["description"] === "string" ? schema["description"] : undefined;
    return {
      name: named?.name ?? tableName,
      place: named !== undefined ? `${named.file}#${named.pointer}` : tableName,
      ...(description !== undefined ? { description } : {}),
    };
  }

  private workflow(workflow: BoundWorkflow, typing: WorkflowTyping, byId: ReadonlyMap<string, BoundWorkflow>): WorkflowIr {
    const exits = lowerExits(workflow.steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure })));
    const unmet = unguaranteedDependencies(workflow, byId);
    const flow = flowFacts(exits, workflowRuns(workflow.steps, workflow.dependsOn));
    const atEnd = new Set(flow.mustHaveRun[END] ?? []);
    const ranAtEnd = new Set(flow.workflowsRun?.must[END] ?? []);
    const steps: StepIr[] = workflow.steps.map((step, index) => {
      const { onSuccess, onFailure } = exits[index]!;
      const requires = unmet.get(step.stepId);
      return {
        id: step.stepId,
        ...(step.description !== undefined ? { description: step.description } : {}),
        ...(requires ? { requires: requires.map((r) => ({ workflowId: r.workflow?.workflowId ?? workflow.workflowId, stepId: r.stepId })) } : {}),
        call: callOf(step, typing, exits, flow),
        ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
        successCriteria: step.successCriteria,
        outputs: step.outputs.map((o) => ({ name: o.name, value: o.value, type: typing.stepOutputType(step.stepId, o.name) })),
        bodyReads: bodyReads(step, typing),
        onSuccess,
        onFailure,
      };
    });
    const outputs = workflow.outputs.map((o) => ({
      name: o.name,
      value: o.value,
      type: typing.workflowOutputType(o.name),
      optional: valueRefs(o.value).some(
        (r) =>
          (r.kind === "stepOutput" && !atEnd.has(r.stepId)) ||
          ((r.kind === "workflowOutput" || r.kind === "workflowInput") && !ranAtEnd.has(r.workflowId)),
      ),
    }));
    const schema = workflow.inputs ? this.schemas.normalize(workflow.inputs) : undefined;
    const nested = nestedSecretInputs(typing.inputsType, (type) => throughNames(type, (name) => this.definitions.get(name)));
    return {
      id: workflow.workflowId,
      ...(workflow.summary !== undefined ? { summary: workflow.summary } : {}),
      ...(workflow.description !== undefined ? { description: workflow.description } : {}),
      inputs: {
        type: typing.inputsType,
        ...(schema !== undefined ? { schema } : {}),
        secrets: secretInputs(workflow, typing.inputsType),
        ...(nested.length > 0 ? { nestedSecrets: nested } : {}),
      },
      dependsOn: workflow.dependsOn,
      entry: workflow.steps[0]?.stepId ?? "",
      steps,
      outputs,
      transfersTo: uniqueRefs(workflow.steps.flatMap(gotoTargets)),
      flow,
      ...(this.stepConcurrency === "concurrent"
        ? {
            concurrency: concurrentGroups(
              steps.map((step, index) => ({
                step,
                dependsOn: (workflow.steps[index]!.dependsOn ?? []).flatMap((d) =>
                  d.workflow === undefined || (d.workflow.source === undefined && d.workflow.workflowId === workflow.workflowId) ? [d.stepId] : [],
                ),
              })),
              workflow.steps.some((s) => (s.dependsOn?.length ?? 0) > 0),
              flow.detours,
            ),
          }
        : {}),
    };
  }
}

function callOf(step: BoundStep, typing: WorkflowTyping, exits: readonly StepExits[], flow: FlowFactsIr): StepIr["call"] {
  const target = step.target;
  if (target.kind === "workflow") return { kind: "workflow", workflow: target.workflow, inputs: target.inputs };
  if (target.kind === "message") {
    const m = target.message;
    const keys = m.messages.map((message) => message.key);
    const listenBefore =
      m.action === "receive"
        ? listenPoint(step.stepId, exits, flow.mustHaveRun, [
            ...m.parameters.map(([, v]) => v),
            ...(m.correlation ? [m.correlation.value] : []),
          ])
        : undefined;
    return {
      kind: "message",
      source: m.source,
      action: m.action,
      channel: {
        key: m.channel.key,
        address: m.channel.address,
        ...(m.channel.operation !== undefined ? { operation: m.channel.operation } : {}),
        messages: keys,
        servers: m.channel.servers,
        ...(m.channel.reply !== undefined ? { reply: m.channel.reply } : {}),
      },
      parameters: m.parameters,
      ...(m.parameterLocations !== undefined ? { parameterLocations: m.parameterLocations } : {}),
      headers: m.headers,
      ...(m.payload !== undefined ? { payload: m.payload } : {}),
      contentType: m.contentType,
      ...(keys.length === 1 ? { message: keys[0]! } : {}),
      ...(m.correlation ? { correlation: m.correlation } : {}),
      ...(listenBefore !== undefined ? { listenBefore } : {}),
      payloadType: typing.messageTypeAt(step, "payload", []),
      headersType: typing.messageTypeAt(step, "headers", []),
    };
  }
  const operation = target.operation;
  const secrets = secretParameters(operation.securityParameters);
  const needs = requestNeeds(step, typing, new Set(flow.mustHaveRun[step.stepId] ?? []));
  return {
    kind: "request",
    source: operation.sourceName,
    ...(operation.server !== undefined ? { server: operation.server } : {}),
    ...(operation.operationId !== undefined ? { operationId: operation.operationId } : {}),
    method: operation.method,
    path: operation.path,
    parameters: step.parameters,
    ...(step.body ? { body: step.body } : {}),
    ...(step.admittedStatuses !== undefined ? { admittedStatuses: step.admittedStatuses } : {}),
    ...(secrets.length > 0 ? { secretParameters: secrets } : {}),
    ...(operation.idempotencyKeyHeader !== undefined ? { idempotencyKeyHeader: operation.idempotencyKeyHeader } : {}),
    ...(needs.length > 0 ? { needs } : {}),
  };
}

/** Each JSON-pointer read of the step's response body, once, with its type. */
function bodyReads(step: BoundStep, typing: WorkflowTyping): StepIr["bodyReads"] {
  const criteria = [...step.successCriteria, ...[...step.onSuccess, ...step.onFailure].flatMap((a) => a.criteria)];
  const refs = [...step.outputs.flatMap((o) => valueRefs(o.value)), ...criteria.flatMap(condRefs)];
  const paths = [
    ...refs.flatMap((ref) => (ref.kind === "responseBody" && ref.path.length > 0 ? [ref.path] : [])),
    ...criteria.flatMap(nodeComparePaths),
  ];
  const reads = new Map<string, { path: readonly string[]; type: TypeIr }>();
  for (const path of paths) {
    const key = JSON.stringify(path);
    if (!reads.has(key)) reads.set(key, { path, type: typing.bodyTypeAt(step, path) });
  }
  return [...reads.values()];
}

/** The workflows a workflow's steps, retry actions, goto actions and dependsOn name. */
function referencedWorkflows(workflow: BoundWorkflow): WorkflowRef[] {
  return [
    ...workflow.dependsOn,
    ...workflow.steps.flatMap((s) => [
      ...(s.target.kind === "workflow" ? [s.target.workflow] : []),
      ...s.onFailure.flatMap((a) => (a.kind === "retry" && a.workflow ? [a.workflow] : [])),
      ...gotoTargets(s),
    ]),
  ];
}

function uniqueRefs(refs: readonly WorkflowRef[]): WorkflowRef[] {
  return [...new Map(refs.map((r) => [`${r.source ?? ""}\u0000${r.workflowId}`, r])).values()];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Every type of a workflow, each place once. */
function typesOf(workflow: WorkflowIr): TypeIr[] {
  return [
    workflow.inputs.type,
    ...workflow.steps.flatMap((s) => [...s.outputs.map((o) => o.type), ...s.bodyReads.map((r) => r.type)]),
    ...workflow.outputs.map((o) => o.type),
  ];
}

/** The workflow with each of its types rewritten. */
function withTypes(workflow: WorkflowIr, rewrite: (type: TypeIr) => TypeIr): WorkflowIr {
  return {
    ...workflow,
    inputs: { ...workflow.inputs, type: rewrite(workflow.inputs.type) },
    steps: workflow.steps.map((s) => ({
      ...s,
      outputs: s.outputs.map((o) => ({ ...o, type: rewrite(o.type) })),
      bodyReads: s.bodyReads.map((r) => ({ ...r, type: rewrite(r.type) })),
    })),
    outputs: workflow.outputs.map((o) => ({ ...o, type: rewrite(o.type) })),
  };
}
