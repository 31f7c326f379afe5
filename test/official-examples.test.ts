// The official Arazzo examples and schema tests (fixtures/arazzo-examples, verbatim copies; see its README)
// and the Windmill seeds, checked through compile(). Each known defect (reference §7) and each defect arazzoc
// finds beyond the reference is asserted by its code at the place it is written; positions are computed from
// the documents' text (the needle passed to `at`), not hard-coded. The documents without defects produce no
// diagnostic, and a copy of each defective example with its defects corrected compiles clean, which shows
// that nothing else hides behind the errors. A compiler defect found here is kept as it.fails with the
// correct expectation, saying what happens instead (there is none at present).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { compile, type Diagnostic } from "../compiler/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLES = "fixtures/arazzo-examples/examples/1.0.0";
const SCHEMA_TESTS = "fixtures/arazzo-examples/tests/v1.0";
const SUPPORT = "fixtures/arazzo-examples-support";
const WINDMILL = "fixtures/windmill/api-evangelist/arazzo";

const FAPI = `${EXAMPLES}/FAPI-PAR.arazzo.yaml`;
const LOGIN = `${EXAMPLES}/LoginAndRetrievePets.arazzo.yaml`;
const BNPL = `${EXAMPLES}/bnpl-arazzo.yaml`;
const PET_COUPONS = `${EXAMPLES}/pet-coupons.arazzo.yaml`;
const OAUTH = `${EXAMPLES}/oauth.arazzo.yaml`;
const EXTENDED = `${EXAMPLES}/ExtendedParametersExample.arazzo.yaml`;

const PETSTORE_URL = "https://raw.githubusercontent.com/swagger-api/swagger-petstore/master/src/main/resources/openapi.yaml";
const BNPL_URL = "https://raw.githubusercontent.com/OAI/Arazzo-Specification/main/examples/1.0.0/bnpl-openapi.yaml";
const PETSTORE = `${SUPPORT}/petstore.openapi.yaml`;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function text(path: string): string {
  return readFileSync(join(ROOT, path), "utf8");
}

/** Line and column (1-based) of the nth occurrence (0-based) of `needle` in the file. */
function at(path: string, needle: string, nth = 0): { line: number; column: number } {
  const all = text(path);
  let index = -1;
  for (let i = 0; i <= nth; i++) {
    index = all.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`occurrence ${nth} of ${JSON.stringify(needle)} not in ${path}`);
  }
  const before = all.slice(0, index);
  return { line: before.split("\n").length, column: index - before.lastIndexOf("\n") };
}

/** Every occurrence of `needle` in the file, as positions. */
function everywhere(path: string, needle: string): { line: number; column: number }[] {
  const count = text(path).split(needle).length - 1;
  return Array.from({ length: count }, (_, i) => at(path, needle, i));
}

interface Brief {
  code: string;
  severity: string;
  file: string;
  line?: number;
  column?: number;
}

const brief = (d: Diagnostic): Brief => ({
  code: d.code,
  severity: d.severity,
  file: d.file,
  ...(d.range ? { line: d.range.line, column: d.range.column } : {}),
});

/**
 * The diagnostic expected at the nth occurrence of `needle` in `file`; a needle [prefix, text] finds
 * prefix + text and points at text (e.g. ["name: ", "pet_id"] for the value, not `my_pet_id`).
 */
function expected(code: string, severity: "error" | "warning", file: string, needle: string | readonly [string, string], nth = 0): Brief {
  if (typeof needle === "string") return { code, severity, file, ...at(file, needle, nth) };
  const { line, column } = at(file, needle[0] + needle[1], nth);
  return { code, severity, file, line, column: column + needle[0].length };
}

const byPosition = (a: Brief, b: Brief): number =>
  a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code);

async function check(inputs: readonly string[], sources?: Record<string, string>, cwd = ROOT): Promise<Diagnostic[]> {
  return (await compile({ inputs, cwd, emit: false, ...(sources ? { sources } : {}) })).diagnostics;
}

const errors = (list: readonly Diagnostic[]): Brief[] =>
  list
    .filter((d) => d.severity === "error")
    .map(brief)
    .sort(byPosition);
const warnings = (list: readonly Diagnostic[]): Brief[] =>
  list
    .filter((d) => d.severity === "warning")
    .map(brief)
    .sort(byPosition);

function show(list: readonly Diagnostic[]): string {
  return list.map((d) => `${d.file}:${d.range?.line}:${d.range?.column} ${d.severity} ${d.code}: ${d.message}`).join("\n");
}

/**
 * A copy of some files of a folder in a temporary folder, each edit [from, to, count] applied to `name`:
 * `from` must occur exactly `count` times (1 unless said), so that an edit cannot silently miss.
 */
function patched(folder: string, files: readonly string[], name: string, edits: readonly (readonly [string, string, number?])[]): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-examples-"));
  temps.push(dir);
  for (const file of files) {
    let content = text(`${folder}/${file}`);
    if (file === name) {
      for (const [from, to, count = 1] of edits) {
        expect(content.split(from).length - 1, `occurrences of ${JSON.stringify(from)} in ${file}`).toBe(count);
        content = content.split(from).join(to);
      }
    }
    writeFileSync(join(dir, file), content);
  }
  return join(dir, name);
}

/** The documents of a folder that declare `arazzo` at the top level. */
function arazzoDocuments(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .filter((f) => /\.ya?ml$/.test(f) && /^arazzo\s*:/m.test(text(`${folder}/${f}`)))
    .map((f) => `${folder}/${f}`)
    .sort();
}

describe("the official examples", () => {
  it("every Arazzo document of examples/1.0.0 is checked by this file", () => {
    expect(arazzoDocuments(EXAMPLES)).toEqual([EXTENDED, FAPI, LOGIN, BNPL, OAUTH, PET_COUPONS].sort());
  });

  describe("FAPI-PAR", () => {
    it("references the operation PAR, which the OpenAPI calls Par: AZC4001 with the suggestion, and nothing else", async () => {
      const list = await check([FAPI]);
      expect(list.map(brief), show(list)).toEqual([expected("AZC4001", "error", FAPI, "$sourceDescriptions.auth-api.PAR")]);
      expect(list[0]!.message).toBe("Unknown operationId 'PAR'; did you mean 'Par'?");
      expect(list[0]!.fix).toContain("case-sensitive");
    });

    it("with Par, it has no diagnostic", async () => {
      const copy = patched(EXAMPLES, ["FAPI-PAR.arazzo.yaml", "FAPI-PAR.openapi.yaml"], "FAPI-PAR.arazzo.yaml", [
        ["operationId: $sourceDescriptions.auth-api.PAR", "operationId: $sourceDescriptions.auth-api.Par"],
      ]);
      expect(show(await check([copy]))).toBe("");
    });
  });

  describe("LoginAndRetrievePets", () => {
    it("names the swagger petstore by a remote URL: AZC1009 without a mapping, and nothing else", async () => {
      const list = await check([LOGIN]);
      expect(list.map(brief), show(list)).toEqual([expected("AZC1009", "error", LOGIN, PETSTORE_URL)]);
      expect(list[0]!.message).toBe(`Remote source '${PETSTORE_URL}' is not read`);
      expect(list[0]!.fix).toContain("--source petStoreDescription=<path>");
    });

    const operationPathAtPathItem = "'{$sourceDescriptions.petStoreDescription.url}#/paths/~1pet~1findByStatus'";

    for (const [how, key] of [
      ["by source name", "petStoreDescription"],
      ["by URL", PETSTORE_URL],
    ] as const) {
      it(`mapped ${how} to a local petstore: the operationPath pointing at a path item (no /get) is AZC3001`, async () => {
        const list = await check([LOGIN], { [key]: PETSTORE });
        expect(list.map(brief), show(list)).toEqual([expected("AZC3001", "error", LOGIN, operationPathAtPathItem)]);
        expect(list[0]!.message).toContain("the pointer does not reach an Operation Object (a path item needs /get, /post, ...)");
      });
    }

    it("with the operationPath ending in /get, it has no diagnostic against the local petstore", async () => {
      const copy = patched(EXAMPLES, ["LoginAndRetrievePets.arazzo.yaml"], "LoginAndRetrievePets.arazzo.yaml", [
        ["#/paths/~1pet~1findByStatus'", "#/paths/~1pet~1findByStatus/get'"],
      ]);
      expect(show(await check([copy], { petStoreDescription: join(ROOT, PETSTORE) }))).toBe("");
    });
  });

  describe("bnpl", () => {
    const sources = { [BNPL_URL]: `${EXAMPLES}/bnpl-openapi.yaml` };
    const referenceErrors = (): Brief[] => [
      // §7: the step authenticateCustomerAndAuthorizeLoan reads its own output, which it does not even declare
      // (it meant initiateBnplTransaction's redirectAuthToken).
      expected("AZC4004", "error", BNPL, "$steps.authenticateCustomerAndAuthorizeLoan.outputs.redirectAuthToken"),
      // §7: loanTransactionId is not an output of initiateBnplTransaction (read by two steps).
      expected("AZC4004", "error", BNPL, "$steps.initiateBnplTransaction.outputs.loanTransactionId", 0),
      expected("AZC4004", "error", BNPL, "$steps.initiateBnplTransaction.outputs.loanTransactionId", 1),
      // §7: the workflow output misses `.outputs.`.
      expected("AZC3001", "error", BNPL, "$steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan"),
    ];

    it("with its OpenAPI mapped: the reference's defects, and a required query parameter left out", async () => {
      const list = await check([BNPL], sources);
      expect(errors(list), show(list)).toEqual(
        [
          ...referenceErrors(),
          // Not in the reference: getAuthorization requires the query parameter AuthorizationToken; the step
          // sends `redirectAuthToken` instead (not reported as undeclared, since its value failed already).
          expected("AZC4008", "error", BNPL, ["- ", "stepId: authenticateCustomerAndAuthorizeLoan"]),
        ].sort(byPosition),
      );
      const messages = list.map((d) => d.message);
      expect(messages).toContain("Step 'authenticateCustomerAndAuthorizeLoan' has no output 'redirectAuthToken'");
      expect(messages).toContain("Step 'initiateBnplTransaction' has no output 'loanTransactionId'");
      expect(messages).toContain("Required query parameter 'AuthorizationToken' of operation getAuthorization is not supplied");
      const outputs = list.find((d) => d.code === "AZC3001");
      expect(outputs?.message).toContain("a step exposes only its outputs: $steps.retrieveFinalizedPaymentPlan.outputs.<name>");
    });

    it("with its OpenAPI mapped: /products, which the response schema calls productCodes (AZC4021), and a read of a skipped step (AZC4020)", async () => {
      const list = await check([BNPL], sources);
      // Not in the reference: findEligibleProducts' 200 response has productCodes, not products.
      expect(warnings(list)).toContainEqual(expected("AZC4021", "warning", BNPL, "$response.body#/products"));
      expect(list.find((d) => d.code === "AZC4021")?.message).toBe(
        "The response of findEligibleProducts has no '/products' in its schema (status 200)",
      );
      // Not in the reference: initiateBnplTransaction sends createCustomer's output, but createCustomer is
      // skipped when no eligibility check is required (the goto eligibilityCheckNotRequired).
      expect(warnings(list).map((w) => w.code)).toEqual(["AZC4021", "AZC4020"]);
      expect(list.find((d) => d.code === "AZC4020")?.message).toBe(
        "Step 'initiateBnplTransaction' reads $steps.createCustomer.outputs.customer, but step 'createCustomer' does not run on every path to it",
      );
    });

    // A position inside a JSON payload written as text (`payload: |`) is the expression's own line.
    it("AZC4020 points at the line of {$steps.createCustomer.outputs.customer} in the payload text", async () => {
      const list = await check([BNPL], sources);
      const warning = list.find((d) => d.code === "AZC4020");
      const where = at(BNPL, "{$steps.createCustomer.outputs.customer}");
      expect(warning?.range?.line).toBe(where.line);
      expect(warning?.range?.column).toBe(where.column + 1); // the `$`, inside the braces
    });

    it("without a mapping: AZC1009 for the remote OpenAPI; the reference's defects are still found", async () => {
      const list = await check([BNPL]);
      expect(errors(list), show(list)).toEqual([expected("AZC1009", "error", BNPL, BNPL_URL), ...referenceErrors()].sort(byPosition));
      expect(warnings(list)).toEqual([]);
    });

    it("with every defect corrected, only the warning about the skipped step remains", async () => {
      const copy = patched(EXAMPLES, ["bnpl-arazzo.yaml", "bnpl-openapi.yaml"], "bnpl-arazzo.yaml", [
        [BNPL_URL, "./bnpl-openapi.yaml"],
        [
          "$steps.authenticateCustomerAndAuthorizeLoan.outputs.redirectAuthToken",
          "$steps.initiateBnplTransaction.outputs.redirectAuthToken",
        ],
        ["      - name: redirectAuthToken\n        in: query", "      - name: AuthorizationToken\n        in: query"],
        [
          "      loanTransactionResourceUrl: $response.body#/links/self",
          "      loanTransactionResourceUrl: $response.body#/links/self\n      loanTransactionId: $response.body#/loanTransactionId",
        ],
        ["$steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan", "$steps.retrieveFinalizedPaymentPlan.outputs.finalizedPaymentPlan"],
        ["eligibleProducts: $response.body#/products", "eligibleProducts: $response.body#/productCodes"],
      ]);
      const list = await check([copy]);
      expect(
        list.map((d) => `${d.severity} ${d.code}`),
        show(list),
      ).toEqual(["warning AZC4020"]);
    });
  });

  describe("pet-coupons", () => {
    it("the parameters named unlike the OpenAPI; $statusCode in a step that calls a workflow is accepted", async () => {
      const list = await check([PET_COUPONS]);
      // Not in the reference: findPetsByTags declares `tags`, not `pet_tags` (a warning: it is sent as given).
      expect(warnings(list), show(list)).toEqual([expected("AZC4007", "warning", PET_COUPONS, ["name: ", "pet_tags"])]);
      expect(list.find((d) => d.code === "AZC4007")?.message).toBe(
        "Parameter 'pet_tags' (in query) is not declared by operation findPetsByTags; it is sent as given",
      );
      expect(errors(list), show(list)).toEqual([
        // Not in the reference: getPetCoupons' path is /pet/{petId}/coupons, the step sends pet_id.
        expected("AZC4009", "error", PET_COUPONS, ["name: ", "pet_id"]),
      ]);
      // The steps that call the workflow place-order test `$statusCode == 200` (lines 56 and 91): it reads the
      // status of the called workflow's last HTTP exchange (docs/generated-code.md), so it is no diagnostic.
      expect(workflowStepConditions(PET_COUPONS).filter((c) => c.condition.includes("$statusCode")).map((c) => c.line)).toEqual([56, 91]);
      expect(list.map((d) => d.code)).not.toContain("AZC3009");
    });

    // No cascade: the misspelt path parameter pet_id is not also reported as AZC4008 "Required path parameter
    // 'petId' of operation getPetCoupons is not supplied".
    it("the misspelt path parameter is reported once (AZC4009), not also as a missing one (AZC4008)", async () => {
      const list = await check([PET_COUPONS]);
      expect(list.map((d) => d.code)).not.toContain("AZC4008");
    });

    it("with tags, petId and criteria on $outputs, it has no diagnostic", async () => {
      const copy = patched(EXAMPLES, ["pet-coupons.arazzo.yaml", "pet-coupons.openapi.yaml"], "pet-coupons.arazzo.yaml", [
        ["- name: pet_tags", "- name: tags"],
        ["          - name: pet_id\n            in: path", "          - name: petId\n            in: path"],
        [
          "        successCriteria:\n          - condition: $statusCode == 200\n        outputs:\n          my_order_id",
          "        successCriteria:\n          - condition: $outputs.workflow_order_id != null\n        outputs:\n          my_order_id",
          2,
        ],
      ]);
      expect(show(await check([copy]))).toBe("");
    });
  });

  describe("the documents without defects", () => {
    it("oauth.arazzo.yaml has no diagnostic and compiles to a module", async () => {
      const result = await compile({ inputs: [OAUTH], cwd: ROOT });
      expect(show(result.diagnostics)).toBe("");
      expect([...result.files.keys()].sort()).toEqual(["oauth.arazzo.ts", "runtime-jsonpath.ts", "runtime.ts"]);
    });
  });

  describe("ExtendedParametersExample", () => {
    it("names ./animals.yaml, which is not in the repository: AZC1001 at the url, and nothing else", async () => {
      const list = await check([EXTENDED]);
      expect(list.map(brief), show(list)).toEqual([expected("AZC1001", "error", EXTENDED, "./animals.yaml")]);
      expect(list[0]!.message).toBe("Cannot read ./animals.yaml: no such file");
    });
  });
});

describe("the schema tests (tests/v1.0)", () => {
  describe("fail/", () => {
    it("every document of fail/ is checked by this file", () => {
      expect(readdirSync(join(ROOT, SCHEMA_TESTS, "fail")).sort()).toEqual(["invalid-arazzo-version.yaml", "not-an-object.yaml"]);
    });

    it("invalid-arazzo-version.yaml: arazzo: 2 is AZC2004 at the version", async () => {
      const file = `${SCHEMA_TESTS}/fail/invalid-arazzo-version.yaml`;
      const list = await check([file]);
      expect(list.map(brief), show(list)).toEqual([expected("AZC2004", "error", file, "2")]);
      expect(list[0]!.message).toBe("Unsupported Arazzo version '2'");
    });

    it("not-an-object.yaml: a list at the root is AZC1005", async () => {
      const file = `${SCHEMA_TESTS}/fail/not-an-object.yaml`;
      const list = await check([file]);
      expect(list.map(brief), show(list)).toEqual([expected("AZC1005", "error", file, "- root")]);
    });
  });

  describe("pass/ (older copies of the examples, with expression errors)", () => {
    const PASS = `${SCHEMA_TESTS}/pass`;

    it("every document of pass/ is checked by this file", () => {
      expect(arazzoDocuments(PASS)).toEqual(
        [`${PASS}/bnpl-example.yaml`, `${PASS}/oauth-example.yaml`, `${PASS}/pet-coupons-example.yaml`].sort(),
      );
    });

    describe("bnpl-example.yaml", () => {
      const file = `${PASS}/bnpl-example.yaml`;
      const sources = { BnplApi: `${EXAMPLES}/bnpl-openapi.yaml` };
      // The two request bodies written as JSON text; positions inside them are asserted separately.
      const inPayloadText = (b: Brief): boolean =>
        (b.line! >= at(file, '"firstName": "{$inputs').line - 2 && b.line! <= at(file, '"termsAndConditionsAccepted"').line + 1) ||
        (b.line! >= at(file, '"enrolledCustomer"').line - 2 && b.line! <= at(file, '"products": "{$steps').line + 1);

      it("$response.headers, $response.body.x navigation outside a condition, and the defects of bnpl", async () => {
        const list = await check([file], sources);
        expect(
          errors(list).filter((b) => !inPayloadText(b)),
          show(list),
        ).toEqual(
          [
            expected("AZC3001", "error", file, "$response.body.redirectAuthToken"),
            expected("AZC3001", "error", file, "$response.body.links.self"),
            expected("AZC4008", "error", file, ["- ", "stepId: authenticateCustomerAndAuthorizeLoan"]),
            expected("AZC4004", "error", file, "$steps.authenticateCustomerAndAuthorizeLoan.outputs.redirectAuthToken"),
            expected("AZC3001", "error", file, "$response.headers.Location"),
            expected("AZC4004", "error", file, "$steps.initiateBnplTransaction.outputs.loanTransactionId", 0),
            expected("AZC4004", "error", file, "$steps.initiateBnplTransaction.outputs.loanTransactionId", 1),
          ].sort(byPosition),
        );
        const messages = list.map((d) => d.message);
        expect(messages).toContain(
          "Invalid runtime expression '$response.headers.Location': '$response.headers' is not an expression; write $response.header.<name>",
        );
        expect(messages).toContain(
          "Invalid runtime expression '$response.body.links.self': navigation '.links.self' is only allowed in simple conditions; use a JSON pointer: #/links/self",
        );
        expect(warnings(list)).toEqual(
          [
            expected("AZC4021", "warning", file, "$response.body#/products"),
            // As in bnpl: createCustomer's output, read by initiateBnplTransaction's payload text, at the
            // expression (reported now that every expression of a payload is checked, not only the first).
            expected("AZC4020", "warning", file, ["{", "$steps.createCustomer.outputs.customer"]),
          ].sort(byPosition),
        );
      });

      it("navigation in the payload text: $inputs.customer.uri is an error (AZC3001)", async () => {
        const list = await check([file], sources);
        expect(list.map((d) => d.message)).toContain(
          "Invalid runtime expression '$inputs.customer.uri': navigation '.uri' is only allowed in simple conditions; use a JSON pointer: #/uri",
        );
      });

      // Positions inside a JSON payload written as text are the expression's own line.
      it("AZC3001 for $inputs.customer.uri points at its line in the payload text", async () => {
        const list = await check([file], sources);
        const error = list.find((d) => d.message.includes("'$inputs.customer.uri'"));
        expect(error?.range?.line).toBe(at(file, "{$inputs.customer.uri}").line);
      });

      // Every wrong expression of a payload is reported, not only the first.
      it("AZC3001 for each navigation in the createCustomer payload, at its line", async () => {
        const list = await check([file], sources);
        for (const name of ["firstName", "lastName", "dateOfBirth", "postalCode"]) {
          const error = list.find((d) => d.message.includes(`'$inputs.customer.${name}'`));
          expect(error?.range?.line, name).toBe(at(file, `{$inputs.customer.${name}}`).line);
        }
      });

      // The createCustomer payload is not JSON whatever its values (no comma after the postalCode member,
      // line 172): AZC3011 at the member after it, where JSON.parse of the template (its {$...} placeholders
      // stood in for) stops.
      it("the missing comma in the createCustomer payload is reported (AZC3011) at the member after it", async () => {
        const list = await check([file], sources);
        const found = list.filter((d) => d.code === "AZC3011").map(brief);
        expect(found, show(list)).toEqual([expected("AZC3011", "error", file, '"termsAndConditionsAccepted"')]);
        expect(list.find((d) => d.code === "AZC3011")?.message).toMatch(/^The JSON payload is not JSON, whatever its values: /);
      });
    });

    it("oauth-example.yaml: each `$.access_token != null` JSONPath criterion is AZC3004, and nothing else", async () => {
      const file = `${PASS}/oauth-example.yaml`;
      const list = await check([file], { "apim-auth": `${EXAMPLES}/oauth.openapi.yaml` });
      const criteria = everywhere(file, "$.access_token != null");
      expect(criteria).toHaveLength(4);
      expect(list.map(brief), show(list)).toEqual(criteria.map((p) => ({ code: "AZC3004", severity: "warning", file, ...p })));
      for (const d of list) {
        expect(d.message).toBe("JSONPath criterion '$.access_token != null' is a comparison, not an RFC 9535 query");
        expect(d.fix).toContain("$response.body#/access_token != null");
        expect(d.fix).toContain("$[?@.access_token != null]");
      }
    });

    it("pet-coupons-example.yaml: the same defects as pet-coupons", async () => {
      const file = `${PASS}/pet-coupons-example.yaml`;
      const list = await check([file], { "pet-coupons": `${EXAMPLES}/pet-coupons.openapi.yaml` });
      expect(warnings(list)).toEqual([expected("AZC4007", "warning", file, ["name: ", "pet_tags"])]);
      const statusCriteria = workflowStepConditions(file).filter((c) => c.condition.includes("$statusCode"));
      expect(statusCriteria).toHaveLength(2);
      expect(errors(list), show(list)).toEqual([expected("AZC4009", "error", file, ["name: ", "pet_id"])]);
    });
  });
});

/** The criteria conditions of the steps that call a workflow, with the position of each condition's value. */
function workflowStepConditions(file: string): { condition: string; line: number; column: number }[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text(file), { lineCounter });
  const value = doc.toJS() as { workflows: { steps: { workflowId?: string; successCriteria?: { condition: string }[] }[] }[] };
  const out: { condition: string; line: number; column: number }[] = [];
  value.workflows.forEach((workflow, w) =>
    workflow.steps.forEach((step, s) => {
      if (step.workflowId === undefined) return;
      (step.successCriteria ?? []).forEach((criterion, c) => {
        const node = doc.getIn(["workflows", w, "steps", s, "successCriteria", c, "condition"], true) as {
          range?: [number, number, number];
        };
        const { line, col } = lineCounter.linePos(node.range![0]);
        out.push({ condition: criterion.condition, line, column: col });
      });
    }),
  );
  return out;
}

describe("the Windmill seeds (fixtures/windmill/api-evangelist/arazzo)", () => {
  const documents = readdirSync(join(ROOT, WINDMILL))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `${WINDMILL}/${f}`)
    .sort();

  /**
   * DESIGN decision 1, computed from the YAML text: AZC3002 at the `$` of each "Bearer $inputs.token", and
   * AZC3004 at the value of each jsonpath criterion written as `$.x == y` (a comparison, not a query).
   */
  function expectedWarnings(file: string): Brief[] {
    const bare = everywhere(file, "Bearer $inputs.token").map((p) => ({
      code: "AZC3002",
      severity: "warning",
      file,
      line: p.line,
      column: p.column + "Bearer ".length,
    }));
    const lineCounter = new LineCounter();
    const doc = parseDocument(text(file), { lineCounter });
    const comparisons: Brief[] = [];
    const visit = (value: unknown, path: (string | number)[]): void => {
      if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
      else if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (
          record["type"] === "jsonpath" &&
          typeof record["condition"] === "string" &&
          /^\$(\.[A-Za-z_]\w*)+\s*(==|!=|<=|>=|<|>)\s*\S/.test(record["condition"])
        ) {
          const node = doc.getIn([...path, "condition"], true) as { range?: [number, number, number] };
          const { line, col } = lineCounter.linePos(node.range![0]);
          comparisons.push({ code: "AZC3004", severity: "warning", file, line, column: col });
        }
        for (const [key, member] of Object.entries(record)) visit(member, [...path, key]);
      }
    };
    visit(doc.toJS(), []);
    return [...bare, ...comparisons];
  }

  it("the ten documents have no error, and exactly the warnings of DESIGN decision 1 at their positions", async () => {
    expect(documents).toHaveLength(10);
    const list = await check([WINDMILL]);
    expect(errors(list), show(list)).toEqual([]);
    const want = documents.flatMap(expectedWarnings).sort(byPosition);
    expect(want.filter((w) => w.code === "AZC3002").length).toBeGreaterThanOrEqual(documents.length);
    expect(want.filter((w) => w.code === "AZC3004").length).toBeGreaterThan(0);
    expect(warnings(list)).toEqual(want);
  });

  it("each warning names the expression and suggests the fix", async () => {
    const list = await check([WINDMILL]);
    for (const d of list.filter((x) => x.code === "AZC3002")) {
      expect(d.message).toBe("Bare runtime expression '$inputs.token' inside a string is interpolated");
      expect(d.fix).toBe('Wrap it in braces: "Bearer {$inputs.token}".');
    }
    for (const d of list.filter((x) => x.code === "AZC3004")) {
      const condition = /^JSONPath criterion '(.*)' is a comparison, not an RFC 9535 query$/.exec(d.message)?.[1];
      expect(condition, d.message).toBeDefined();
      const [, path, operator] = /^\$((?:\.\w+)+)\s*(==|!=)/.exec(condition!)!;
      expect(d.fix).toContain(`$response.body#${path!.replace(/\./g, "/")} ${operator}`);
      expect(d.fix).toContain(`$[?@${path} ${operator} `);
    }
  });
});
