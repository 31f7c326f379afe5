// `--durable restate`: beside each module, `<module>.restate.ts` exporting restateWorkflows(options), one
// Restate workflow per Arazzo workflow (service name = workflowId, handler `run`). It is built on the
// module's public API only: the exported workflow functions and their Inputs/Outputs types, run with the
// executor that runtime-restate.ts supplies. So it does not depend on how the workflow bodies are emitted.
import { format } from "prettier";
import { commentText, propertyName, stringLiteral, typeMemberName } from "../escape.js";
import { moduleSpecifier } from "../specifiers.js";
import { DEFAULT_OUTPUT_STYLE, header, type OutputStyle } from "../ts/module.js";
import { NameTable } from "../ts/identifiers.js";
import type { WorkflowNames } from "../ts/names.js";
import type { ModuleIr } from "../../ir/program.js";

/** What the wrapper needs of one workflow: its id, the names its module exports, its secret inputs. */
export interface DurableWorkflow {
  readonly workflowId: string;
  readonly functionName: string;
  readonly inputsTypeName: string;
  /** Absent when the workflow's result may be another workflow's (a goto transfer): typed from the function then. */
  readonly outputsTypeName?: string;
  /** The inputs the worker may hold: the secret ones, and those with a secret member. */
  readonly secretInputs: readonly string[];
  /** The AsyncAPI sources its message steps use: the worker passes a transport for each. */
  readonly messageSources: readonly string[];
  /**
   * What is scrubbed from the journal: a secret input whole (its name), or a secret member (its path); absent when
   * it is `secretInputs` (no secret members).
   */
  readonly secretPaths?: ReadonlyArray<string | readonly string[]>;
  readonly summary?: string;
}

export interface DurableModule {
  /** The Arazzo document's path relative to the project, for the header. */
  readonly sourcePath: string;
  /** The workflow module's file name in the output folder (`windmill-run.ts`). */
  readonly moduleFile: string;
  readonly workflows: readonly DurableWorkflow[];
}

/**
 * What the wrapper needs of a lowered module: per workflow its id, its secret inputs, and the public names
 * the TypeScript target's naming pass gave its function and types.
 */
export function durableModule(module: ModuleIr, names: ReadonlyMap<string, WorkflowNames>): DurableModule {
  const workflows = module.workflows.map((w): DurableWorkflow => {
    const named = names.get(w.id)!;
    return {
      workflowId: w.id,
      functionName: named.function,
      inputsTypeName: named.inputs,
      ...(w.transfersTo.length === 0 ? { outputsTypeName: named.outputs } : {}),
      // An input with a secret member (env.AUTH_TOKEN) is held by the worker whole, like a secret input; only
      // the member is scrubbed from the journal.
      secretInputs: [...new Set([...w.inputs.secrets, ...(w.inputs.nestedSecrets ?? []).map((path) => path[0]!)])],
      messageSources: [...new Set(w.steps.flatMap((s) => (s.call.kind === "message" ? [s.call.source] : [])))].sort(),
      ...(w.inputs.nestedSecrets !== undefined ? { secretPaths: [...w.inputs.secrets, ...w.inputs.nestedSecrets] } : {}),
      ...(w.summary !== undefined ? { summary: w.summary } : {}),
    };
  });
  return { sourcePath: module.sourcePath, moduleFile: `${module.name}.ts`, workflows };
}

/** `["token", ["env", "AUTH_TOKEN"]]` */
function literalPaths(paths: ReadonlyArray<string | readonly string[]>): string {
  return `[${paths.map((p) => (typeof p === "string" ? stringLiteral(p) : `[${p.map(stringLiteral).join(", ")}]`)).join(", ")}]`;
}

/** `windmill-run.ts` -> `windmill-run.restate.ts`. */
export function restateFileName(moduleFile: string): string {
  return moduleFile.replace(/\.ts$/, "") + ".restate.ts";
}

/**
 * The Restate wrapper of one module, in the output style of the modules: it imports its module and
 * runtime-restate.ts with their import extension, from its own folder (a module may sit in a subfolder of the
 * output), and is formatted and bannered as they are.
 */
export async function emitRestateModule(module: DurableModule, style: OutputStyle = DEFAULT_OUTPUT_STYLE): Promise<string> {
  // The wrapper's own names must not clash with the imported ones.
  const names = new NameTable(["restate", "runDurably", "RestateWorkflowsOptions", "MessageTransport", "restateWorkflows", "WorkerSecrets"]);
  for (const w of module.workflows) {
    names.claim(w.functionName, "workflow");
    names.claim(w.inputsTypeName, "workflow");
    if (w.outputsTypeName !== undefined) names.claim(w.outputsTypeName, "workflow");
  }
  const wrapperFile = restateFileName(module.moduleFile);
  const workflowModule = stringLiteral(moduleSpecifier(wrapperFile, module.moduleFile, style.importExtension));
  // runtime-restate.ts is written next to the wrappers in either runtime mode: only it depends on the SDK.
  const restateRuntime = stringLiteral(moduleSpecifier(wrapperFile, "runtime-restate.ts", style.importExtension));
  const imported = module.workflows.flatMap((w) => [
    w.functionName,
    `type ${w.inputsTypeName}`,
    ...(w.outputsTypeName !== undefined ? [`type ${w.outputsTypeName}`] : []),
  ]);

  // Secret inputs the worker may hold, typed as the first workflow that declares them types them.
  const secretTypes = new Map<string, string>();
  for (const w of module.workflows)
    for (const name of w.secretInputs) if (!secretTypes.has(name)) secretTypes.set(name, `${w.inputsTypeName}[${stringLiteral(name)}]`);

  // The parameters of the function that hands the transports on: named apart from the imported names.
  const runInputs = names.claim("runInputs", "run");
  const runOptions = names.claim("runOptions", "run");
  // Message steps send and receive through transports that live in the worker, as its other options do.
  const messageSources = [...new Set(module.workflows.flatMap((w) => w.messageSources))].sort();

  const lines: string[] = [];
  lines.push(`import * as restate from "@restatedev/restate-sdk";`);
  lines.push(
    `import { runDurably, type RestateWorkflowsOptions${messageSources.length > 0 ? ", type MessageTransport" : ""} } from ${restateRuntime};`,
  );
  lines.push(`import { ${imported.join(", ")} } from ${workflowModule};`);
  lines.push("");
  lines.push(
    "/** Secret inputs the worker can hold (restateWorkflows({ secrets })): they are then left out of invocations, and so out of Restate's journal. Undefined: not held. */",
  );
  lines.push(
    `export interface WorkerSecrets { ${[...secretTypes].map(([name, type]) => `${typeMemberName(name)}?: ${type} | undefined;`).join(" ")} }`,
  );

  const invocationTypes = new Map<DurableWorkflow, string>();
  for (const w of module.workflows) {
    const typeName = names.claim(`${w.inputsTypeName.replace(/Inputs$/, "")}Invocation`, "workflow");
    invocationTypes.set(w, typeName);
    lines.push("");
    lines.push(`/** What an invocation of ${commentText(w.workflowId)} carries: its inputs, the secret ones optional (the worker may hold them). */`);
    if (w.secretInputs.length === 0) lines.push(`export type ${typeName} = ${w.inputsTypeName};`);
    else {
      const keys = w.secretInputs.map(stringLiteral).join(" | ");
      lines.push(`export type ${typeName} = Omit<${w.inputsTypeName}, ${keys}> & Partial<Pick<${w.inputsTypeName}, ${keys}>>;`);
    }
  }

  lines.push("");
  lines.push("/**");
  lines.push(" * The Restate workflows of this module, one per Arazzo workflow: service name = workflowId, handler `run`.");
  lines.push(" * Each request is journaled and each wait is a durable timer; `options` are the worker's.");
  if (messageSources.length > 0) lines.push(" * Each message sent and each message received is journaled too; the transports are the worker's.");
  lines.push(" * Serve them with restate.serve({ services: Object.values(restateWorkflows(options)) }).");
  lines.push(" */");
  if (messageSources.length === 0) lines.push(`export function restateWorkflows(options: RestateWorkflowsOptions<WorkerSecrets> = {}) {`);
  else {
    const transports = messageSources.map((source) => `${typeMemberName(source)}: MessageTransport`).join("; ");
    lines.push(`export function restateWorkflows(options: RestateWorkflowsOptions<WorkerSecrets> & { transports: { ${transports} } }) {`);
  }
  lines.push("  return {");
  for (const w of module.workflows) {
    const outputs = w.outputsTypeName ?? `Awaited<ReturnType<typeof ${w.functionName}>>`;
    if (w.summary !== undefined) lines.push(`    /** ${commentText(w.summary).replace(/\n/g, " ")} */`);
    lines.push(`    ${propertyName(w.functionName)}: restate.workflow({`);
    lines.push(`      name: ${stringLiteral(w.workflowId)},`);
    lines.push("      handlers: {");
    lines.push(`        run: (ctx: restate.WorkflowContext, inputs: ${invocationTypes.get(w)}): Promise<${outputs}> =>`);
    // The function's options type requires its transports; runDurably hands on the worker's, typed as optional.
    const run = w.messageSources.length === 0 ? w.functionName : `(${runInputs}: ${w.inputsTypeName}, ${runOptions}) => ${w.functionName}(${runInputs}, { ...${runOptions}, transports: options.transports })`;
    lines.push(`          runDurably(ctx, inputs, ${literalPaths(w.secretPaths ?? w.secretInputs)}, options, ${run}),`);
    lines.push("      },");
    lines.push("    }),");
  }
  lines.push("  };");
  lines.push("}");
  const formatted = await format(lines.join("\n") + "\n", { ...style.prettier, parser: "babel-ts" });
  return header(module.sourcePath) + style.banner.map((line) => `${line}\n`).join("") + formatted;
}
