// `arazzoc graph` and `arazzoc docs` on the command line: run the front end, draw or document the lowered
// program, then print it or write one file per document. Diagnostics go to standard error as with check;
// a document with errors stops the run before anything is printed or written.
import { resolve } from "node:path";
import { formatDiagnostic } from "./diagnostics.js";
import type { GraphFormat } from "./emit/graph.js";
import { writeOutput } from "./output/write.js";
import { docs, graph, type CompileOptions } from "./index.js";

export interface GraphCommandOptions {
  readonly inputs: readonly string[];
  /** Where sources come from and the limits of reading them, as for compile. */
  readonly reading: Omit<CompileOptions, "inputs" | "emit" | "target">;
  readonly strict: boolean;
  /** Write one file per document here; without it, graph prints. */
  readonly out: string | undefined;
  /** With out: compare instead of writing. */
  readonly check: boolean;
}

/** Returns the exit code: 0, or 1 for errors and for out-of-date files under --check. */
export async function runGraphCommand(command: "graph" | "docs", format: GraphFormat, options: GraphCommandOptions): Promise<number> {
  const compileOptions = { inputs: options.inputs, ...options.reading };
  const result = command === "graph" ? await graph({ ...compileOptions, format }) : { ...(await docs(compileOptions)), text: "" };
  const diagnostics = options.strict
    ? result.diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d))
    : result.diagnostics;
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d, result.sourceText(d.file)) + "\n\n");
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const counts = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (errors > 0) {
    say(`arazzoc: ${counts}; nothing ${options.out === undefined ? "printed" : "written"}.`);
    return 1;
  }
  const documents = `${result.program.modules.length} document${result.program.modules.length === 1 ? "" : "s"}`;
  if (options.out === undefined) {
    process.stdout.write(result.text);
    say(`arazzoc: drew ${documents} (${counts}).`);
    return 0;
  }
  const report = writeOutput(resolve(options.out), result.files, new Map(), { check: options.check, manifest: false });
  if (report.diagnostics.length > 0) {
    for (const d of report.diagnostics) process.stderr.write(formatDiagnostic(d) + "\n\n");
    say(`arazzoc: ${report.diagnostics.length} error${report.diagnostics.length === 1 ? "" : "s"}; nothing written.`);
    return 1;
  }
  if (options.check) {
    for (const name of report.stale) say(`stale: ${name}`);
    for (const name of report.missing) say(`missing: ${name}`);
    const outdated = report.stale.length + report.missing.length;
    say(
      outdated > 0
        ? `arazzoc: ${outdated} file${outdated === 1 ? "" : "s"} out of date in ${options.out}; run arazzoc ${command} without --check.`
        : `arazzoc: ${options.out} is up to date (${counts}).`,
    );
    return outdated > 0 ? 1 : 0;
  }
  const written = report.written.length;
  say(`arazzoc: wrote ${written} file${written === 1 ? "" : "s"}, ${report.unchanged.length} unchanged, in ${options.out} (${counts}).`);
  return 0;
}
