// RFC 9535 JSONPath front end: parse at build time into a typed AST; compile/emit/jsonpath.ts turns it into code.

export type * from "./ast.js";
export { FUNCTION_SIGNATURES, type FunctionSignature } from "./functions.js";
export { iRegexpToECMAScript } from "./iregexp.js";
export { parseJsonPath, type ParseJsonPathResult } from "./parser.js";
export { isSingularQuery, singularQuerySteps, type SingularStep } from "./singular.js";
