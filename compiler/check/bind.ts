// Checking an Arazzo document, in three passes: the symbol table (symbols.ts) is built once; each workflow
// is lowered (lower-workflow.ts, lower-value.ts, lower-criterion.ts), each step bound to its OpenAPI
// operation or workflow and each expression resolved to what it reads; then the validation rules (rules/)
// judge what was lowered. Every problem becomes a diagnostic at the node, or the characters, that hold it;
// nothing here throws on bad input, and each diagnostic is produced once.
import type { Diagnostic } from "../diagnostics.js";
import { lowerWorkflow, type CheckedWorkflow } from "./lower-workflow.js";
import type { BoundDocument } from "./model.js";
import { RULES, type Rule } from "./rules/index.js";
import { buildSymbols, type BindInput } from "./symbols.js";
import { lintV11 } from "./lints-v11.js";

export type { BindInput } from "./symbols.js";
export { closest, operationLabel } from "./targets.js";

export interface CheckResult {
  readonly document: BoundDocument;
  readonly diagnostics: Diagnostic[];
}

/** Checks a document with the given rules (all of them unless said: tests run one at a time). */
export function checkDocument(input: BindInput, rules: readonly Rule[] = RULES): CheckResult {
  const { symbols, diagnostics } = buildSymbols(input);
  diagnostics.push(...lintV11(input.file, input.document));
  const workflows: CheckedWorkflow[] = [];
  for (const workflow of symbols.workflows) {
    const lowered = lowerWorkflow(workflow, symbols);
    diagnostics.push(...lowered.diagnostics);
    if (lowered.value) workflows.push(lowered.value);
  }
  for (const rule of rules) diagnostics.push(...rule.check({ symbols, workflows }));
  return {
    document: {
      displayPath: input.file.displayPath,
      absolutePath: input.file.path,
      title: input.document.info.title,
      workflows: workflows.flatMap((w) => (w.bound ? [w.bound] : [])),
    },
    diagnostics,
  };
}

/**
 * The check stage as the compiler drives it: bind() once, then read the diagnostics. `laterRules` run after the
 * check stage's own: rules of later stages (the IR's typing) that judge what was checked.
 */
export class Binder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly input: BindInput,
    private readonly laterRules: readonly Rule[] = [],
  ) {}

  bind(): BoundDocument {
    const result = checkDocument(this.input, [...RULES, ...this.laterRules]);
    this.diagnostics.push(...result.diagnostics);
    return result.document;
  }
}
