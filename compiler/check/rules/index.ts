// The validation rules, in the order they run. Each is one concern in its own file with its own test
// (test/rules/); lowering reports what it cannot lower, the rules what is wrong with what was lowered.
import { dependsOnAcyclic } from "./depends-on-acyclic.js";
import { inheritedReads } from "./inherited-reads.js";
import { inputPointers } from "./input-pointers.js";
import { outputPointers } from "./output-pointers.js";
import { messageAmbiguous } from "./message-ambiguous.js";
import { messageChannelOperation } from "./message-channel-operation.js";
import { messagePayloadRequired } from "./message-payload-required.js";
import { messageSelfReceive } from "./message-self-receive.js";
import { messageSubscriptions } from "./message-subscriptions.js";
import { parameterLocation } from "./parameter-location.js";
import { parametersDeclared } from "./parameters-declared.js";
import { querystringParameters } from "./querystring-parameters.js";
import { reachableSteps } from "./reachable-steps.js";
import { requiredParameters } from "./required-parameters.js";
import { requestContentType } from "./request-content-type.js";
import { requiredRequestBody } from "./required-request-body.js";
import { responsePointers } from "./response-pointers.js";
import type { Rule } from "./rule.js";
import { stepDependenciesMet } from "./step-dependencies-met.js";
import { stepOutputReads } from "./step-output-reads.js";
import { uniqueActionNames } from "./unique-action-names.js";
import { uniqueDependencies } from "./unique-dependencies.js";
import { uniqueParameters } from "./unique-parameters.js";
import { uniqueSourceNames } from "./unique-source-names.js";
import { uniqueStepIds } from "./unique-step-ids.js";
import { uniqueWorkflowIds } from "./unique-workflow-ids.js";
import { workflowCallBody } from "./workflow-call-body.js";
import { workflowCallInputs } from "./workflow-call-inputs.js";
import { workflowCallParameters } from "./workflow-call-parameters.js";
import { workflowReads } from "./workflow-reads.js";

export type { Rule, RuleContext } from "./rule.js";

export const RULES: readonly Rule[] = [
  uniqueWorkflowIds,
  uniqueSourceNames,
  uniqueStepIds,
  uniqueParameters,
  uniqueActionNames,
  uniqueDependencies,
  dependsOnAcyclic,
  parameterLocation,
  parametersDeclared,
  querystringParameters,
  requiredParameters,
  requiredRequestBody,
  requestContentType,
  workflowCallParameters,
  workflowCallInputs,
  workflowCallBody,
  inheritedReads,
  stepOutputReads,
  workflowReads,
  stepDependenciesMet,
  reachableSteps,
  responsePointers,
  outputPointers,
  inputPointers,
  messageSubscriptions,
  messageSelfReceive,
  messagePayloadRequired,
  messageAmbiguous,
  messageChannelOperation,
];
