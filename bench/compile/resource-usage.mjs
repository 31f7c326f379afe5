// Preloaded into each measured child (`node --import ./resource-usage.mjs <cli> ...`): when the process
// exits, writes its peak resident set size (process.resourceUsage().maxRSS, in KiB) and the CPU time it
// used (user + system, all threads, in microseconds) as JSON to the file named by BENCH_USAGE_FILE.
// The 'exit' event fires however the CLI ends (return, process.exit, exitCode).
import { writeFileSync } from "node:fs";

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, JSON.stringify({ maxRSS: usage.maxRSS, cpu: usage.userCPUTime + usage.systemCPUTime }));
  });
}
