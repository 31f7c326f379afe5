// The official Arazzo 1.1 schema tests (fixtures/arazzo-1.1, verbatim copies; see its README), each compiled.
// A fail file is rejected for the reason it is written for: the table names that reason as the code (and the
// words) of the diagnostic at the place it concerns. A pass file gets only the diagnostics of the semantic
// defects it carries, which the schema cannot see (the table lists them with why). Their sources are example URLs
// and files that do not exist; what is said about reading them is left out.
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, type Diagnostic } from "../compiler/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TESTS = "fixtures/arazzo-1.1/tests/schema";

interface Reason {
  readonly code: string;
  readonly pointer: string;
  readonly message: RegExp;
}

const step = (n: number, rest = "") => `/workflows/0/steps/${n}${rest}`;

/** Each fail file: the diagnostics it gets, the first being the reason it is written for. */
const FAIL: Readonly<Record<string, readonly Reason[]>> = {
  "async-both-operationId-and-channelPath.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/channelPath"), message: /operationId and channelPath are mutually exclusive/ },
  ],
  "async-channelPath-without-action.arazzo.yaml": [
    { code: "AZC2003", pointer: step(0), message: /^Missing required field 'action' in Step$/ },
  ],
  "async-depends-on-duplicate-values.arazzo.yaml": [
    { code: "AZC2001", pointer: step(1, "/dependsOn/1"), message: /'sendEvent' is listed twice/ },
    // Its receive step has no timeout, and takes the first message of the operation it just sent on (§5.6).
    { code: "AZC4155", pointer: step(1, "/stepId"), message: /Receive step 'receiveEvent' has no timeout/ },
    { code: "AZC4164", pointer: step(1, "/stepId"), message: /can take the message step 'sendEvent' sends: .* without correlationId/ },
  ],
  "async-depends-on-empty.arazzo.yaml": [
    { code: "AZC2001", pointer: step(1, "/dependsOn"), message: /must not be empty/ },
    // Its receive step has no timeout, and takes the first message of the operation it just sent on (§5.6).
    { code: "AZC4155", pointer: step(1, "/stepId"), message: /Receive step 'receiveEvent' has no timeout/ },
    { code: "AZC4164", pointer: step(1, "/stepId"), message: /can take the message step 'sendEvent' sends: .* without correlationId/ },
  ],
  "async-depends-on-invalid-reference.arazzo.yaml": [
    { code: "AZC2001", pointer: step(1, "/dependsOn/0"), message: /must be a stepId, \$workflows\.<workflowId>\.steps\.<stepId> or/ },
    // Its receive step has no timeout, and takes the first message of the operation it just sent on (§5.6).
    { code: "AZC4155", pointer: step(1, "/stepId"), message: /Receive step 'receiveEvent' has no timeout/ },
    { code: "AZC4164", pointer: step(1, "/stepId"), message: /can take the message step 'sendEvent' sends: .* without correlationId/ },
  ],
  "channel-path-is-invalid-for-openapi.arazzo.yaml": [
    { code: "AZC2011", pointer: step(0, "/channelPath"), message: /source exampleAPI is of type openapi, not asyncapi/ },
  ],
  "invalid-arazzo-version.yaml": [{ code: "AZC2004", pointer: "/arazzo", message: /^Unsupported Arazzo version '2'$/ }],
  "invalid-async-correlation-id-non-receive-action.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/correlationId"), message: /correlationId applies only to a step with action: receive, not send/ },
  ],
  "invalid-async-parameter-without-in.arazzo.yaml": [
    { code: "AZC2003", pointer: step(0, "/parameters/0"), message: /^Missing required field 'in' in Parameter$/ },
  ],
  "invalid-async.arazzo.yaml": [{ code: "AZC2001", pointer: step(0, "/action"), message: /expected one of "send"\|"receive"/ }],
  "invalid-expression-type-object.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/outputs/brokenSelector/type/version"), message: /version of xpath must be one of xpath-31/ },
    // The file also names the Selector's context by its pre-release name.
    { code: "AZC2001", pointer: step(0, "/outputs/brokenSelector/expression"), message: /renamed 'expression'/ },
  ],
  "invalid-openapi-parameter-without-in.arazzo.yaml": [
    {
      code: "AZC2003",
      pointer: step(0, "/parameters/0"),
      message: /^Missing required field 'in' in Parameter \(the step calls an operation\)$/,
    },
  ],
  "invalid-openapi-success-criteria.arazzo.yaml": [{ code: "AZC2001", pointer: step(0, "/successCriteria"), message: />=1 items/ }],
  "invalid-querystring-without-value.arazzo.yaml": [
    { code: "AZC2003", pointer: step(0, "/parameters/0"), message: /^Missing required field 'value' in Parameter$/ },
  ],
  "invalid-selector-object.arazzo.yaml": [
    { code: "AZC2003", pointer: step(0, "/outputs/brokenOutput"), message: /^Missing required field 'type' in Selector$/ },
    { code: "AZC2001", pointer: step(0, "/outputs/brokenOutput/expression"), message: /renamed 'expression'/ },
  ],
  "invalid-self-fragment.arazzo.yaml": [{ code: "AZC2001", pointer: "/$self", message: /must not contain a fragment/ }],
  "invalid-targetSelectorType.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/requestBody/replacements/0/targetSelectorType"), message: /'jmespath' is not a selector type/ },
  ],
  "invalid-workflow-step-with-operationId.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/workflowId"), message: /operationId and workflowId are mutually exclusive/ },
  ],
  "invalid-workflow-success-criteria.arazzo.yaml": [{ code: "AZC2001", pointer: step(0, "/successCriteria"), message: />=1 items/ }],
  "not-an-object.yaml": [{ code: "AZC1005", pointer: "", message: /root is a list/ }],
  "openapi-both-operationId-and-operationPath.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/operationPath"), message: /operationId and operationPath are mutually exclusive/ },
  ],
  "openapi-duplicate-parameters.arazzo.yaml": [{ code: "AZC4010", pointer: step(0, "/parameters/1/name"), message: /'limit, query'/ }],
  "openapi-missing-operation-target.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/stepId"), message: /needs exactly one of operationId, operationPath, channelPath or workflowId/ },
  ],
  "workflow-duplicate-parameters.arazzo.yaml": [{ code: "AZC4010", pointer: step(0, "/parameters/1/name"), message: /'userId, -'/ }],
  "workflow-missing-workflowId.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/stepId"), message: /needs exactly one of operationId, operationPath, channelPath or workflowId/ },
  ],
  "workflow-step-with-action.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/action"), message: /action applies only to AsyncAPI steps .* not to a step with workflowId/ },
  ],
  "workflow-step-with-channelPath.arazzo.yaml": [
    { code: "AZC2001", pointer: step(0, "/workflowId"), message: /channelPath and workflowId are mutually exclusive/ },
    // Its only source is an OpenAPI description.
    { code: "AZC2011", pointer: step(0, "/channelPath"), message: /source userAPI is of type openapi/ },
  ],
};

/** The semantic defects of each pass file: [code, pointer, why]. A file not listed has none. */
const PASS: Readonly<Record<string, readonly (readonly [string, string, string])[]>> = {
  "bnpl-example.yaml": [
    // Dot navigation outside simple conditions: read as JSON pointers in a 1.1 document (decision A-32).
    ...Array.from({ length: 4 }, () => ["AZC3020", step(2, "/requestBody/payload"), "$inputs.customer.firstName and the like"] as const),
    ["AZC3011", step(2, "/requestBody/payload"), "the JSON template misses a comma"],
    ["AZC3020", step(3, "/requestBody/payload"), "$inputs.customer.uri"],
    ["AZC3020", step(3, "/outputs/redirectAuthToken"), "$response.body.redirectAuthToken"],
    ["AZC3020", step(3, "/outputs/loanTransactionResourceUrl"), "$response.body.links.self"],
    ["AZC4004", step(4, "/parameters/0/value"), "an output the step does not declare"],
    ["AZC3023", step(4, "/outputs/redirectUrl"), "$response.headers.Location: read as $response.header.Location"],
    ["AZC4004", step(5, "/parameters/0/value"), "an output the step does not declare"],
    ["AZC4004", step(6, "/parameters/0/value"), "an output the step does not declare"],
  ],
  "characterization-openapi-invalid-operationPath-string.arazzo.yaml": [
    ["AZC3001", step(0, "/operationPath"), "not {$sourceDescriptions.<name>.url}#/paths/…"],
  ],
  "characterization-workflow-step-with-requestBody.arazzo.yaml": [["AZC4017", step(0, "/requestBody"), "a workflow step sends no body"]],
  "criterion-with-extended-xpath.arazzo.yaml": [["AZC3008", step(0, "/successCriteria/0"), "XPath criteria are not compiled"]],
  "oauth-example.yaml": [
    ["AZC3004", step(1, "/successCriteria/1/condition"), "$.access_token != null is not an RFC 9535 query"],
    ["AZC3004", "/workflows/1/steps/0/successCriteria/1/condition", "the same"],
    ["AZC3004", "/workflows/2/steps/0/successCriteria/1/condition", "the same"],
    ["AZC3004", "/workflows/2/steps/1/successCriteria/1/condition", "the same"],
  ],
  "openapi-operation-path.arazzo.yaml": [["AZC3001", step(0, "/operationPath"), "$sourceDescriptions.userAPI#/… is not the {…url}# form"]],
  "openapi-success-criteria.arazzo.yaml": [["AZC4002", step(0, "/operationId"), "userAPI, but the source is UserAPI"]],
  "parameter-with-selector.arazzo.yaml": [
    ["AZC4005", step(0, "/parameters/0/value/context"), "the Selector's context $inputs.user, but the workflow declares no inputs"],
  ],
  "payload-replacement-using-selector.arazzo.yaml": [
    ["AZC3001", step(0, "/requestBody/replacements/0/value/context"), "$steps.previous.outputs names no output"],
  ],
  // $workflows.childWorkflow.outputs.userId in the step that calls it is readable there (it has run).
  "workflow-success-criteria.arazzo.yaml": [["AZC4002", "/workflows/1/steps/0/operationId", "userAPI, but the source is UserAPI"]],
  "async-depends-on-cross-workflow.arazzo.yaml": [
    ["AZC3020", step(1, "/outputs/userId"), "$message.payload.userId: dot navigation after payload (A-32)"],
    ["AZC3001", "/workflows/1/steps/0/parameters/0/value", "$workflows.<wf>.steps.<step>… is a dependsOn form, not a value (A-9)"],
  ],
  "async-with-channel-path.arazzo.yaml": [
    ["AZC4155", step(0, "/stepId"), "a receive step without timeout may wait for ever (A-15)"],
    ["AZC4152", step(0, "/channelPath"), "createUser is not {$sourceDescriptions.<name>.url}#/channels/…"],
  ],
  "characterization-async-invalid-channelPath-string.arazzo.yaml": [
    ["AZC4155", step(0, "/stepId"), "a receive step without timeout may wait for ever (A-15)"],
    ["AZC4152", step(0, "/channelPath"), "the same"],
  ],
  "async-correlation-id-for-receive-action.arazzo.yaml": [["AZC4155", step(0, "/stepId"), "a receive step without timeout may wait for ever (A-15)"]],
  "async-receive-without-correlation-id.arazzo.yaml": [["AZC4155", step(0, "/stepId"), "a receive step without timeout may wait for ever (A-15)"]],
  "asyncapi-success-criteria.arazzo.yaml": [
    ["AZC4155", step(0, "/stepId"), "a receive step without timeout may wait for ever (A-15)"],
    ["AZC3004", step(0, "/successCriteria/0/condition"), "$.status == 'accepted' is not an RFC 9535 query"],
  ],
  "openapi-and-asyncapi.arazzo.yaml": [
    ["AZC3020", step(0, "/parameters/0/value"), "$inputs.getUserLocation.userEmail: dot navigation (A-32)"],
    ["AZC3020", step(2, "/parameters/0/value"), "$inputs.createOrderSend.requestId: the same"],
    ["AZC4164", step(3, "/correlationId"), "createOrder both sends and receives, correlated on the request ID it sent (§5.6)"],
    ["AZC3020", step(3, "/outputs/orderId"), "$message.payload.orderId: the same, after payload"],
  ],
  "async-depends-on.arazzo.yaml": [["AZC3020", step(1, "/outputs/userId"), "$message.payload.userId: dot navigation after payload (A-32)"]],
};

/** What is said about reading the sources, which are examples that do not exist. */
function aboutSources(d: Diagnostic): boolean {
  return d.code === "AZC1009" || (d.code === "AZC1001" && d.pointer.startsWith("/sourceDescriptions/"));
}

async function diagnosticsOf(path: string): Promise<Diagnostic[]> {
  const result = await compile({ inputs: [path], root: "fixtures", cwd: ROOT, emit: false });
  return result.diagnostics.filter((d) => !aboutSources(d));
}

function files(kind: "pass" | "fail"): string[] {
  return readdirSync(join(ROOT, TESTS, kind)).sort();
}

describe("the official 1.1 schema tests", () => {
  it("are all here: 35 pass files and 27 fail files, each fail file with its reason", () => {
    expect(files("pass")).toHaveLength(35);
    expect(files("fail")).toEqual(Object.keys(FAIL).sort());
    for (const name of Object.keys(PASS)) expect(files("pass")).toContain(name);
  });

  describe("fail: rejected for the reason each is written for", () => {
    for (const name of files("fail")) {
      const reasons = FAIL[name] ?? [];
      it(`${name}: ${reasons[0]?.code ?? "?"} at #${reasons[0]?.pointer ?? "?"}`, async () => {
        const all = await diagnosticsOf(`${TESTS}/fail/${name}`);
        expect(all.some((d) => d.severity === "error")).toBe(true);
        for (const reason of reasons) {
          const hit = all.find((d) => d.code === reason.code && d.pointer === reason.pointer);
          expect(
            hit,
            `${reason.code} at ${reason.pointer}; got ${JSON.stringify(all.map((d) => [d.code, d.pointer, d.message]))}`,
          ).toBeDefined();
          expect(hit!.message).toMatch(reason.message);
        }
        expect(all).toHaveLength(reasons.length);
      });
    }
  });

  describe("pass: only the semantic defects", () => {
    for (const name of files("pass")) {
      const defects = PASS[name] ?? [];
      it(`${name}: ${defects.length === 0 ? "clean" : defects.map((d) => d[0]).join(", ")}`, async () => {
        const all = await diagnosticsOf(`${TESTS}/pass/${name}`);
        // Nothing the schema itself would reject.
        expect(all.filter((d) => /^AZC20/.test(d.code))).toEqual([]);
        expect(all.map((d) => [d.code, d.pointer])).toEqual(defects.map(([code, pointer]) => [code, pointer]));
      });
    }
  });
});
