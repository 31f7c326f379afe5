// The compiled side of the criteria benchmark, built at bench start with arazzoc's own stages:
// - JSONPath queries: parseJsonPath -> compileJsonPathCriterion (compiler/emit/ts/jsonpath.ts);
// - simple conditions: a tiny Arazzo document (one step per condition, against a one-operation OpenAPI) goes
//   through the loader, the schema check and the binder, whose lowerCriterion/lowerCondition produce the Cond
//   trees; emitCondition (compiler/emit/ts/expressions.ts) turns each into the TypeScript a generated module holds.
// Each becomes an exported function of one module, written with arazzoc's runtime.ts next to it in a temporary
// folder and imported, as a generated module would be.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Binder } from "../../compiler/check/bind.js";
import type { Cond } from "../../compiler/ir/expressions.js";
import { emitCondition, isPlainReadable, pathKey } from "../../compiler/emit/ts/expressions.js";
import { compileJsonPathCriterion } from "../../compiler/emit/ts/jsonpath.js";
import { jsonPathRuntimeFile, runtimeFile } from "../../compiler/emit/ts/module.js";
import { Uses } from "../../compiler/emit/ts/uses.js";
import { JSONPATH_RUNTIME_HELPERS } from "../../compiler/emit/ts/uses.js";
import { typeView } from "../../compiler/emit/ts/types.js";
import { parseJsonPath } from "../../compiler/expressions/jsonpath/index.js";
import { DocumentStore } from "../../compiler/load/refs.js";
import { loadSources } from "../../compiler/load/sources.js";
import { validateArazzo } from "../../compiler/schema/validate.js";
import type { CriterionResponse } from "./interpreter.js";

export interface CompiledCriteria {
  /** One function per JSONPath query, in the order given: the criterion on `body` as its context. */
  readonly jsonpath: ReadonlyArray<(body: unknown) => boolean>;
  /** One function per simple condition, in the order given. */
  readonly conditions: ReadonlyArray<(response: CriterionResponse) => boolean>;
  /** The generated module's text, for --show-code. */
  readonly source: string;
  /** Removes the temporary folder. */
  dispose(): void;
}

const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "bench", version: "1" },
  servers: [{ url: "http://api.invalid" }],
  paths: { "/job": { get: { operationId: "getJob", responses: { default: { description: "any" } } } } },
};

/** The success criteria of each condition, lowered by the real binder. */
function bindConditions(dir: string, conditions: readonly string[]): Cond[] {
  if (conditions.length === 0) return [];
  writeFileSync(join(dir, "openapi.json"), JSON.stringify(OPENAPI));
  const document = {
    arazzo: "1.0.1",
    info: { title: "criteria bench", version: "1.0.0" },
    sourceDescriptions: [{ name: "api", url: "./openapi.json", type: "openapi" }],
    workflows: [
      {
        workflowId: "bench",
        steps: conditions.map((condition, i) => ({ stepId: `s${i}`, operationId: "getJob", successCriteria: [{ condition }] })),
      },
    ],
  };
  const path = join(dir, "bench.arazzo.json");
  writeFileSync(path, JSON.stringify(document));
  const store = new DocumentStore(dir);
  const loaded = store.load(path, true);
  const problems = [...loaded.diagnostics];
  const validated = loaded.file ? validateArazzo(loaded.file) : undefined;
  problems.push(...(validated?.diagnostics ?? []));
  if (!loaded.file || !validated?.document) throw new Error(`bench document: ${problems.map((d) => d.message).join("; ")}`);
  const { sources, diagnostics } = loadSources(store, loaded.file, validated.document.sourceDescriptions);
  const binder = new Binder({ file: loaded.file, document: validated.document, sources, store });
  const bound = binder.bind();
  const errors = [...diagnostics, ...binder.diagnostics].filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`bench document: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return bound.workflows[0]!.steps.map((step) => {
    if (step.successCriteria.length !== 1) throw new Error(`step ${step.stepId}: expected one lowered criterion`);
    return step.successCriteria[0]!;
  });
}

/** Response body paths the condition reads: a generated module reads these as plain properties of `body`. */
function bodyReads(cond: Cond, into: string[][]): string[][] {
  switch (cond.kind) {
    case "and":
    case "or":
      bodyReads(cond.left, into);
      bodyReads(cond.right, into);
      break;
    case "not":
      bodyReads(cond.operand, into);
      break;
    case "compare":
    case "truthy":
      for (const operand of cond.kind === "compare" ? [cond.left, cond.right] : [cond.operand]) {
        if (operand.kind === "ref" && operand.ref.kind === "responseBody" && operand.ref.path.length > 0) into.push([...operand.ref.path]);
      }
      break;
    default:
      break;
  }
  return into;
}

function emitSimple(cond: Cond, index: number): string {
  const paths = bodyReads(cond, []).filter((path) => path.every(isPlainReadable));
  const unsupported = (): never => {
    throw new Error("the bench's simple conditions read only the response");
  };
  const expression = emitCondition(cond, {
    uses: new Uses((name) => name),
    inputs: unsupported,
    stepOutput: unsupported,
    workflow: unsupported,
    response: { variable: "response", bodyPaths: new Set(paths.map(pathKey)) },
    types: typeView({}, new Map()),
    inputType: () => ({ kind: "unknown" }),
    outputType: () => ({ kind: "unknown" }),
    pattern: () => {
      throw new Error("the bench's simple conditions have no regex criteria");
    },
  });
  // As in a generated step: the request's type argument types the body members the criteria read.
  return `export const condition${index} = (response: StepResponse<any>): boolean => {\n  return ${expression};\n};\n`;
}

export async function compileCriteria(queries: readonly string[], conditions: readonly string[]): Promise<CompiledCriteria> {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-bench-criteria-"));
  try {
    const parts: string[] = [
      "// Generated at bench start by bench/criteria/compiled.ts with arazzoc's emitter.",
      `import { ${["looseCompare", "looseEquals", "valueAt"].join(", ")}, type StepResponse } from "./runtime.js";`,
      `import { ${[...JSONPATH_RUNTIME_HELPERS].join(", ")} } from "./runtime-jsonpath.js";`,
      "",
    ];
    queries.forEach((text, i) => {
      const parsed = parseJsonPath(text);
      if (!parsed.ok) throw new Error(`${text}: ${parsed.message} (at offset ${parsed.offset})`);
      const criterion = compileJsonPathCriterion(parsed.query, "body", { helper: (name) => name });
      parts.push(`export const jsonpath${i} = (body: unknown): boolean =>\n  ${criterion};\n`);
    });
    bindConditions(dir, conditions).forEach((cond, i) => parts.push(emitSimple(cond, i)));
    const source = parts.join("\n");
    // An ES module folder, as a project using the generated code is: without it tsx would load the files as
    // CommonJS, and every call of a runtime helper would go through an export getter.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(join(dir, "runtime.ts"), runtimeFile());
    writeFileSync(join(dir, "runtime-jsonpath.ts"), jsonPathRuntimeFile());
    writeFileSync(join(dir, "criteria.ts"), source);
    const module = (await import(pathToFileURL(join(dir, "criteria.ts")).href)) as Record<string, unknown>;
    const pick = <F>(name: string): F => {
      const value = module[name];
      if (typeof value !== "function") throw new Error(`the generated module exports no function ${name}`);
      return value as F;
    };
    return {
      jsonpath: queries.map((_, i) => pick<(body: unknown) => boolean>(`jsonpath${i}`)),
      conditions: conditions.map((_, i) => pick<(response: CriterionResponse) => boolean>(`condition${i}`)),
      source,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
