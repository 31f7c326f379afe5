// Preloaded into each measured child (`node --import ./resource-usage.mjs <cli> ...`): when the process
// exits, writes its peak resident set size (process.resourceUsage().maxRSS, in KiB) and the CPU time it
// used (user + system, all threads, in microseconds) as JSON to the file named by BENCH_USAGE_FILE.
// The 'exit' event fires however the CLI ends (return, process.exit, exitCode). A command that runs in
// more than one node (the bin starts compile in a node with its own flags, which inherits this preload)
// reports the largest peak of its processes and the sum of their CPU time: each merges into the file.
import { readFileSync, writeFileSync } from "node:fs";

const target = process.env.BENCH_USAGE_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    let earlier = { maxRSS: 0, cpu: 0 };
    try {
      earlier = JSON.parse(readFileSync(target, "utf8"));
    } catch {
      // the first process to exit
    }
    const cpu = usage.userCPUTime + usage.systemCPUTime;
    writeFileSync(target, JSON.stringify({ maxRSS: Math.max(earlier.maxRSS, usage.maxRSS), cpu: earlier.cpu + cpu }));
  });
}
