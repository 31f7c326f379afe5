// A validation rule: a small function from the checked document to the diagnostics of one concern, in the
// spirit of graphql-js's validation rules. Rules read the symbol table and what lowering produced; they never
// change either, and they run after every workflow is lowered.
import type { Diagnostic } from "../../diagnostics.js";
import type { CheckedStep, CheckedWorkflow } from "../lower-workflow.js";
import type { SymbolTable } from "../symbols.js";

export interface RuleContext {
  readonly symbols: SymbolTable;
  readonly workflows: readonly CheckedWorkflow[];
}

export interface Rule {
  /** Kebab-case, the rule's file name. */
  readonly name: string;
  readonly check: (context: RuleContext) => Diagnostic[];
}

/** Every step of every workflow, with its workflow. */
export function allSteps(context: RuleContext): { workflow: CheckedWorkflow; step: CheckedStep }[] {
  return context.workflows.flatMap((workflow) => workflow.steps.map((step) => ({ workflow, step })));
}
