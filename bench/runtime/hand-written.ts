// The yardstick of the runtime benchmark: the cleanup seed workflow (run-script-and-cleanup-job) written by
// hand with fetch, as a careful person would without arazzoc. Same requests, same checks of the status codes
// the document's success criteria name, same polling loop (wait, then poll again while `completed` is false),
// same outputs. What it leaves out is what the generated code adds: input validation, timeouts, hooks,
// secret redaction, typed errors.

export interface CleanupInputs {
  token: string;
  workspace: string;
  path: string;
  args: Record<string, unknown>;
}

export interface CleanupOutputs {
  jobId: string;
  result: unknown;
  success: boolean;
  deletedId: string;
}

export async function runScriptAndCleanupJobByHand(apiUrl: string, inputs: CleanupInputs, pollMs = 1000): Promise<CleanupOutputs> {
  const authorization = `Bearer ${inputs.token}`;
  const workspace = `${apiUrl}/w/${encodeURIComponent(inputs.workspace)}`;
  const expect = async (response: Response, status: number): Promise<Response> => {
    if (response.status !== status) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
    return response;
  };

  // runScript: POST /w/{workspace}/jobs/run/p/{path}; the body is the job id as text.
  const run = await fetch(`${workspace}/jobs/run/p/${encodeURIComponent(inputs.path)}`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(inputs.args),
  });
  const jobId = await (await expect(run, 201)).text();

  // pollResult: GET /w/{workspace}/jobs_u/completed/get_result_maybe/{id} until completed.
  for (;;) {
    const poll = await fetch(`${workspace}/jobs_u/completed/get_result_maybe/${encodeURIComponent(jobId)}`, { headers: { authorization } });
    const body = (await (await expect(poll, 200)).json()) as { completed?: boolean };
    if (body.completed !== false) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  // captureResult: GET /w/{workspace}/jobs_u/completed/get/{id}.
  const capture = await fetch(`${workspace}/jobs_u/completed/get/${encodeURIComponent(jobId)}`, { headers: { authorization } });
  const job = (await (await expect(capture, 200)).json()) as { result?: unknown; success: boolean };

  // deleteJob: POST /w/{workspace}/jobs/completed/delete/{id}.
  const removal = await fetch(`${workspace}/jobs/completed/delete/${encodeURIComponent(jobId)}`, {
    method: "POST",
    headers: { authorization },
  });
  const deleted = (await (await expect(removal, 200)).json()) as { id: string };

  return { jobId, result: job.result, success: job.success, deletedId: deleted.id };
}
