#!/usr/bin/env -S node --max-semi-space-size=2
// The command line: parses flags, calls compile(), prints diagnostics and sets the exit code
// (0 success, 1 errors or stale output, 2 usage). The shebang keeps V8's young generation small: parsing a
// large OpenAPI description otherwise grows it to 32 MiB that stay committed for the rest of the run, for
// no gain in speed (bench/compile measures both).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic, type Diagnostic } from "./diagnostics.js";
import { writeOutput } from "./emit/writer.js";
import { runGraphCommand } from "./graph-command.js";
import { compile } from "./index.js";

const USAGE = `Usage:
  arazzoc compile <file-or-folder>... --out <folder> [--check] [--source name=path]... [--allow-remote] [--strict] [--format text|json]
  arazzoc check <file-or-folder>... [--source name=path]... [--allow-remote] [--strict] [--format text|json]
  arazzoc graph <file-or-folder>... [--out <folder> [--check]] [--format mermaid|json] [--source name=path]...
  arazzoc docs <file-or-folder>... --out <folder> [--check] [--source name=path]...

Commands:
  compile   Validate Arazzo documents and write one TypeScript module per document, plus runtime.ts
  check     Validate only; write nothing
  graph     Draw each workflow's control flow: a Mermaid flowchart per document (.mmd), or with
            --format json the lowered program itself; printed, or written to --out
  docs      Write a Markdown page per document: workflows, inputs, outputs, steps and diagrams

Options:
  --out <folder>     Where compile writes the modules (graph and docs: their files)
  --check            With --out: write nothing; list stale or missing files and exit 1 if any
  --source <n>=<p>   Read source description <n> (its name or its url) from the local file <p>; repeatable
  --allow-remote     Read http(s) source URLs over the network (otherwise each is an error)
  --strict           Treat warnings as errors
  --format <f>       text (default) or json: diagnostics as JSON on standard output;
                     for graph, mermaid (default) or json
  -h, --help         Show this help
  -v, --version      Show the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

interface Printer {
  diagnostics(list: readonly Diagnostic[], sourceText: (file: string) => string | undefined): void;
  line(text: string): void;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        check: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        source: { type: "string", multiple: true, default: [] },
        "allow-remote": { type: "boolean", default: false },
        format: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`arazzoc: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...inputs] = positionals;
  const usage = (message: string): number => {
    process.stderr.write(`arazzoc: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (command !== "compile" && command !== "check" && command !== "graph" && command !== "docs")
    return usage(command === undefined ? "missing command" : `unknown command '${command}'`);
  if (inputs.length === 0) return usage(`${command} needs at least one Arazzo file or folder`);
  const drawing = command === "graph" || command === "docs";
  if (!drawing && values.format !== undefined && values.format !== "text" && values.format !== "json")
    return usage(`--format must be text or json, not '${values.format}'`);
  if (command === "graph" && values.format !== undefined && values.format !== "mermaid" && values.format !== "json")
    return usage(`--format of graph must be mermaid or json, not '${values.format}'`);
  if (command === "docs" && values.format !== undefined) return usage("docs writes Markdown; --format belongs to compile, check and graph");
  if (command === "docs" && values.out === undefined) return usage("docs needs --out <folder>");
  if (command === "graph" && values.check && values.out === undefined) return usage("graph --check needs --out <folder> to compare with");
  if (command === "compile" && values.out === undefined) return usage("compile needs --out <folder>");
  if (command === "check" && (values.out !== undefined || values.check))
    return usage("check writes nothing; --out and --check belong to compile");

  const sources: Record<string, string> = {};
  for (const mapping of values.source) {
    const eq = mapping.indexOf("=");
    if (eq <= 0 || eq === mapping.length - 1) return usage(`--source takes name=path, not '${mapping}'`);
    sources[mapping.slice(0, eq)] = mapping.slice(eq + 1);
  }

  if (drawing) {
    const options = { inputs, sources, allowRemote: values["allow-remote"], strict: values.strict, out: values.out, check: values.check };
    return runGraphCommand(command, values.format === "json" ? "json" : "mermaid", options);
  }

  const json = values.format === "json";
  const result = await compile({ inputs, emit: command === "compile", sources, allowRemote: values["allow-remote"] });
  const diagnostics = values.strict
    ? result.diagnostics.map((d) => (d.severity === "warning" ? { ...d, severity: "error" as const } : d))
    : result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;

  const printer: Printer = {
    diagnostics(list, sourceText) {
      for (const d of list) process.stderr.write(formatDiagnostic(d, sourceText(d.file), sourceText) + "\n\n");
    },
    line(text) {
      process.stderr.write(text + "\n");
    },
  };

  let report: ReturnType<typeof writeOutput> | undefined;
  if (command === "compile" && errors === 0) report = writeOutput(resolve(values.out!), result.files, values.check);

  if (json) {
    process.stdout.write(JSON.stringify({ diagnostics, ...(report ? { files: report } : {}) }, null, 2) + "\n");
  } else {
    printer.diagnostics(diagnostics, result.sourceText);
    const counts = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
    if (errors > 0) printer.line(`arazzoc: ${counts}; nothing written.`);
    else if (report && values.check) {
      for (const name of report.stale) printer.line(`stale: ${name}`);
      for (const name of report.missing) printer.line(`missing: ${name}`);
      const outdated = report.stale.length + report.missing.length;
      printer.line(
        outdated > 0
          ? `arazzoc: ${outdated} file${outdated === 1 ? "" : "s"} out of date in ${values.out}; run arazzoc compile without --check.`
          : `arazzoc: ${values.out} is up to date (${counts}).`,
      );
    } else if (report) {
      printer.line(
        `arazzoc: wrote ${report.written.length} file${report.written.length === 1 ? "" : "s"}, ${report.unchanged.length} unchanged, in ${values.out} (${counts}).`,
      );
    } else {
      printer.line(`arazzoc: checked ${inputs.join(", ")} (${counts}).`);
    }
  }
  if (errors > 0) return 1;
  if (report && values.check && report.stale.length + report.missing.length > 0) return 1;
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A failure here is a bug in arazzoc, never a problem of the input: say so plainly.
    process.stderr.write(
      `arazzoc: internal error: ${error instanceof Error ? error.message : String(error)}\nPlease report this with the input that caused it.\n`,
    );
    if (process.env["ARAZZOC_DEBUG"]) process.stderr.write(`${(error as Error).stack ?? ""}\n`);
    process.exitCode = 70;
  },
);
