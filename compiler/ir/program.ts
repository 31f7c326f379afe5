// The lowered program: what every emitter reads, and nothing else. Per workflow, a control-flow graph
// of steps (a request, or a call of another workflow) with ordered exits whose defaults are explicit,
// retry budgets, marked poll loops and transfers; the flow facts computed once from that graph; types
// and normalized schemas. Plain data: JSON-serializable (`arazzoc graph --format json` prints it), no
// loaded-file handles, no closures, no names of any target language.
import type { ConcurrencyIr } from "./concurrency.js";
import type { Cond, ParameterIr, Ref, Value, WorkflowRef } from "./expressions.js";
import type { SchemaIr } from "./schema.js";
import type { NamedTypeIr } from "./named-types.js";
import type { TypeIr } from "./types.js";

export interface ProgramIr {
  /** One module per Arazzo document, dependencies (documents whose workflows others call) first. */
  readonly modules: readonly ModuleIr[];
}

export interface ModuleIr {
  /** The Arazzo document's path relative to the project, with `/` separators. */
  readonly sourcePath: string;
  /** The module's base name in the output folder, without extension (`windmill-run-script`). */
  readonly name: string;
  readonly title: string;
  readonly workflows: readonly WorkflowIr[];
  /**
   * Workflows of other Arazzo documents (sources of type arazzo) that steps, actions or dependsOn name,
   * with the module that defines them.
   */
  readonly externals: readonly ExternalWorkflowIr[];
  /** Named schemas (components) the workflows' schemas refer to by name. */
  readonly schemas: Readonly<Record<string, SchemaIr>>;
  /**
   * Types of named schemas that the module's types refer to (`named` types): those used more than once or
   * recursive. Keys are the schemas' own names, unique in the module; sorted.
   */
  readonly types: Readonly<Record<string, NamedTypeIr>>;
}

export interface ExternalWorkflowIr {
  readonly ref: WorkflowRef & { readonly source: string };
  /** `name` of the module defining it. */
  readonly module: string;
  /** Its result may be another workflow's (it transfers control): its outputs are then untyped here. */
  readonly transfers: boolean;
}

export interface WorkflowIr {
  readonly id: string;
  readonly summary?: string;
  readonly description?: string;
  readonly inputs: InputsIr;
  /** Workflows run to completion first, in order (dependsOn). */
  readonly dependsOn: readonly WorkflowRef[];
  /** The first step. */
  readonly entry: string;
  /** In execution order: document order, unless step dependsOn (Arazzo 1.1) reorders them. */
  readonly steps: readonly StepIr[];
  readonly outputs: readonly WorkflowOutputIr[];
  /** Workflows a transfer (goto workflowId) may hand this workflow's result to. */
  readonly transfersTo: readonly WorkflowRef[];

  readonly flow: FlowFactsIr;
  /**
   * Present only when compiled with `stepConcurrency: "concurrent"`: the steps that run concurrently, and why the
   * others do not (ir/concurrency.ts).
   */
  readonly concurrency?: ConcurrencyIr;
}

export interface InputsIr {
  /** The inputs as an object type (members from the schema's properties). */
  readonly type: TypeIr;
  /** The normalized inputs schema, for the generated input check; absent when none is declared. */
  readonly schema?: SchemaIr;
  /** Inputs whose values must never appear in errors, logs or hooks (`format: password`, credentials). */
  readonly secrets: readonly string[];
  /** Members of object inputs marked `format: password`, as paths (`["env", "AUTH_TOKEN"]`); absent when none. */
  readonly nestedSecrets?: readonly (readonly string[])[];
}

export interface OutputIr {
  readonly name: string;
  readonly value: Value;
  readonly type: TypeIr;
}

export interface WorkflowOutputIr extends OutputIr {
  /** Some successful path skips a step the value reads: absent on that path. */
  readonly optional: boolean;
}

export interface StepIr {
  readonly id: string;
  readonly description?: string;
  /**
   * Steps (of this or another workflow) that must have succeeded, in this run, before this one starts (step
   * dependsOn), where the control flow does not already guarantee it: checked when the step starts.
   */
  readonly requires?: ReadonlyArray<{ readonly workflowId: string; readonly stepId: string }>;
  readonly call: RequestIr | MessageIr | WorkflowCallIr;
  /**
   * The step's own timeout (Arazzo 1.1), in ms: a request's whole exchange, a send, the wait for a message, or the
   * whole run of the workflow a step calls.
   */
  readonly timeoutMs?: number;
  /** All must hold for the step to succeed (in addition to a response having been received). */
  readonly successCriteria: readonly Cond[];
  readonly outputs: readonly OutputIr[];
  /** JSON-pointer reads of the response body with their types (a typed view of the body). */
  readonly bodyReads: ReadonlyArray<{ readonly path: readonly string[]; readonly type: TypeIr }>;
  /**
   * Where control goes after success, in order: the first exit whose conditions all hold is taken. The
   * last exit is always unconditional (the default made explicit: the next step, or the end).
   */
  readonly onSuccess: readonly ExitIr[];
  /**
   * Likewise after failure; the last exit is always unconditional (the default: fail the workflow). A
   * retry exit whose budget is spent is passed over, and the next matching exit is taken.
   */
  readonly onFailure: readonly ExitIr[];
}

export interface RequestIr {
  readonly kind: "request";
  /** The source description's name. */
  readonly source: string;
  /** The operation's server as the description writes it (may be relative, may hold variables). */
  readonly server?: { readonly url: string; readonly variables: Readonly<Record<string, string>> };
  readonly operationId?: string;
  /** Upper case. */
  readonly method: string;
  /** The path template, `/w/{workspace}/jobs/{id}`. */
  readonly path: string;
  readonly parameters: readonly ParameterIr[];
  readonly body?: { readonly contentType: string; readonly value: Value };
  /** Statuses the success criteria admit (`$statusCode == 201`), when they pin any. */
  readonly admittedStatuses?: readonly number[];
  /**
   * Where the operation's security schemes put credentials (API-key headers, query parameters, cookies),
   * beyond the headers every target treats as credentials anyway (Authorization, Cookie, X-Api-Key, ...):
   * whatever is sent there is a secret, whatever its origin. Sorted, unique.
   */
  readonly secretParameters?: ReadonlyArray<{ readonly in: "header" | "query" | "cookie"; readonly name: string }>;
  /**
   * The header in which the operation accepts an idempotency key (its `x-idempotency-key-header` extension,
   * or an `Idempotency-Key` header parameter). Emitted as StepRequest.idempotencyKeyHeader: the runtime sends
   * a key per run and step attempt there, the same when a durable engine replays the run.
   */
  readonly idempotencyKeyHeader?: string;
  /**
   * Values the request cannot be built without that may be absent when it is built (delta decision A-36): path
   * parameter values and values embedded in text whose type allows undefined (or says nothing), and outputs of
   * steps that may not have run. When one is undefined, nothing is sent and the step fails with reason
   * `expression`. Absent when none.
   */
  readonly needs?: readonly Ref[];
}

/** A message step: sends a message to an AsyncAPI channel, or receives one from it. */
export interface MessageIr {
  readonly kind: "message";
  /** The source description's name (the key of WorkflowOptions.transports). */
  readonly source: string;
  readonly action: "send" | "receive";
  readonly channel: {
    /** Key under #/channels. */
    readonly key: string;
    /** The address, `{name}` placeholders for channel parameters; null when the description gives none. */
    readonly address: string | null;
    readonly operation?: string;
    /** Keys of the messages the step may carry. */
    readonly messages: readonly string[];
    readonly servers: ReadonlyArray<{ readonly host: string; readonly protocol: string; readonly pathname?: string }>;
    /** Where the operation's reply goes (its channel's key and address, the location of a dynamic address), when declared. */
    readonly reply?: { readonly channel?: string; readonly address: string | null; readonly location?: string };
  };
  /** Channel parameters (`in: channel`, else the AsyncAPI parameter's default), by name. */
  readonly parameters: ReadonlyArray<readonly [string, Value]>;
  /** Channel parameters a send step reads from the message it sends: name and AsyncAPI location (`$message.payload#/id`). */
  readonly parameterLocations?: ReadonlyArray<readonly [string, string]>;
  /** Message headers (`in: header`), by name. */
  readonly headers: ReadonlyArray<readonly [string, Value]>;
  /** What a send step sends. */
  readonly payload?: Value;
  readonly contentType: string;
  /** The message key when the step's message is unambiguous. */
  readonly message?: string;
  /** A receive step's correlation: the value it waits for, and where its messages keep one (AsyncAPI locations). */
  readonly correlation?: { readonly value: Value; readonly locations: readonly string[] };
  /**
   * A receive step's subscription opens before this step (the one that precedes it, where the correlation value is
   * known already), so that a reply the step triggers is not missed; absent: it opens when the step starts.
   */
  readonly listenBefore?: string;
  /** The types of the step's message: the union over its messages. */
  readonly payloadType: TypeIr;
  readonly headersType: TypeIr;
}

export interface WorkflowCallIr {
  readonly kind: "workflow";
  readonly workflow: WorkflowRef;
  readonly inputs: ReadonlyArray<readonly [string, Value]>;
}

export interface ExitIr {
  /** All must hold; empty for an unconditional exit. */
  readonly when: readonly Cond[];
  /** The action's name; absent for a default. */
  readonly action?: string;
  readonly to: TargetIr;
}

export type TargetIr =
  /** Continue at a step. `loop`: a back-edge (the step may already have run on this path): a poll loop, which waits first. */
  | { readonly kind: "step"; readonly step: string; readonly loop: boolean }
  /** Successful end: the workflow's outputs are returned. */
  | { readonly kind: "end" }
  /** The workflow fails (an `end` failure action, or the default). */
  | { readonly kind: "fail" }
  /**
   * Run the step again, at most `limit` times per entry of the step (per action), after `afterSeconds` (or
   * what the response's Retry-After says), first running a step or a workflow (`via`) when one is named.
   */
  | {
      readonly kind: "retry";
      readonly limit: number;
      readonly afterSeconds?: number;
      readonly via?:
        | { readonly kind: "step"; readonly step: string }
        | { readonly kind: "workflow"; readonly workflow: WorkflowRef; readonly inputs?: ReadonlyArray<readonly [string, Value]> };
    }
  /**
   * One-way transfer: the other workflow's result (outputs or failure) becomes this workflow's. `inputs`: from
   * the action's parameters (Arazzo 1.1), evaluated after the step; absent: from inputsByWorkflowId.
   */
  | { readonly kind: "transfer"; readonly workflow: WorkflowRef; readonly inputs?: ReadonlyArray<readonly [string, Value]> };

/** Facts about the graph, computed once (ir/flow.ts) and shared by the checks and every emitter. */
export interface FlowFactsIr {
  /** Steps reachable from the entry, in document order. */
  readonly reachable: readonly string[];
  /** Per step: steps certainly run before it starts. Key `END`: certainly run at a successful end. */
  readonly mustHaveRun: Readonly<Record<string, readonly string[]>>;
  /** Per step: steps run on at least one path before it starts. Key `END`: likewise at a successful end. */
  readonly mayHaveRun: Readonly<Record<string, readonly string[]>>;
  /** Reachable steps from which no path leads to an end (a loop without exit). */
  readonly trapped: readonly string[];
  /** Steps that a retry of another step runs first (`via`); control then goes back to the retrying step. */
  readonly detours: readonly string[];
  /**
   * Present when the workflow runs other workflows (dependsOn, steps that call one, retries that run one): per
   * step (before it starts) and at a successful end (key `END`), the workflowIds whose outputs `$workflows.<id>`
   * can read. `must`: on every path (the dependencies, and steps that called one and succeeded); `may`: on some
   * path (a call that may have failed, a retry's workflow).
   */
  readonly workflowsRun?: {
    readonly must: Readonly<Record<string, readonly string[]>>;
    readonly may: Readonly<Record<string, readonly string[]>>;
  };
}

/** The key of the end in FlowFactsIr maps. Not a valid stepId (step ids match [A-Za-z0-9_-]+). */
export const END = "(end)";
