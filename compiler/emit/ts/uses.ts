// What a module's generated code uses, recorded while it is emitted: the runtime helpers it calls (and so
// what it imports, and whether runtime-jsonpath.ts is needed). Nothing is ever found by reading the text back.
/** The runtime helpers compiled JSONPath code calls (jsonpath.ts), exported by runtime-jsonpath.ts. */
export const JSONPATH_RUNTIME_HELPERS = [
  "jpChildren",
  "jpDescendants",
  "jpEquals",
  "jpHas",
  "jpIndex",
  "jpIsObject",
  "jpLength",
  "jpLengthProperty",
  "jpLess",
  "jpLessOrEqual",
  "jpMatch",
  "jpMember",
  "jpSearch",
  "jpSlice",
  "jpTestRegExp",
  "jpValue",
] as const;

/** The step helpers of message steps, exported by runtime-messages.ts. */
export const MESSAGE_RUNTIME_HELPERS = ["listenForMessage", "receiveMessage", "sendMessage"] as const;

/** Values and types of runtime.ts that generated code may use. */
export const RUNTIME_VALUES = [
  "WorkflowRun",
  "checkMember",
  "isObject",
  "looseCompare",
  "looseEquals",
  "matchesPattern",
  "matchesPatternSource",
  "matchesSplicedPattern",
  "styled",
  "templateText",
  "valueAt",
  "withReplacements",
] as const;
export const RUNTIME_TYPES = [
  "CallResult",
  "MessageChannel",
  "MessageTransport",
  "Source",
  "StepMessage",
  "StepResponse",
  "WorkflowDefinition",
  "WorkflowOptions",
  "WorkflowRun",
] as const;

export type RuntimeValue = (typeof RUNTIME_VALUES)[number];
export type RuntimeType = (typeof RUNTIME_TYPES)[number];
export type JsonPathHelper = (typeof JSONPATH_RUNTIME_HELPERS)[number];
export type MessageHelper = (typeof MESSAGE_RUNTIME_HELPERS)[number];
export type RuntimeHelper = RuntimeValue | JsonPathHelper | MessageHelper;

const JSONPATH = new Set<string>(JSONPATH_RUNTIME_HELPERS);

/** Every name a generated module may import from the runtime files. */
export const RUNTIME_NAMES: readonly string[] = [
  ...new Set([...RUNTIME_VALUES, ...RUNTIME_TYPES, ...JSONPATH_RUNTIME_HELPERS, ...MESSAGE_RUNTIME_HELPERS]),
];

const MESSAGES = new Set<string>(MESSAGE_RUNTIME_HELPERS);

export function isMessageHelper(name: string): name is MessageHelper {
  return MESSAGES.has(name);
}

export function isJsonPathHelper(name: string): name is JsonPathHelper {
  return JSONPATH.has(name);
}

/** The helpers and types one module uses, each under the local name the naming pass gave it. */
export class Uses {
  readonly values = new Set<RuntimeHelper>();
  readonly types = new Set<RuntimeType>();

  constructor(private readonly local: (name: string) => string) {}

  /** A runtime function or class used as a value: its local name. */
  helper(name: RuntimeHelper): string {
    this.values.add(name);
    return this.local(name);
  }

  /** A runtime type used in a type position: its local name. */
  type(name: RuntimeType): string {
    this.types.add(name);
    return this.local(name);
  }
}
