// The two in-process clients of the runtime benchmark, bundled by run.ts with esbuild as a user's build would
// compile them (run under tsx, every function would carry tsx's name-keeping wrapper).
export { runScriptAndCleanupJob } from "../../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
export { runScriptAndCleanupJobByHand } from "./hand-written.js";
