// Signatures of the function extensions of RFC 9535 §2.4.4–2.4.8: the parser checks calls against them
// (well-typedness, §2.4.3) and the compiler trusts that check.

import type { FunctionName, JsonPathType } from "./ast.js";

export interface FunctionSignature {
  readonly parameters: readonly JsonPathType[];
  readonly result: JsonPathType;
}

export const FUNCTION_SIGNATURES: Readonly<Record<FunctionName, FunctionSignature>> = {
  length: { parameters: ["ValueType"], result: "ValueType" },
  count: { parameters: ["NodesType"], result: "ValueType" },
  match: { parameters: ["ValueType", "ValueType"], result: "LogicalType" },
  search: { parameters: ["ValueType", "ValueType"], result: "LogicalType" },
  value: { parameters: ["NodesType"], result: "ValueType" },
};

export function isFunctionName(name: string): name is FunctionName {
  return Object.prototype.hasOwnProperty.call(FUNCTION_SIGNATURES, name);
}
