// The baseline of the simple-condition benchmark: an interpreter, as a runner that reads the Arazzo document at
// run time works. It receives the condition as text, so every evaluation parses it (with arazzoc's own parser,
// compiler/expressions/condition.ts, so both sides accept the same grammar), resolves each runtime expression
// against the response by its kind, and walks the tree. The leaf semantics are the runtime's own looseEquals,
// looseCompare and valueAt, so the two sides differ only in what is done per call, not in what they compute.
import { parseCondition, type Condition, type Operand } from "../../compiler/expressions/condition.js";
import { parseNavigation } from "../../compiler/expressions/runtime-expression.js";
import { looseCompare, looseEquals, valueAt, type StepResponse } from "../../runtime/runtime.js";

/** The response a criterion is evaluated against: the fields of the runtime's StepResponse it reads. */
export type CriterionResponse = Pick<StepResponse, "status" | "url" | "method" | "body" | "header">;

/** Parses and evaluates `text` against `response`, as an interpreter does on every evaluation. */
export function interpretCondition(text: string, response: CriterionResponse): boolean {
  const parsed = parseCondition(text);
  // A condition that does not parse fails (reference §4.1: evaluation errors evaluate to fail).
  return parsed.ok && evaluateCondition(parsed.condition, response);
}

/** Evaluates an already parsed condition: the interpreter with a parse cache, shown for comparison. */
export function evaluateCondition(condition: Condition, response: CriterionResponse): boolean {
  switch (condition.kind) {
    case "or":
      return evaluateCondition(condition.left, response) || evaluateCondition(condition.right, response);
    case "and":
      return evaluateCondition(condition.left, response) && evaluateCondition(condition.right, response);
    case "not":
      return !evaluateCondition(condition.operand, response);
    case "test":
      // A bare operand passes only when its value is true.
      return operandValue(condition.operand, response) === true;
    case "compare": {
      const left = operandValue(condition.left, response);
      const right = operandValue(condition.right, response);
      switch (condition.operator) {
        case "==":
          return looseEquals(left, right);
        case "!=":
          return !looseEquals(left, right);
        default:
          return looseCompare(left, condition.operator, right);
      }
    }
  }
}

/** The value of an operand; undefined when a runtime expression does not resolve (it then compares like null). */
function operandValue(operand: Operand, response: CriterionResponse): unknown {
  if (operand.kind === "literal") return operand.value;
  const expression = operand.expression;
  switch (expression.kind) {
    case "statusCode":
      return response.status;
    case "url":
      return response.url;
    case "method":
      return response.method;
    case "response": {
      if (expression.part === "header") return response.header(expression.name);
      if (expression.part !== "body") return undefined;
      // `.member` / `[n]` navigation first, then the JSON pointer, as the compiler's binder orders them.
      const navigation = parseNavigation(expression.navigation);
      if (navigation === undefined) return undefined;
      return valueAt(response.body, [...navigation.map(String), ...(expression.pointer ?? [])]);
    }
    default:
      // $inputs, $steps, ...: this benchmark's conditions read only the response.
      return undefined;
  }
}
