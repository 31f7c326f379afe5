// Arazzo 1.1 documents: the version selects the schema set and the expression grammar; 1.1 constructs in a
// 1.0 document are named as such (AZC2010); constructs validated but not compiled yet are refused (AZC4006),
// never compiled half right.
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { parseRuntimeExpression } from "../compiler/expressions/runtime-expression.js";
import { parseWithPositions } from "../compiler/load/yaml.js";
import { validateArazzo } from "../compiler/schema/validate.js";

function validate(text: string) {
  const { file } = parseWithPositions("/doc.yaml", "doc.yaml", text);
  if (!file) throw new Error("fixture text does not parse");
  return validateArazzo(file);
}

const HEAD = (version: string) => `arazzo: ${version}
info: { title: t, version: 1.0.0 }
sourceDescriptions:
  - { name: api, url: ./api.yaml, type: openapi }
  - { name: events, url: ./events.yaml, type: asyncapi }
`;

const ASYNC_STEPS = `workflows:
  - workflowId: w
    steps:
      - stepId: send
        operationId: $sourceDescriptions.events.placeOrder
        action: send
        timeout: 1000
      - stepId: wait
        channelPath: "{$sourceDescriptions.events.url}#/channels/confirm"
        action: receive
        correlationId: "{$inputs.id}"
        dependsOn: [send]
        outputs:
          orderId: { context: $message.payload, selector: /orderId, type: jsonpointer }
`;

describe("the arazzo version selects the schemas", () => {
  it("a 1.1.0 document with message steps, dependsOn and a Selector validates as 1.1", () => {
    const result = validate(HEAD("1.1.0") + ASYNC_STEPS);
    expect(result.diagnostics).toEqual([]);
    expect(result.version).toBe("1.1");
    const step = result.document!.workflows[0]!.steps[1]!;
    expect(step.action).toBe("receive");
    expect(step.dependsOn).toEqual(["send"]);
    expect(step.outputs?.["orderId"]).toEqual({ context: "$message.payload", selector: "/orderId", type: "jsonpointer" });
  });

  it("the same constructs in a 1.0.1 document: each needs arazzo: 1.1.0 (AZC2010), nothing else is said", () => {
    const result = validate(HEAD("1.0.1") + ASYNC_STEPS);
    expect(result.document).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ["AZC2010", "/sourceDescriptions/1/type"],
      ["AZC2010", "/workflows/0/steps/0/action"],
      ["AZC2010", "/workflows/0/steps/0/timeout"],
      ["AZC2010", "/workflows/0/steps/1/channelPath"],
      ["AZC2010", "/workflows/0/steps/1/action"],
      ["AZC2010", "/workflows/0/steps/1/correlationId"],
      ["AZC2010", "/workflows/0/steps/1/dependsOn"],
      ["AZC2010", "/workflows/0/steps/1/outputs/orderId"],
    ]);
    expect(result.diagnostics[0]!.message).toBe("type: asyncapi needs arazzo: 1.1.0; this document declares arazzo: 1.0.1");
  });

  it("a 1.0 document keeps its 1.0 reading: an object parameter value is a literal, not a Selector", () => {
    const result = validate(`arazzo: 1.0.1
info: { title: t, version: 1.0.0 }
sourceDescriptions: [{ name: api, url: ./api.yaml }]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        parameters:
          - { name: filter, in: query, value: { selector: not-a-selector } }
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.version).toBe("1.0");
  });

  it("$self with a fragment is refused; a 1.1 Expression Type version is accepted in 1.1 only", () => {
    const self = validate(`${HEAD("1.1.0")}$self: https://example.com/a.arazzo.yaml#/workflows
workflows: [{ workflowId: w, steps: [{ stepId: s, operationId: op }] }]
`);
    expect(self.diagnostics.map((d) => [d.code, d.pointer])).toEqual([["AZC2001", "/$self"]]);
    const criterion = (version: string) =>
      validate(`${HEAD(version)}workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        successCriteria:
          - { context: $response.body, condition: "$[?@.ok]", type: { type: jsonpath, version: rfc9535 } }
`);
    expect(criterion("1.1.0").diagnostics).toEqual([]);
    expect(criterion("1.0.1").diagnostics.map((d) => d.message)).toEqual([
      "type: asyncapi needs arazzo: 1.1.0; this document declares arazzo: 1.0.1",
      "version: rfc9535 needs arazzo: 1.1.0; this document declares arazzo: 1.0.1",
    ]);
  });
});

describe("the 1.1 runtime-expression grammar", () => {
  const ok = (text: string, version: "1.0" | "1.1" = "1.1") => {
    const parsed = parseRuntimeExpression(text, version);
    if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
    return parsed.value;
  };
  const reason = (text: string, version: "1.0" | "1.1" = "1.1") => {
    const parsed = parseRuntimeExpression(text, version);
    if (parsed.ok) throw new Error(`${text} parsed`);
    return parsed.reason;
  };

  it("reads $message headers and payloads, and $self", () => {
    expect(ok("$message.header.orderRequestId")).toEqual({ kind: "message", part: "header", name: "orderRequestId" });
    expect(ok("$message.payload#/order/id")).toEqual({ kind: "message", part: "payload", pointer: ["order", "id"], navigation: "" });
    expect(ok("$message.payload")).toEqual({ kind: "message", part: "payload", navigation: "" });
    expect(ok("$self")).toEqual({ kind: "self" });
  });

  it("a 1.0 document has neither $message nor $self", () => {
    expect(reason("$message.payload", "1.0")).toMatch(/needs arazzo: 1\.1\.0/);
    expect(reason("$self", "1.0")).toMatch(/needs arazzo: 1\.1\.0/);
  });

  it("braces are no part of a 1.1 expression (they are in 1.0)", () => {
    expect(reason("$response.body#/a{b}")).toMatch(/no \{ or \}/);
    expect(ok("$response.body#/a{b}", "1.0")).toMatchObject({ kind: "response", part: "body", pointer: ["a{b}"] });
  });

  it("$steps needs .outputs.<name>; $workflows names inputs or outputs; $workflows.<id>.steps is for dependsOn", () => {
    expect(reason("$steps.previous.outputs")).toMatch(/\$steps\.previous\.outputs\.<name>/);
    expect(ok("$steps.previous.outputs", "1.0")).toMatchObject({ kind: "steps", id: "previous", rest: "" });
    expect(ok("$workflows.w.inputs.token")).toMatchObject({ kind: "workflows", field: "inputs", rest: "token" });
    expect(reason("$workflows.producer.steps.wait.outputs.userId")).toMatch(/only in dependsOn.*\$workflows\.producer\.outputs/);
  });

  it("$components names parameters, successActions or failureActions only", () => {
    expect(ok("$components.parameters.page")).toEqual({ kind: "components", rest: "parameters.page" });
    expect(reason("$components.inputs.pagination")).toMatch(/JSON Schema \$ref/);
    expect(ok("$components.inputs.pagination", "1.0")).toEqual({ kind: "components", rest: "inputs.pagination" });
  });

  it("each root has only its own sources (decision A-31)", () => {
    expect(reason("$response.query.page")).toMatch(/header and body/);
    expect(reason("$request.payload")).toMatch(/header\.<name>, query\.<name>, path\.<name> or body/);
    expect(reason("$message.body")).toMatch(/header\.<name> or payload/);
  });
});

describe("compiling 1.1 documents", () => {
  it("a 1.0 document declared 1.1.0 compiles without a diagnostic", async () => {
    const result = await compile({ inputs: ["fixtures/cases/v11/run-script.arazzo.yaml"], root: "fixtures", emit: false });
    expect(result.diagnostics).toEqual([]);
  });

  it("a step timeout is compiled: it bounds the step's request, in place of requestTimeoutMs", async () => {
    const result = await compile({ inputs: ["fixtures/cases/v11/step-timeout.arazzo.yaml"], root: "fixtures" });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.get("step-timeout.arazzo.ts")).toContain("timeoutMs: 30000");
  });
});
