// zod schemas of every Arazzo 1.0.x object (reference §2). Each object rejects unknown fields except `x-`
// extensions; the Reusable Object takes no extensions at all. The `retry` rule is the corrected one of
// the 1.0 development schema: retryAfter and stepId/workflowId are optional for retry.
import { z } from "zod";

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

export const infoSchema = arazzoObject("Info", {
  title: z.string(),
  summary: z.string().optional(),
  description: z.string().optional(),
  version: z.string(),
});

export const sourceDescriptionSchema = arazzoObject("Source Description", {
  name: z.string().regex(NAME, "must match ^[A-Za-z0-9_\\-]+$"),
  url: nonEmptyString,
  type: z.enum(["openapi", "arazzo"]).optional(),
});

export const criterionExpressionTypeSchema = arazzoObject("Criterion Expression Type", {
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

export const criterionSchema = arazzoObject("Criterion", {
  context: z.string().optional(),
  condition: z.string(),
  type: z.union([z.enum(["simple", "regex", "jsonpath", "xpath"]), criterionExpressionTypeSchema]).optional(),
});

export const reusableSchema = arazzoObject(
  "Reusable Object",
  {
    reference: nonEmptyString,
    value: z.unknown().optional(),
  },
  false,
);

const parameterLocation = z.enum(["path", "query", "header", "cookie"]);

export const parameterSchema = arazzoObject("Parameter", {
  name: nonEmptyString,
  in: parameterLocation.optional(),
  value: z.unknown(),
}).superRefine((value, ctx) => {
  if (!("value" in (value as object)))
    ctx.addIssue({ code: "custom", path: ["value"], message: "missing required field", params: { kind: "missing", field: "value" } });
});

const actionTarget = {
  workflowId: nonEmptyString.optional(),
  stepId: nonEmptyString.optional(),
};

function checkTarget(
  value: { type: string; workflowId?: string | undefined; stepId?: string | undefined },
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
}

export const successActionSchema = arazzoObject("Success Action", {
  name: nonEmptyString,
  type: z.enum(["end", "goto"]),
  ...actionTarget,
  criteria: z.array(criterionSchema).min(1).optional(),
}).superRefine((value, ctx) => checkTarget(value, ctx, ["goto"]));

export const failureActionSchema = arazzoObject("Failure Action", {
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

/** A Reusable Object is recognised by its `reference` field; anything else is the inline object. */
function orReusable<T extends z.ZodType>(inline: T) {
  return z.union([reusableSchema, inline]);
}

export const payloadReplacementSchema = arazzoObject("Payload Replacement", {
  target: nonEmptyString,
  value: z.unknown(),
});

export const requestBodySchema = arazzoObject("Request Body", {
  contentType: nonEmptyString.optional(),
  payload: z.unknown().optional(),
  replacements: z.array(payloadReplacementSchema).optional(),
});

// Outputs are runtime expressions; a constant scalar is accepted and reported (AZC3025) by the check stage.
const outputsMap = keyedMap(z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const stepSchema = arazzoObject("Step", {
  stepId: nonEmptyString,
  description: z.string().optional(),
  operationId: nonEmptyString.optional(),
  operationPath: nonEmptyString.optional(),
  workflowId: nonEmptyString.optional(),
  parameters: z.array(orReusable(parameterSchema)).optional(),
  requestBody: requestBodySchema.optional(),
  successCriteria: z.array(criterionSchema).min(1).optional(),
  onSuccess: z.array(orReusable(successActionSchema)).optional(),
  onFailure: z.array(orReusable(failureActionSchema)).optional(),
  outputs: outputsMap.optional(),
}).superRefine((step, ctx) => {
  const targets = (["operationId", "operationPath", "workflowId"] as const).filter((k) => step[k] !== undefined);
  if (targets.length === 0) {
    ctx.addIssue({ code: "custom", path: ["stepId"], message: "a step needs exactly one of operationId, operationPath or workflowId" });
  } else if (targets.length > 1) {
    ctx.addIssue({ code: "custom", path: [targets[1]!], message: `${targets.join(" and ")} are mutually exclusive` });
  }
});

const jsonSchemaObject = z.record(z.string(), z.unknown());

export const workflowSchema = arazzoObject("Workflow", {
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

export const componentsSchema = arazzoObject("Components", {
  inputs: keyedMap(jsonSchemaObject).optional(),
  parameters: keyedMap(parameterSchema).optional(),
  successActions: keyedMap(successActionSchema).optional(),
  failureActions: keyedMap(failureActionSchema).optional(),
});

export const arazzoDocumentSchema = arazzoObject("Arazzo document", {
  arazzo: z.string().regex(/^1\.0\.\d+(-.+)?$/, "must be a 1.0.x version"),
  info: infoSchema,
  sourceDescriptions: z.array(sourceDescriptionSchema).min(1, "at least one source description is needed"),
  workflows: z.array(workflowSchema).min(1, "at least one workflow is needed"),
  components: componentsSchema.optional(),
});

export type ArazzoDocument = z.output<typeof arazzoDocumentSchema>;
export type Workflow = z.output<typeof workflowSchema>;
export type Step = z.output<typeof stepSchema>;
export type Parameter = z.output<typeof parameterSchema>;
export type Reusable = z.output<typeof reusableSchema>;
export type SuccessAction = z.output<typeof successActionSchema>;
export type FailureAction = z.output<typeof failureActionSchema>;
export type Criterion = z.output<typeof criterionSchema>;
export type RequestBody = z.output<typeof requestBodySchema>;
export type SourceDescription = z.output<typeof sourceDescriptionSchema>;
export type Components = z.output<typeof componentsSchema>;
