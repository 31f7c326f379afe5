// zod schemas of every Arazzo object, for each supported version: 1.0.x (reference §2) and 1.1.x (the 1.1
// additions: `$self`, AsyncAPI sources and message steps, step `timeout` and `dependsOn`, `in: querystring` and
// `in: channel`, Selector Objects, action `parameters`, `targetSelectorType`, Expression Type Objects). Each
// object rejects unknown fields except `x-` extensions; the Reusable Object takes no extensions at all. The
// `retry` rule is the corrected one of the 1.0 development schema (and of the 1.1 schema): retryAfter and
// stepId/workflowId are optional for retry. The static types describe the 1.1 superset: a 1.0 document is one
// in which the 1.1-only fields are absent.
import { z } from "zod";

/** The feature set a document selects with its `arazzo` field (major.minor; the patch is ignored). */
export type ArazzoVersion = "1.0" | "1.1";

export const VERSION_PATTERNS: Readonly<Record<ArazzoVersion, RegExp>> = {
  "1.0": /^1\.0\.\d+(-.+)?$/,
  "1.1": /^1\.1\.\d+(-.+)?$/,
};

/** The feature set of an `arazzo` value, or undefined when arazzoc supports none for it. */
export function arazzoVersionOf(value: unknown): ArazzoVersion | undefined {
  if (typeof value !== "string") return undefined;
  return (Object.keys(VERSION_PATTERNS) as ArazzoVersion[]).find((v) => VERSION_PATTERNS[v].test(value));
}

const EXTENSION = /^x-/;

/**
 * An object schema that reports unknown fields. At run time extra keys pass through (so extensions are
 * kept); the static type is the plain object's, so code using it sees only the declared fields.
 */
function arazzoObject<S extends z.ZodRawShape>(objectName: string, shape: S, extensions = true): z.ZodType<z.output<z.ZodObject<S>>> {
  const known = new Set(Object.keys(shape));
  return z.looseObject(shape).superRefine((value, ctx) => {
    for (const key of Object.keys(value)) {
      if (known.has(key) || (extensions && EXTENSION.test(key))) continue;
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `unknown field`,
        params: { kind: "unknown-field", field: key, object: objectName },
      });
    }
  }) as unknown as z.ZodType<z.output<z.ZodObject<S>>>;
}

const MAP_KEY = /^[a-zA-Z0-9.\-_]+$/;
const NAME = /^[A-Za-z0-9_\-]+$/;

/** A map whose keys must match the spec's component/output key pattern. */
function keyedMap<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!MAP_KEY.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `key '${key}' must match ^[a-zA-Z0-9.\\-_]+$`, params: { kind: "key" } });
      }
    }
  });
}

const nonEmptyString = z.string().min(1, "must not be empty");

// ---- 1.1 building blocks (shared by Selector Objects, criteria and payload replacements) ----

/** The versions each expression type may name (Expression Type Object; the first is the default). */
export const EXPRESSION_VERSIONS = {
  jsonpath: ["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
  xpath: ["xpath-31", "xpath-30", "xpath-20", "xpath-10"],
  jsonpointer: ["rfc6901"],
} as const;

export type ExpressionKind = keyof typeof EXPRESSION_VERSIONS;

export const expressionTypeSchema = arazzoObject("Expression Type", {
  type: z.enum(["jsonpath", "xpath", "jsonpointer"]),
  version: z.string(),
}).superRefine((value, ctx) => {
  const allowed: readonly string[] = EXPRESSION_VERSIONS[value.type];
  if (!allowed.includes(value.version)) {
    ctx.addIssue({ code: "custom", path: ["version"], message: `version of ${value.type} must be one of ${allowed.join(", ")}` });
  }
});

const SELECTOR_KINDS: readonly string[] = ["jsonpath", "xpath", "jsonpointer"];

/** `jsonpath`, `xpath`, `jsonpointer`, or an Expression Type Object naming the version. */
export const selectorTypeSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: "missing required field", params: { kind: "missing", field: "type" } });
      return;
    }
    if (typeof value === "string") {
      if (!SELECTOR_KINDS.includes(value))
        ctx.addIssue({
          code: "custom",
          message: `'${value}' is not a selector type: write jsonpath, xpath, jsonpointer or an Expression Type Object`,
        });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: "must be jsonpath, xpath, jsonpointer or an Expression Type Object" });
      return;
    }
    const result = expressionTypeSchema.safeParse(value);
    if (!result.success)
      for (const issue of result.error.issues)
        ctx.addIssue({ ...issue, code: "custom", message: issue.message, path: issue.path } as never);
  })
  .transform((value) => value as ExpressionKind | z.output<typeof expressionTypeSchema>);

export const selectorSchema = arazzoObject("Selector", {
  context: z.string(),
  selector: z.string(),
  type: selectorTypeSchema,
});

/**
 * Is this value meant as a Selector Object (decision A-13)? An object with a `selector` member, or with exactly
 * the Selector's keys: such an object is validated as a Selector (and reported when malformed); any other
 * object is a literal.
 */
export function looksLikeSelector(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value).filter((k) => !EXTENSION.test(k));
  return "selector" in value && keys.every((k) => k === "context" || k === "selector" || k === "type" || k === "expression");
}

/** The issues of a value meant as a Selector Object, added to `ctx` at the value. */
function checkSelector(value: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if ("expression" in value && !("context" in value))
    ctx.addIssue({
      code: "custom",
      path: ["expression"],
      message: "a Selector Object names its context 'context' (Arazzo 1.1.0 renamed 'expression')",
    });
  const result = selectorSchema.safeParse(value);
  if (!result.success)
    for (const issue of result.error.issues) {
      // The renamed field is reported once, above.
      if (issue.path[0] === "context" && "expression" in value) continue;
      ctx.addIssue({ ...issue, code: "custom", message: issue.message, path: issue.path } as never);
    }
}

/** A value position that may hold a Selector Object: anything, but a Selector-shaped object must be one. */
function valueOrSelector(required: boolean) {
  const base = required ? z.unknown() : z.unknown().optional();
  return base.superRefine((value, ctx) => {
    if (looksLikeSelector(value)) checkSelector(value, ctx);
  });
}

/** An output: a runtime expression, or a Selector Object. */
const outputValue11 = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value === "string") return;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) checkSelector(value as Record<string, unknown>, ctx);
    else ctx.addIssue({ code: "custom", message: "an output is a runtime expression (a string) or a Selector Object" });
  })
  .transform((value) => value as string | z.output<typeof selectorSchema>);

const DEPENDS_ON_FORMS = [/^(?!\$).+$/, /^\$workflows\.[^.]+\.steps\.[^.]+$/, /^\$sourceDescriptions\.[^.]+\.[^.]+\.steps\.[^.]+$/];

function buildSchemas(version: ArazzoVersion) {
  const v11 = version === "1.1";

  const infoSchema = arazzoObject("Info", {
    title: z.string(),
    summary: z.string().optional(),
    description: z.string().optional(),
    version: z.string(),
  });

  const sourceDescriptionSchema = arazzoObject("Source Description", {
    name: z.string().regex(NAME, "must match ^[A-Za-z0-9_\\-]+$"),
    url: nonEmptyString,
    type: (v11 ? z.enum(["openapi", "arazzo", "asyncapi"]) : z.enum(["openapi", "arazzo"])).optional(),
  });

  // 1.0 named it the Criterion Expression Type Object, with the versions 1.0 listed; 1.1 shares the Expression
  // Type Object, in which jsonpointer is not a kind of criterion (decision A-20).
  const criterionExpressionTypeSchema = v11
    ? expressionTypeSchema.superRefine((value, ctx) => {
        if (value.type === "jsonpointer")
          ctx.addIssue({
            code: "custom",
            path: ["type"],
            message: "a criterion is of type simple, regex, jsonpath or xpath, not jsonpointer",
          });
      })
    : arazzoObject("Criterion Expression Type", {
        type: z.enum(["jsonpath", "xpath"]),
        version: z.string(),
      }).superRefine((value, ctx) => {
        const allowed = value.type === "jsonpath" ? ["draft-goessner-dispatch-jsonpath-00"] : ["xpath-30", "xpath-20", "xpath-10"];
        if (!allowed.includes(value.version)) {
          ctx.addIssue({
            code: "custom",
            path: ["version"],
            message: `version of a ${value.type} criterion must be one of ${allowed.join(", ")}`,
          });
        }
      });

  const criterionSchema = arazzoObject("Criterion", {
    context: z.string().optional(),
    condition: z.string(),
    type: z
      .union([
        z.enum(["simple", "regex", "jsonpath", "xpath"]),
        criterionExpressionTypeSchema as z.ZodType<z.output<typeof expressionTypeSchema>>,
      ])
      .optional(),
  });

  const reusableSchema = arazzoObject(
    "Reusable Object",
    {
      reference: nonEmptyString,
      value: z.unknown().optional(),
    },
    false,
  );

  const parameterLocation = v11
    ? z.enum(["path", "query", "querystring", "header", "cookie", "channel"])
    : (z.enum(["path", "query", "header", "cookie"]) as unknown as z.ZodEnum<{
        path: "path";
        query: "query";
        querystring: "querystring";
        header: "header";
        cookie: "cookie";
        channel: "channel";
      }>);

  const parameterSchema = arazzoObject("Parameter", {
    name: nonEmptyString,
    in: parameterLocation.optional(),
    value: v11 ? valueOrSelector(true) : z.unknown(),
  }).superRefine((value, ctx) => {
    if (!("value" in (value as object)))
      ctx.addIssue({ code: "custom", path: ["value"], message: "missing required field", params: { kind: "missing", field: "value" } });
  });

  /** A Reusable Object is recognised by its `reference` field; anything else is the inline object. */
  function orReusable<T extends z.ZodType>(inline: T) {
    return z.union([reusableSchema, inline]);
  }

  const actionTarget = {
    workflowId: nonEmptyString.optional(),
    stepId: nonEmptyString.optional(),
    // 1.1: inputs for the workflow a goto or retry names (Success/Failure Action `parameters`).
    parameters: (v11
      ? z.array(orReusable(parameterSchema))
      : (z.never() as unknown as z.ZodArray<ReturnType<typeof orReusable<typeof parameterSchema>>>)
    ).optional(),
  };

  function checkTarget(
    value: { type: string; workflowId?: string | undefined; stepId?: string | undefined; parameters?: unknown },
    ctx: z.RefinementCtx,
    kinds: readonly string[],
  ) {
    if (value.workflowId !== undefined && value.stepId !== undefined) {
      ctx.addIssue({ code: "custom", path: ["stepId"], message: "stepId and workflowId are mutually exclusive" });
    }
    if (value.type === "goto" && value.workflowId === undefined && value.stepId === undefined) {
      ctx.addIssue({ code: "custom", path: ["type"], message: "a goto action needs a stepId or a workflowId" });
    }
    if (!kinds.includes(value.type) && (value.workflowId !== undefined || value.stepId !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [value.stepId !== undefined ? "stepId" : "workflowId"],
        message: `an ${value.type} action takes no target`,
      });
    }
    if (value.parameters !== undefined && value.workflowId === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["parameters"],
        message: "parameters are inputs of a workflow: they need the action's workflowId",
      });
    }
  }

  const successActionSchema = arazzoObject("Success Action", {
    name: nonEmptyString,
    type: z.enum(["end", "goto"]),
    ...actionTarget,
    criteria: z.array(criterionSchema).min(1).optional(),
  }).superRefine((value, ctx) => checkTarget(value, ctx, ["goto"]));

  const failureActionSchema = arazzoObject("Failure Action", {
    name: nonEmptyString,
    type: z.enum(["end", "retry", "goto"]),
    ...actionTarget,
    retryAfter: z.number().min(0).optional(),
    retryLimit: z.number().int().min(0).optional(),
    criteria: z.array(criterionSchema).optional(),
  }).superRefine((value, ctx) => {
    checkTarget(value, ctx, ["goto", "retry"]);
    if (value.type !== "retry") {
      for (const field of ["retryAfter", "retryLimit"] as const) {
        if (value[field] !== undefined) ctx.addIssue({ code: "custom", path: [field], message: `${field} applies only to retry actions` });
      }
    }
  });

  const payloadReplacementSchema = arazzoObject("Payload Replacement", {
    target: nonEmptyString,
    targetSelectorType: (v11 ? selectorTypeSchema : (z.never() as unknown as typeof selectorTypeSchema)).optional(),
    // Any JSON value, as the 1.1 text says (its schema allows only a string or a Selector: decision [1.0.1 #24]).
    value: v11 ? valueOrSelector(true) : z.unknown(),
  });

  const requestBodySchema = arazzoObject("Request Body", {
    contentType: nonEmptyString.optional(),
    payload: z.unknown().optional(),
    replacements: z.array(payloadReplacementSchema).optional(),
  });

  const outputValue = v11 ? outputValue11 : (z.string() as unknown as typeof outputValue11);
  const outputsMap = keyedMap(outputValue);

  const never = <T extends z.ZodType>(schema: T): T => (v11 ? schema : (z.never() as unknown as T));

  const dependsOnSchema = z
    .array(
      z.string().refine((s) => DEPENDS_ON_FORMS.some((p) => p.test(s)), {
        message: "must be a stepId, $workflows.<workflowId>.steps.<stepId> or $sourceDescriptions.<name>.<workflowId>.steps.<stepId>",
      }),
    )
    .min(1, "must not be empty: list the steps this one waits for, or leave dependsOn out")
    .superRefine((list, ctx) => {
      list.forEach((item, index) => {
        if (list.indexOf(item) !== index) ctx.addIssue({ code: "custom", path: [index], message: `'${item}' is listed twice` });
      });
    });

  const stepSchema = arazzoObject("Step", {
    stepId: nonEmptyString,
    description: z.string().optional(),
    operationId: nonEmptyString.optional(),
    operationPath: nonEmptyString.optional(),
    // 1.1: AsyncAPI message steps, and the fields every step kind shares.
    channelPath: never(nonEmptyString).optional(),
    action: never(z.enum(["send", "receive"])).optional(),
    // Any JSON value but null (1.1 schema); decision A-7 narrows it semantically.
    correlationId: never(
      z.union([z.string(), z.number(), z.boolean(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
    ).optional(),
    timeout: never(z.number().int("must be a whole number of milliseconds")).optional(),
    dependsOn: never(dependsOnSchema).optional(),
    workflowId: nonEmptyString.optional(),
    parameters: z.array(orReusable(parameterSchema)).optional(),
    requestBody: requestBodySchema.optional(),
    successCriteria: z.array(criterionSchema).min(1).optional(),
    onSuccess: z.array(orReusable(successActionSchema)).optional(),
    onFailure: z.array(orReusable(failureActionSchema)).optional(),
    outputs: outputsMap.optional(),
  }).superRefine((step, ctx) => {
    const fields = v11
      ? (["operationId", "operationPath", "channelPath", "workflowId"] as const)
      : (["operationId", "operationPath", "workflowId"] as const);
    const targets = fields.filter((k) => step[k] !== undefined);
    if (targets.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["stepId"],
        message: v11
          ? "a step needs exactly one of operationId, operationPath, channelPath or workflowId"
          : "a step needs exactly one of operationId, operationPath or workflowId",
      });
    } else if (targets.length > 1) {
      ctx.addIssue({ code: "custom", path: [targets[1]!], message: `${targets.join(" and ")} are mutually exclusive` });
    }
    if (!v11) return;
    // The three kinds of step (1.1 schema: openapi, asyncapi and workflow branches). Which kind an operationId
    // names is known only once the sources are read; the check stage judges that.
    if (step.channelPath !== undefined && step.action === undefined)
      ctx.addIssue({ code: "custom", path: ["action"], message: "missing required field", params: { kind: "missing", field: "action" } });
    if (step.action !== undefined && (step.operationPath !== undefined || step.workflowId !== undefined))
      ctx.addIssue({
        code: "custom",
        path: ["action"],
        message: `action applies only to AsyncAPI steps (operationId or channelPath), not to a step with ${step.operationPath !== undefined ? "operationPath" : "workflowId"}`,
      });
    if (step.correlationId !== undefined && step.action !== "receive")
      ctx.addIssue({
        code: "custom",
        path: ["correlationId"],
        message: `correlationId applies only to a step with action: receive${step.action === undefined ? "" : `, not ${step.action}`}`,
      });
    // An AsyncAPI step's parameters are headers or channel parameters: each says which (1.1 schema).
    if (step.action !== undefined || step.channelPath !== undefined)
      (step.parameters ?? []).forEach((parameter, index) => {
        if (!("reference" in parameter) && parameter.in === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["parameters", index, "in"],
            message: "missing required field",
            params: { kind: "missing", field: "in" },
          });
      });
    if (step.correlationId !== undefined && (step.operationPath !== undefined || step.workflowId !== undefined))
      ctx.addIssue({ code: "custom", path: ["correlationId"], message: "correlationId applies only to AsyncAPI steps" });
  });

  const jsonSchemaObject = z.record(z.string(), z.unknown());

  const workflowSchema = arazzoObject("Workflow", {
    workflowId: nonEmptyString,
    summary: z.string().optional(),
    description: z.string().optional(),
    inputs: jsonSchemaObject.optional(),
    dependsOn: z.array(nonEmptyString).optional(),
    steps: z.array(stepSchema).min(1, "a workflow needs at least one step"),
    successActions: z.array(orReusable(successActionSchema)).optional(),
    failureActions: z.array(orReusable(failureActionSchema)).optional(),
    outputs: outputsMap.optional(),
    parameters: z.array(orReusable(parameterSchema)).optional(),
  });

  const componentsSchema = arazzoObject("Components", {
    inputs: keyedMap(jsonSchemaObject).optional(),
    parameters: keyedMap(parameterSchema).optional(),
    successActions: keyedMap(successActionSchema).optional(),
    failureActions: keyedMap(failureActionSchema).optional(),
  });

  const selfSchema = z
    .string()
    .refine((s) => !s.includes("#"), {
      message: "must not contain a fragment (#…): $self names a whole document",
      params: { kind: "self-fragment" },
    })
    .refine((s) => isUriReference(s), { message: "must be a URI reference (RFC 3986)" });

  const documentSchema = arazzoObject("Arazzo document", {
    arazzo: z.string().regex(VERSION_PATTERNS[version], `must be a ${version}.x version`),
    $self: never(selfSchema).optional(),
    info: infoSchema,
    sourceDescriptions: z.array(sourceDescriptionSchema).min(1, "at least one source description is needed"),
    workflows: z.array(workflowSchema).min(1, "at least one workflow is needed"),
    components: componentsSchema.optional(),
  });

  return {
    infoSchema,
    sourceDescriptionSchema,
    criterionSchema,
    reusableSchema,
    parameterSchema,
    successActionSchema,
    failureActionSchema,
    payloadReplacementSchema,
    requestBodySchema,
    stepSchema,
    workflowSchema,
    componentsSchema,
    documentSchema,
  };
}

/** RFC 3986 URI-reference: no spaces, controls, or characters outside the URI set; percent signs escape. */
function isUriReference(text: string): boolean {
  return /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(text) && !/%(?![0-9A-Fa-f]{2})/.test(text);
}

const V10 = buildSchemas("1.0");
const V11 = buildSchemas("1.1");

/** The schema set of one version. */
export function schemasFor(version: ArazzoVersion): typeof V11 {
  return version === "1.1" ? V11 : V10;
}

// The 1.0 schemas under their established names.
export const infoSchema = V10.infoSchema;
export const sourceDescriptionSchema = V10.sourceDescriptionSchema;
export const criterionSchema = V10.criterionSchema;
export const reusableSchema = V10.reusableSchema;
export const parameterSchema = V10.parameterSchema;
export const successActionSchema = V10.successActionSchema;
export const failureActionSchema = V10.failureActionSchema;
export const payloadReplacementSchema = V10.payloadReplacementSchema;
export const requestBodySchema = V10.requestBodySchema;
export const stepSchema = V10.stepSchema;
export const workflowSchema = V10.workflowSchema;
export const componentsSchema = V10.componentsSchema;
export const arazzoDocumentSchema = V10.documentSchema;
export const arazzo11DocumentSchema = V11.documentSchema;

// Types: the 1.1 superset (every 1.1-only field optional).
export type ArazzoDocument = z.output<typeof V11.documentSchema>;
export type Workflow = z.output<typeof V11.workflowSchema>;
export type Step = z.output<typeof V11.stepSchema>;
export type Parameter = z.output<typeof V11.parameterSchema>;
export type Reusable = z.output<typeof V11.reusableSchema>;
export type SuccessAction = z.output<typeof V11.successActionSchema>;
export type FailureAction = z.output<typeof V11.failureActionSchema>;
export type Criterion = z.output<typeof V11.criterionSchema>;
export type RequestBody = z.output<typeof V11.requestBodySchema>;
export type PayloadReplacement = z.output<typeof V11.payloadReplacementSchema>;
export type SourceDescription = z.output<typeof V11.sourceDescriptionSchema>;
export type Components = z.output<typeof V11.componentsSchema>;
export type ExpressionTypeObject = z.output<typeof expressionTypeSchema>;
export type SelectorType = z.output<typeof selectorTypeSchema>;
export type SelectorObject = z.output<typeof selectorSchema>;
export type ParameterLocation = NonNullable<Parameter["in"]>;
