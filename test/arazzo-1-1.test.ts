// Arazzo 1.1 documents: the version selects the schema set and the expression grammar; 1.1 constructs in a
// 1.0 document are named as such (AZC2010).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { parseRuntimeExpression } from "../compiler/expressions/runtime-expression.js";
import { parseWithPositions } from "../compiler/load/yaml.js";
import { looksLikeSelector } from "../compiler/schema/arazzo.js";
import { validateArazzo } from "../compiler/schema/validate.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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
  it("a step timeout of 0 or less is refused, though the 1.1 schema sets no bound (decision A-8)", () => {
    const result = validate(`${HEAD("1.1.0")}workflows:
  - workflowId: w
    steps:
      - { stepId: s, operationId: op, timeout: 0 }
`);
    expect(result.diagnostics.map((d) => [d.code, d.pointer, d.message])).toEqual([
      ["AZC2001", "/workflows/0/steps/0/timeout", "'timeout': must be more than 0 milliseconds"],
    ]);
  });
});

describe("Selector Object or object literal (decision A-13)", () => {
  it("an object with selector and another Selector key is a Selector and must be a valid one; others are literals", () => {
    expect(looksLikeSelector({ context: "$response.body", selector: "/id", type: "jsonpointer" })).toBe(true);
    expect(looksLikeSelector({ expression: "$response.body", selector: "/id" })).toBe(true);
    expect(looksLikeSelector({ selector: "/id" })).toBe(false);
    expect(looksLikeSelector({ context: "$response.body", selector: "/id", type: "jsonpointer", other: 1 })).toBe(false);
    expect(looksLikeSelector({ context: "$response.body", selector: "/id", type: "jsonpointer", "x-note": 1 })).toBe(true);
    const result = validate(`${HEAD("1.1.0")}workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: op
        parameters:
          - { name: id, in: query, value: { context: $inputs.pet, selector: /id } }
`);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["AZC2003", "Missing required field 'type' in Selector"]]);
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

describe("base URI and identity (Arazzo 1.1)", () => {
  const IDENTITY = "fixtures/cases/v11/identity";
  const SPECS = { "https://api.example.com/specs/": `${IDENTITY}/specs` };

  it("a relative source url resolves against an absolute $self, not against where the file is", async () => {
    const result = await compile({ inputs: [`${IDENTITY}/workflows/purchase.arazzo.yaml`], root: "fixtures", emit: false });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AZC1009", "Remote source 'https://api.example.com/specs/petstore.yaml' is not read"],
    ]);
  });

  it("--source maps a URI prefix to a local folder", async () => {
    const result = await compile({ inputs: [`${IDENTITY}/workflows/purchase.arazzo.yaml`], root: "fixtures", emit: false, sources: SPECS });
    expect(result.diagnostics).toEqual([]);
  });

  it("an arazzo source resolves by the $self of a document compiled with it, and $self is a constant of the code", async () => {
    const result = await compile({ inputs: [`${IDENTITY}/workflows`], root: "fixtures", sources: SPECS });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.get("checkout.arazzo.ts")).toContain('from "./purchase.arazzo.js"');
    expect(result.files.get("purchase.arazzo.ts")).toContain('document: "https://api.example.com/workflows/purchase.arazzo.yaml"');
  });

  it("without the document that declares the identity, the identity is a URL to read, not a file next door", async () => {
    const result = await compile({ inputs: [`${IDENTITY}/workflows/checkout.arazzo.yaml`], root: "fixtures", emit: false });
    const source = result.diagnostics.filter((d) => d.pointer === "/sourceDescriptions/0/url");
    expect(source.map((d) => [d.code, d.message])).toEqual([
      ["AZC1009", "Remote source 'https://api.example.com/workflows/purchase.arazzo.yaml' is not read"],
    ]);
  });

  it("documents reached through arazzo sources are parsed before references resolve, so their identities count", async () => {
    // entry names checkout and purchase by location; checkout names purchase by identity only.
    const result = await compile({ inputs: [`${IDENTITY}/entry.arazzo.yaml`], root: "fixtures", emit: false, sources: SPECS });
    expect(result.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ["AZC4101", "/sourceDescriptions/0/url"],
      ["AZC4101", "/sourceDescriptions/1/url"],
    ]);
  });

  it("a 1.0 document still resolves its sources against its own location", async () => {
    const result = await compile({
      inputs: ["fixtures/cases/diagnostics/AZC2003-info-without-version.yaml"],
      root: "fixtures",
      emit: false,
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["AZC2003"]);
  });
});

describe("input schemas reached by $anchor (Arazzo 1.1 Resolving URI Fragments)", () => {
  it("a workflow's inputs $ref names a components.inputs schema by its $anchor", async () => {
    const result = await compile({ inputs: ["fixtures/cases/v11/input-anchor.arazzo.yaml"], root: "fixtures" });
    expect(result.diagnostics).toEqual([]);
    const module = result.files.get("input-anchor.arazzo.ts") ?? "";
    expect(module).toMatch(/export interface GetPetInputs \{[^}]*petId: number;/);
  });
});

describe("documents of both versions in one compilation (decision A-1)", () => {
  it("a 1.1 document calls the workflows of a 1.0 document, and compiles to what its 1.0 form does", async () => {
    // Formatted as out/cases is, with that folder's Prettier settings.
    const result = await compile({ inputs: ["fixtures/cases/v11/checkout-1-1.arazzo.yaml"], root: "fixtures", outDir: "out/cases" });
    expect(result.diagnostics).toEqual([]);
    const body = (text: string | undefined) => (text ?? "").replace(/^(\/\/.*\n)+/, "");
    const golden = readFileSync(join(ROOT, "out/cases/checkout.arazzo.ts"), "utf8");
    expect(body(result.files.get("checkout-1-1.arazzo.ts"))).toBe(body(golden));
  });
});
