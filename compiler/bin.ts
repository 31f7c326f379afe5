#!/usr/bin/env node
// The installed `arazzoc` command. A plain `node` shebang (BusyBox's env has no -S, so the shebang cannot
// carry node flags). compile and check run in a node started with --max-semi-space-size=2: parsing a
// large OpenAPI description otherwise grows V8's young generation to 32 MiB that stay committed for the
// rest of the run, for no gain in speed (bench/compile measures both). V8 reads that flag when the heap
// is set up, so v8.setFlagsFromString comes too late: the flag needs a node of its own, started here
// only for the commands that parse documents. --version answers before anything else is loaded.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SEMI_SPACE_FLAG = "--max-semi-space-size=2";
const args = process.argv.slice(2);

if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  process.stdout.write(`${pkg.version}\n`);
} else if ((args[0] === "compile" || args[0] === "check") && !process.execArgv.some((flag) => flag.startsWith("--max-semi-space-size"))) {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, [...process.execArgv, SEMI_SPACE_FLAG, fileURLToPath(new URL("./cli.js", import.meta.url)), ...args], {
    stdio: "inherit",
  });
  // The child gets the terminal's Ctrl+C itself; a signal sent to this process alone is passed on.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exitCode = code ?? 1;
  });
} else {
  await import("./cli.js");
}
