// Calling Restate workflows through the ingress, as a caller would: submit by workflow key, attach for the
// result. Plain fetch against Restate's HTTP ingress.

export interface Submission {
  readonly invocationId: string;
  /** "Accepted" for a new run; "PreviouslyAccepted" when the workflow key already has one. */
  readonly status: string;
}

export interface WorkflowResult {
  /** The ingress's status: 200 with the outputs, or the terminal error's code. */
  readonly status: number;
  readonly body: unknown;
}

const path = (segment: string) => encodeURIComponent(segment);

/** Starts the workflow's `run` for a key without waiting for it. */
export async function submit(ingressUrl: string, workflowId: string, key: string, inputs: unknown): Promise<Submission> {
  const response = await fetch(`${ingressUrl}/${path(workflowId)}/${path(key)}/run/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(inputs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`submitting ${workflowId}/${key}: ${response.status} ${text}`);
  return JSON.parse(text) as Submission;
}

/** Waits for the result of the workflow run of a key. */
export async function attach(ingressUrl: string, workflowId: string, key: string): Promise<WorkflowResult> {
  const response = await fetch(`${ingressUrl}/restate/workflow/${path(workflowId)}/${path(key)}/attach`);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, body };
}

/** Runs a workflow and waits for its result. */
export async function runWorkflow(ingressUrl: string, workflowId: string, key: string, inputs: unknown): Promise<WorkflowResult> {
  await submit(ingressUrl, workflowId, key, inputs);
  return attach(ingressUrl, workflowId, key);
}
