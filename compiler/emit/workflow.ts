// One workflow as a TypeScript function: a state machine over the steps (`for (;;) switch (step)`), each
// step a commented block that sends its request, records its outputs, checks its criteria and picks the
// next step. Loops made by goto wait in `run.enter`, which also enforces maxSteps, timeouts and aborts.
import { valueRefs, type Action, type WorkflowRef } from "../check/model.js";
import type { StepIr, WorkflowIr, WorkflowLink } from "../ir/legacy.js";
import { UNKNOWN, withUndefined, type TypeIr } from "../ir/types.js";
import { commentText, memberAccess, propertyName, stringLiteral, typeMemberName } from "./escape.js";
import { emitCondition, emitValue, isPlainReadable, literal, pathKey, typedRef, type CriterionContext } from "./expressions.js";
import type { InputCheckEmitter } from "./input-check.js";
import { jsDoc, printType } from "./types.js";

export interface EmittedWorkflow {
  /** Declarations: types, constants and the exported function, in order. */
  readonly code: string;
}

interface PatternTable {
  add(source: string): string;
}

/** A nested object type describing only the paths a step reads from its response body. */
function bodyView(step: StepIr): { type: string; paths: Set<string> } | undefined {
  type Node = { children: Map<string, Node>; leaf?: TypeIr };
  const root: Node = { children: new Map() };
  const paths = new Set<string>();
  const sorted = [...step.bodyReads].sort((a, b) => a.path.length - b.path.length || pathKey(a.path).localeCompare(pathKey(b.path)));
  for (const read of sorted) {
    // Numeric tokens go through valueAt: a JSON pointer's /0 means an array element or a member named
    // "0", never a character of a string, which a plain `?.[0]` would read.
    if (!read.path.every((token) => isPlainReadable(token) && !/^\d+$/.test(token))) continue;
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
  const print = (node: Node, indent: string): string => {
    if (node.leaf !== undefined) return printType(node.leaf, indent);
    const inner = indent + "  ";
    const members = [...node.children].map(([name, child]) => `${inner}${typeMemberName(name)}: ${print(child, inner)};`);
    return `{\n${members.join("\n")}\n${indent}}`;
  };
  return { type: print(root, "      "), paths };
}

/** How the module reaches a workflow it calls or depends on (its own, or imported). */
export type WorkflowLookup = (ref: WorkflowRef) => WorkflowLink;

export function emitWorkflow(
  workflow: WorkflowIr,
  patterns: PatternTable,
  inputCheck: InputCheckEmitter,
  lookup: WorkflowLookup,
): EmittedWorkflow {
  const out: string[] = [];
  const inputProperties = workflow.inputsType.kind === "object" ? workflow.inputsType.properties : [];
  // An input the schema does not require may be absent: its type says so, or a template would hand
  // `undefined` to code that expects text.
  const inputType = (name: string): TypeIr => {
    const property = inputProperties.find((p) => p.name === name);
    return property === undefined ? UNKNOWN : property.optional ? withUndefined(property.type) : property.type;
  };
  const outputTypes = new Map(workflow.steps.map((s) => [s.stepId, new Map(s.outputs.map((o) => [o.name, o.type]))]));
  const outputType = (stepId: string, name: string): TypeIr => outputTypes.get(stepId)?.get(name) ?? UNKNOWN;
  // A goto to another workflow makes that workflow's result this one's: either set of outputs.
  const resultType = [...new Set([workflow.outputsTypeName, ...workflow.alsoReturns.map((ref) => lookup(ref).outputsTypeName)])].join(
    " | ",
  );
  const returnsOthersById = new Map(workflow.dependsOn.map((ref) => [ref.workflowId, lookup(ref).returnsOthers]));
  const dependencyReturnsOthers = (id: string) => returnsOthersById.get(id) === true;

  // Types.
  out.push(
    jsDoc([`Inputs of workflow ${workflow.workflowId}.`]) +
      // An inputs schema that is not one object type (oneOf, a union, no type at all) is a type alias: an
      // interface body must be an object type. Inputs are named values, so it is at least a record (the
      // steps read its members by name).
      (workflow.inputsType.kind !== "object"
        ? `export type ${workflow.inputsTypeName} = Record<string, unknown>${workflow.inputsType.kind === "union" || workflow.inputsType.kind === "intersection" ? ` & (${printType(workflow.inputsType)})` : ""};\n`
        : `export interface ${workflow.inputsTypeName} ${inputProperties.length > 0 ? printType(workflow.inputsType) : "{}"}\n`),
  );
  const outputMembers = workflow.outputs.map((o) => `  ${typeMemberName(o.name)}${o.optional ? "?" : ""}: ${printType(o.type, "  ")};`);
  out.push(
    jsDoc([`Outputs of workflow ${workflow.workflowId}. Optional members are set only when the steps that produce them ran.`]) +
      `export interface ${workflow.outputsTypeName} {\n${outputMembers.join("\n")}\n}\n`,
  );
  const stepMembers = workflow.steps.map((s) => {
    const members = s.outputs.map((o) => `    ${typeMemberName(o.name)}: ${printType(o.type, "    ")};`);
    return `  ${typeMemberName(s.stepId)}: ${members.length > 0 ? `{\n${members.join("\n")}\n  }` : "Record<string, never>"};`;
  });
  out.push(
    jsDoc([`Outputs of each step of workflow ${workflow.workflowId}, as recorded after the step's response.`]) +
      `export interface ${workflow.stepsTypeName} {\n${stepMembers.join("\n")}\n}\n`,
  );

  // Input check.
  const checkName = workflow.checkName;
  // A workflow without an inputs schema (or with one that constrains nothing) has nothing to check.
  const checks = workflow.inputsSchema ? inputCheck.check(workflow.inputsSchema) : [];
  if (checks.length > 0) {
    out.push(
      jsDoc([`Problems of ${workflow.functionName}'s inputs against the workflow's inputs schema, each with its JSON pointer.`]) +
        `function ${checkName}(inputs: unknown): string[] {\n  const problems: string[] = [];\n${checks.map((l) => "  " + l).join("\n")}\n  return problems;\n}\n`,
    );
  }

  // The workflow's definition for the runtime, and the exported function.
  out.push(
    "/** @internal For modules of Arazzo documents that call this workflow. */\n" +
      `export const ${workflow.definitionName}: WorkflowDefinition = { workflowId: ${stringLiteral(workflow.workflowId)}, secretInputs: ${literal(workflow.secretInputs)} };\n`,
  );
  const summary = workflow.summary ?? `Runs workflow ${workflow.workflowId}.`;
  out.push(
    jsDoc([
      summary,
      workflow.description,
      `Arazzo workflow: ${workflow.workflowId}. Steps: ${workflow.steps.map((s) => s.stepId).join(", ")}.`,
    ]) +
      `export async function ${workflow.functionName}(inputs: ${workflow.inputsTypeName}, options?: WorkflowOptions): Promise<${resultType}> {\n` +
      `return ${workflow.runnerName}(WorkflowRun.start(${workflow.definitionName}, options, inputs), inputs);\n}\n`,
  );

  // The runner: dependencies, then the steps as a state machine.
  const atEnd = workflow.mustHaveRunAtEnd;
  const finishScope = { mustHaveRun: atEnd, inputType, outputType, dependencyReturnsOthers };
  const finishMembers: string[] = [];
  for (const o of workflow.outputs) {
    const value = o.value.kind === "ref" ? typedRef(o.value.ref, o.type, finishScope) : emitValue(o.value, finishScope);
    if (!o.optional) {
      finishMembers.push(`${propertyName(o.name)}: ${value}`);
      continue;
    }
    // Present only when every step it reads from ran; those steps are then known to have run.
    const needed = stepRefsOf(o.value).filter((id) => !atEnd.has(id));
    const guardedScope = { ...finishScope, narrowed: new Set(needed) };
    const guardedValue = o.value.kind === "ref" ? typedRef(o.value.ref, o.type, guardedScope) : emitValue(o.value, guardedScope);
    const guard = needed.map((id) => `${memberAccess("steps", id)} !== undefined`).join(" && ");
    finishMembers.push(`...(${guard} ? { ${propertyName(o.name)}: ${guardedValue} } : {})`);
  }

  const body: string[] = [];
  if (checks.length > 0) body.push(`run.checkInputs(${checkName}(inputs));`);
  if (workflow.dependsOn.length > 0) {
    body.push("// Workflows this one depends on, each run once per call.", "const dependencies = {");
    for (const ref of workflow.dependsOn) {
      const id = ref.workflowId;
      const depInputs = `run.inputsFor(${stringLiteral(id)})`;
      body.push(`${propertyName(id)}: await run.dependency(${stringLiteral(id)}, () => ${callRunner(lookup(ref), depInputs)}),`);
    }

    body.push("};");
  }
  body.push(`const steps: Partial<${workflow.stepsTypeName}> = {};`);
  body.push(`const finish = (): ${workflow.outputsTypeName} => ({ ${finishMembers.join(", ")} });`);
  body.push(`let step: keyof ${workflow.stepsTypeName} = ${stringLiteral(workflow.steps[0]!.stepId)};`);
  body.push("for (;;) {", "await run.enter(step);", "switch (step) {");
  for (const step of workflow.steps)
    body.push(...emitStep(step, workflow, { inputType, outputType, dependencyReturnsOthers }, patterns, lookup));
  body.push("}", "}");
  // Unused inputs are named so that projects with noUnusedParameters accept the module.
  const inputsParameter = body.some((line) => /\binputs\b/.test(line)) ? "inputs" : "_inputs";
  out.push(
    jsDoc([`Runs workflow ${workflow.workflowId} within a run (its own call, or a calling workflow's).`, "@internal"]) +
      `export async function ${workflow.runnerName}(run: WorkflowRun, ${inputsParameter}: ${workflow.inputsTypeName}): Promise<${resultType}> {\n${body.join("\n")}\n}\n`,
  );
  return { code: out.join("\n") };
}

function stepRefsOf(value: WorkflowIr["outputs"][number]["value"]): string[] {
  return valueRefs(value).flatMap((ref) => (ref.kind === "stepOutput" ? [ref.stepId] : []));
}

/** `xInRun(run.child(xWorkflow, inputs), inputs as XInputs)`: a call of another workflow's runner. */
function callRunner(target: WorkflowLink, inputs: string): string {
  return `${target.runnerName}(run.child(${target.definitionName}, ${inputs}), ${inputs} as ${target.inputsTypeName})`;
}

function emitStep(
  step: StepIr,
  workflow: WorkflowIr,
  types: Pick<CriterionContext, "inputType" | "outputType" | "dependencyReturnsOthers">,
  patterns: PatternTable,
  lookup: WorkflowLookup,
): string[] {
  const lines: string[] = [];
  const id = stringLiteral(step.stepId);
  const before = { mustHaveRun: step.mustHaveRun, ...types };
  const view = bodyView(step);
  const target = step.target;
  const after: CriterionContext = {
    mustHaveRun: step.mustHaveRun,
    ...(target.kind === "operation" ? { response: { bodyPaths: view?.paths ?? new Set<string>() } } : {}),
    ...(target.kind === "workflow" && lookup(target.workflow).returnsOthers ? { callReturnsOthers: true } : {}),
    ...types,
    pattern: (source) => patterns.add(source),
  };

  lines.push(`case ${id}: {`);
  let failed: (action?: string) => string;
  let errorTest: string;
  let stepDone: (outcome: string) => string;
  if (target.kind === "operation") {
    const operation =
      target.operationId !== undefined ? `${target.operationId}: ${target.method} ${target.path}` : `${target.method} ${target.path}`;
    lines.push(jsDoc([step.description, operation]).trimEnd());
    const request: string[] = [`source: ${stringLiteral(target.source)}`];
    if (target.server !== undefined) {
      request.push(`server: ${stringLiteral(target.server.url)}`);
      if (Object.keys(target.server.variables).length > 0) request.push(`serverVariables: ${literal(target.server.variables)}`);
    }
    request.push(`method: ${stringLiteral(target.method)}`, `path: ${stringLiteral(target.path)}`);
    const parameters = target.parameters.map((p) => {
      const fields = [`in: ${stringLiteral(p.in)}`, `name: ${stringLiteral(p.name)}`, `value: ${emitValue(p.value, before)}`];
      if (p.style !== undefined) fields.push(`style: ${stringLiteral(p.style)}`);
      if (p.explode !== undefined) fields.push(`explode: ${p.explode}`);
      if (p.allowReserved !== undefined) fields.push(`allowReserved: ${p.allowReserved}`);
      if (p.contentType !== undefined) fields.push(`contentType: ${stringLiteral(p.contentType)}`);
      return `{ ${fields.join(", ")} }`;
    });
    request.push(`parameters: [${parameters.join(", ")}]`);
    if (target.body)
      request.push(`body: { contentType: ${stringLiteral(target.body.contentType)}, value: ${emitValue(target.body.value, before)} }`);
    lines.push(`const response = await run.send(${id}, { ${request.join(", ")} });`);
    if (view) lines.push(`const body = response.body as ${view.type};`);
    failed = (action) => `run.failed(${id}, response${action !== undefined ? `, ${stringLiteral(action)}` : ""})`;
    errorTest = "response.error !== undefined";
    stepDone = (outcome) => `await run.stepDone(${id}, "${outcome}", response);`;
  } else {
    const called = lookup(target.workflow);
    const name =
      target.workflow.source !== undefined
        ? `${target.workflow.workflowId} of source ${target.workflow.source}`
        : target.workflow.workflowId;
    lines.push(jsDoc([step.description, `Calls workflow ${name}.`]).trimEnd());
    const inputs = target.inputs.map(([name, value]) => `${propertyName(name)}: ${emitValue(value, before)}`);
    lines.push(`const callInputs = { ${inputs.join(", ")} };`);
    lines.push(`const call = await run.call(${id}, () => ${callRunner(called, "callInputs")});`);
    failed = (action) => `run.failedCall(${id}, call.error${action !== undefined ? `, ${stringLiteral(action)}` : ""})`;
    errorTest = "call.error !== undefined";
    stepDone = (outcome) => `await run.stepDone(${id}, "${outcome}");`;
  }

  const outputs = step.outputs.map(
    (o) => `${propertyName(o.name)}: ${o.value.kind === "ref" ? typedRef(o.value.ref, o.type, after) : emitValue(o.value, after)}`,
  );
  lines.push(`${memberAccess("steps", step.stepId)} = { ${outputs.join(", ")} };`);
  if (step.isRetryDetour) {
    // Run first by another step's retry action: go back to that step, whatever happened here.
    lines.push(
      `const back = run.returnFrom<keyof ${workflow.stepsTypeName}>(${id});`,
      "if (back !== undefined) {",
      "step = back;",
      "continue;",
      "}",
    );
  }

  const criteria = step.successCriteria.map((c) => emitCondition(c, after));
  lines.push(`if (${[errorTest, ...(criteria.length > 0 ? [`!(${criteria.join(" && ")})`] : [])].join(" || ")}) {`);
  lines.push(stepDone("failure"));
  lines.push(...emitActions(step, step.onFailure, after, "failure", failed, lookup));
  lines.push("}");
  lines.push(stepDone("success"));
  lines.push(...emitActions(step, step.onSuccess, after, "success", failed, lookup));
  lines.push("}");
  return lines;
}

/**
 * An action list: the first action whose criteria hold runs. A retry runs while its budget lasts, then
 * the later actions are tried. Without a matching action, success continues and failure stops the run.
 */
function emitActions(
  step: StepIr,
  actions: readonly Action[],
  scope: CriterionContext,
  outcome: "success" | "failure",
  failed: (action?: string) => string,
  lookup: WorkflowLookup,
): string[] {
  const lines: string[] = [];
  const id = stringLiteral(step.stepId);
  const act = (action: Action): string[] => {
    const comment = `// ${commentText(action.name).replace(/\n/g, " ")}`;
    switch (action.kind) {
      case "goto":
        return [comment, `step = ${stringLiteral(action.stepId)};`, "continue;"];
      case "end":
        return outcome === "success" ? [comment, "return finish();"] : [comment, `throw ${failed(action.name)};`];
      case "gotoWorkflow": {
        // One-way: the other workflow's result (outputs or failure) is this workflow's result.
        const inputs = `run.inputsFor(${stringLiteral(action.workflow.workflowId)})`;
        return [comment, `return ${callRunner(lookup(action.workflow), inputs)};`];
      }
      case "retry": {
        const response = step.target.kind === "operation" ? ", response" : "";
        const after = action.retryAfter !== undefined ? String(action.retryAfter) : "undefined";
        const detour =
          action.stepId !== undefined
            ? [`run.returnAfter(${stringLiteral(action.stepId)}, ${id});`, `step = ${stringLiteral(action.stepId)};`, "continue;"]
            : action.workflow !== undefined
              ? [
                  `await run.call(${id}, () => ${callRunner(lookup(action.workflow), `run.inputsFor(${stringLiteral(action.workflow.workflowId)})`)});`,
                  `step = ${id};`,
                  "continue;",
                ]
              : [`step = ${id};`, "continue;"];
        return [
          comment,
          `if (run.retry(${id}, ${stringLiteral(action.name)}, ${action.retryLimit}, ${after}${response})) {`,
          ...detour,
          "}",
        ];
      }
    }
  };
  for (const action of actions) {
    if (action.criteria.length === 0) {
      lines.push(...act(action));
      if (action.kind !== "retry") return lines; // unconditional: nothing after it runs
      continue;
    }
    lines.push(`if (${action.criteria.map((c) => emitCondition(c, scope)).join(" && ")}) {`, ...act(action), "}");
  }
  if (outcome === "failure") lines.push(`throw ${failed()};`);
  else if (step.next === null) lines.push("return finish();");
  else lines.push(`step = ${stringLiteral(step.next)};`, "continue;");
  return lines;
}
