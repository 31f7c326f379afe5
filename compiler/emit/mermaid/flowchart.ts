// The Mermaid target: each workflow's control-flow graph as a flowchart, read from the IR alone.
//
//   nodes    a step: its id, its operation (`operationId: METHOD /path`) or the workflow it calls, and its
//            success criteria; start, end and failure terminals; workflows a transfer or a retry runs; the
//            workflows of dependsOn, chained before the start.
//   edges    in the IR's order (first match wins): success exits solid, failure exits dotted and red, poll
//            loops (back-edges) thick through a `wait` node; each labelled with its action's name and criteria,
//            a default after conditional exits as "otherwise", a retry with its limit and wait.
//
// Every string from a document goes through escape.ts; node ids come from the naming pass (names.ts).
import type { ModuleIr, StepIr, TargetIr, WorkflowIr, ExitIr } from "../../ir/program.js";
import type { WorkflowRef } from "../../ir/expressions.js";
import { printCriteria } from "../text/criteria.js";
import { commentText, label } from "./escape.js";
import { NodeIds } from "./names.js";

const CLASS_DEFS = [
  "classDef terminal fill:#eef2ff,stroke:#4f5b93",
  "classDef success fill:#e3f6e5,stroke:#2e7d32",
  "classDef failure fill:#fdecea,stroke:#c62828",
  "classDef external fill:#fff8e1,stroke:#a67c00",
  "classDef wait fill:#f3e5f5,stroke:#7b1fa2",
  "classDef unreachable fill:#f4f4f4,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575",
];
const FAILURE_EDGE_STYLE = "stroke:#c62828";

/** `$sourceDescriptions.<source>.<workflowId>` for another document's workflow, else its id. */
export function workflowName(ref: WorkflowRef): string {
  return ref.source === undefined ? ref.workflowId : `$sourceDescriptions.${ref.source}.${ref.workflowId}`;
}

/** What a step does, one line: `getJob: GET /w/{workspace}/jobs_u/get/{id}`, or `workflow: login`. */
export function stepCallText(step: StepIr): string {
  const call = step.call;
  if (call.kind === "workflow") return `workflow: ${workflowName(call.workflow)}`;
  if (call.kind === "message") {
    const where = call.channel.address ?? call.channel.key;
    const what = `${call.action} ${call.action === "send" ? "to" : "from"} ${where}`;
    return call.channel.operation === undefined ? what : `${call.channel.operation}: ${what}`;
  }
  const request = `${call.method} ${call.path}`;
  return call.operationId === undefined ? request : `${call.operationId}: ${request}`;
}

/** A retry's budget and wait: `retry: at most 3 times, after 5 s`. */
export function retryText(target: Extract<TargetIr, { kind: "retry" }>): string {
  const times = target.limit === 1 ? "once" : `at most ${target.limit} times`;
  return `retry ${times}${target.afterSeconds !== undefined ? `, after ${target.afterSeconds} s` : ""}`;
}

/** The lines of a chart being built, with the edge count that Mermaid's linkStyle indexes by. */
class Chart {
  readonly lines: string[] = [];
  readonly classes = new Map<string, string[]>();
  readonly failureEdges: number[] = [];
  private edges = 0;

  node(indent: string, text: string): void {
    this.lines.push(indent + text);
  }

  edge(indent: string, from: string, arrow: "-->" | "-.->" | "==>", to: string, text: readonly string[], failure: boolean): void {
    const labelled = text.length > 0 ? `${arrow}|${label(text)}|` : arrow;
    this.lines.push(`${indent}${from} ${labelled} ${to}`);
    if (failure) this.failureEdges.push(this.edges);
    this.edges++;
  }

  classify(className: string, id: string): void {
    const ids = this.classes.get(className) ?? [];
    ids.push(id);
    this.classes.set(className, ids);
  }

  /** Styles after the graph: class assignments, then edge colours (by index, as Mermaid requires). */
  finish(indent: string): string {
    const styles = [...CLASS_DEFS];
    for (const className of ["terminal", "success", "failure", "external", "wait", "unreachable"]) {
      const ids = this.classes.get(className);
      if (ids && ids.length > 0) styles.push(`class ${ids.join(",")} ${className}`);
    }
    if (this.failureEdges.length > 0) styles.push(`linkStyle ${this.failureEdges.join(",")} ${FAILURE_EDGE_STYLE}`);
    return [...this.lines, ...styles.map((s) => indent + s)].join("\n") + "\n";
  }
}

/** Draws one workflow into a chart; `ids` scopes its node ids. */
function drawWorkflow(chart: Chart, workflow: WorkflowIr, ids: NodeIds, indent: string): void {
  const start = ids.id("wf", "start");
  const end = ids.id("wf", "end");
  const fail = ids.id("wf", "fail");
  const stepIds = new Map(workflow.steps.map((s) => [s.id, ids.id("s", s.id)]));
  const reachable = new Set(workflow.flow.reachable);
  const stepNode = (stepId: string): string => stepIds.get(stepId) ?? ids.id("s", stepId);

  // Nodes first, in document order, so the layout follows the document.
  const dependencies = workflow.dependsOn.map((ref) => ids.id("d", workflowName(ref)));
  workflow.dependsOn.forEach((ref, i) => {
    chart.node(indent, `${dependencies[i]}[[${label(["depends on", workflowName(ref)])}]]`);
    chart.classify("external", dependencies[i]!);
  });
  chart.node(indent, `${start}([${label(["start"])}])`);
  chart.classify("terminal", start);
  for (const step of workflow.steps) {
    const id = stepNode(step.id);
    const lines = [step.id, stepCallText(step)];
    if (step.successCriteria.length > 0) lines.push(`success: ${printCriteria(step.successCriteria)}`);
    // Shapes tell the kinds of step apart: a subroutine calls a workflow, a stadium sends or receives a message.
    const kind = step.call.kind;
    chart.node(
      indent,
      kind === "workflow" ? `${id}[[${label(lines)}]]` : kind === "message" ? `${id}([${label(lines)}])` : `${id}[${label(lines)}]`,
    );
    if (!reachable.has(step.id)) chart.classify("unreachable", id);
  }
  const targets = workflow.steps.flatMap((s) => [...s.onSuccess, ...s.onFailure].map((e) => e.to));
  if (targets.some((t) => t.kind === "end")) {
    chart.node(indent, `${end}([${label(["end"])}])`);
    chart.classify("success", end);
  }
  if (targets.some((t) => t.kind === "fail")) {
    chart.node(indent, `${fail}([${label(["failed"])}])`);
    chart.classify("failure", fail);
  }
  const others = new Map<string, string>();
  const otherWorkflow = (kind: "transfer" | "retry", ref: WorkflowRef): string => {
    const name = workflowName(ref);
    const id = ids.id(kind === "transfer" ? "t" : "v", name);
    if (!others.has(id)) {
      others.set(id, name);
      chart.node(indent, kind === "transfer" ? `${id}[/${label(["transfer to", name])}/]` : `${id}[[${label(["workflow", name])}]]`);
      chart.classify("external", id);
    }
    return id;
  };
  for (const target of targets) {
    if (target.kind === "transfer") otherWorkflow("transfer", target.workflow);
    else if (target.kind === "retry" && target.via?.kind === "workflow") otherWorkflow("retry", target.via.workflow);
  }
  const waits = new Set<string>();
  const waitNode = (from: string, to: string): string => {
    const id = ids.id("p", `${from}\u0000${to}`);
    if (!waits.has(id)) {
      waits.add(id);
      chart.node(indent, `${id}((${label(["wait"])}))`);
      chart.classify("wait", id);
    }
    return id;
  };
  for (const step of workflow.steps)
    for (const exit of [...step.onSuccess, ...step.onFailure]) if (exit.to.kind === "step" && exit.to.loop) waitNode(step.id, exit.to.step);

  // Edges: dependencies in order, the entry, then each step's exits in the order they are tried.
  [...dependencies, start].forEach((id, i, chain) => {
    if (i > 0) chart.edge(indent, chain[i - 1]!, "-->", id, [], false);
  });
  chart.edge(indent, start, "-->", stepNode(workflow.entry), [], false);
  const backEdges = new Set<string>();
  for (const step of workflow.steps) {
    const from = stepNode(step.id);
    for (const outcome of ["success", "failure"] as const) {
      const exits = outcome === "success" ? step.onSuccess : step.onFailure;
      exits.forEach((exit, i) => {
        const failure = outcome === "failure";
        const text = exitText(exit, i > 0);
        const to = exit.to;
        switch (to.kind) {
          case "step":
            if (to.loop) {
              // The wait of a poll loop is a node of its own on the back-edge: that is where the generated
              // code waits, and it gives the loop room in the layout (labels on a self-loop overlap).
              const wait = waitNode(step.id, to.step);
              chart.edge(indent, from, "==>", wait, text, failure);
              chart.edge(indent, wait, "==>", stepNode(to.step), ["poll again"], false);
            } else chart.edge(indent, from, failure ? "-.->" : "-->", stepNode(to.step), text, failure);
            break;
          case "end":
            chart.edge(indent, from, failure ? "-.->" : "-->", end, text, failure);
            break;
          case "fail":
            chart.edge(indent, from, failure ? "-.->" : "-->", fail, text, failure);
            break;
          case "transfer":
            chart.edge(indent, from, failure ? "-.->" : "-->", otherWorkflow("transfer", to.workflow), text, failure);
            break;
          case "retry": {
            const lines = [...text, retryText(to)];
            const via =
              to.via === undefined ? undefined : to.via.kind === "step" ? stepNode(to.via.step) : otherWorkflow("retry", to.via.workflow);
            if (via === undefined) {
              chart.edge(indent, from, "-.->", from, lines, failure);
              break;
            }
            chart.edge(indent, from, "-.->", via, [...lines, "runs this first"], failure);
            // Control comes back to the retrying step after the detour, whatever its outcome.
            const back = `${via}\u0000${from}`;
            if (!backEdges.has(back)) {
              backEdges.add(back);
              chart.edge(indent, via, "-.->", from, [`back to ${step.id}`], false);
            }
            break;
          }
        }
      });
    }
  }
}

/**
 * An exit's label: the action's name and its criteria; a default that follows other exits is "otherwise"
 * (the only exit, the usual next step or the failure, needs no words).
 */
function exitText(exit: ExitIr, afterOthers: boolean): string[] {
  const lines: string[] = [];
  if (exit.action !== undefined) lines.push(exit.action);
  if (exit.when.length > 0) lines.push(printCriteria(exit.when));
  if (lines.length === 0 && afterOthers) lines.push("otherwise");
  return lines;
}

/** One workflow as a Mermaid flowchart (top to bottom). */
export function workflowFlowchart(workflow: WorkflowIr): string {
  const chart = new Chart();
  chart.node("", "flowchart TD");
  drawWorkflow(chart, workflow, new NodeIds(), "  ");
  return chart.finish("  ");
}

/**
 * A document's workflows in one flowchart (a `.mmd` file holds one diagram): one subgraph per workflow with
 * node ids scoped per workflow (`w1_s_runScript`), in document order; a single workflow without subgraph.
 */
export function moduleFlowchart(module: ModuleIr): string {
  const chart = new Chart();
  chart.node("", `%% ${commentText(module.sourcePath)}: ${commentText(module.title)}`);
  chart.node("", "%% Generated by arazzoc graph; edit the Arazzo document instead.");
  chart.node("", "flowchart TD");
  // A document of one workflow (the usual case) is drawn as the workflow alone: subgraphs lay out worse.
  if (module.workflows.length === 1) {
    drawWorkflow(chart, module.workflows[0]!, new NodeIds(), "  ");
    return chart.finish("  ");
  }
  const subgraphs = new NodeIds();
  module.workflows.forEach((workflow, i) => {
    const id = subgraphs.id("w", workflow.id);
    chart.node("  ", `subgraph ${id}[${label([workflow.id])}]`);
    chart.node("    ", "direction TB");
    drawWorkflow(chart, workflow, new NodeIds(`w${i + 1}_`), "    ");
    chart.node("  ", "end");
  });
  return chart.finish("  ");
}
