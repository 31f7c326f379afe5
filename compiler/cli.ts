#!/usr/bin/env node
// The command line: reads the config, parses flags (which override it), runs a command and prints
// diagnostics and a one-line summary per project. Exit codes: 0 success, 1 errors or stale output,
// 2 usage. The installed bin is bin.ts, which sets V8 flags and answers --version before loading this.
import { readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { configPath, loadConfig, type ResolvedProject } from "./config.js";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { IMPORT_EXTENSIONS } from "./emit/specifiers.js";
import { compile, type CompileOptions, type CompileResult } from "./index.js";
import { displayPathOf, parseByteSize } from "./load/files.js";
import { runGraphCommand } from "./graph-command.js";
import { writeOutput, type WriteReport } from "./output/write.js";
import { colours, explain, githubAnnotations, OUTPUT_FORMATS, printable, sarifLog, textDiagnostic, type OutputFormat } from "./report.js";
import { closest } from "./suggest.js";

const USAGE = `Usage:
  arazzoc compile <file-or-folder>... --out <folder> [--check [--diff]] [--watch] [--durable restate] [options]
  arazzoc check <file-or-folder>... [options]
  arazzoc graph [<file-or-folder>...] [--out <folder> [--check]] [--format mermaid|json] [--source name=path]...
  arazzoc docs [<file-or-folder>...] --out <folder> [--check] [--source name=path]...
  arazzoc upgrade <file-or-folder>... [--out <file-or-folder> | --check] [--format text|json]
  arazzoc explain <code>

Commands:
  compile   Validate Arazzo documents and write one TypeScript module per document, plus the runtime
  check     Validate only; write nothing
  graph     Draw each workflow's control flow: a Mermaid flowchart per document (.mmd), or with
            --format json the lowered program itself; printed, or written to --out
  docs      Write a Markdown page per document: workflows, inputs, outputs, steps and diagrams
  upgrade   Rewrite Arazzo 1.0.x documents to 1.1.0 in place (or to --out), keeping comments and formatting;
            with --check, list what it would change and exit 1 if anything would (docs/upgrade.md)
  explain   Print the documentation of a diagnostic code (e.g. AZC3002)

Inputs are files, folders (searched for Arazzo documents) or globs. Without inputs, the projects of the config file (arazzoc.config.ts, .mjs or .json, found upward from
the working folder) are compiled; flags override the config.

Options:
  --out <folder>          Where compile writes the modules
  --check                 With compile: write nothing; list stale, missing and orphaned files, exit 1 if any
  --diff                  With --check: print a unified diff of each file that differs
  --watch                 With compile: compile again whenever a document or a file it reads changes
  --source <n>=<p>        Read source description <n> (its name or its url) from the local file <p>; repeatable
  --allow-remote          Read http(s) source URLs over the network (otherwise each is an error)
  --strict                Treat warnings as errors
  --format <f>            Diagnostics as text (default), json, sarif or github (annotations), on standard output
                          for all but text; for graph, mermaid (default) or json
  --config <file>         Use this config file instead of searching for one
  --no-config             Use no config file
  --project <name>        Only this project of the config
  --root <folder>         The project folder: documents may name only files inside it
                          (default: the checkout of the first input: package.json or .git)
  --allow-outside-root    Let documents name files outside the project folder
  --max-file-size <size>  Largest document read, local or remote (default 64MiB; e.g. 256MiB)
  --allow-remote-host <h> Let remote reads reach this host even at a loopback, private or link-local address
                          (repeatable; default: public addresses only)
  --remote-timeout <ms>   One time budget for all remote reads (default 30000)
  --import-extension <e>  Extension of imports in generated code: .js (default), .ts or none
  --runtime <mode>        copy (default): write runtime.ts; package: import it from arazzoc/runtime
  --code-style <s>        prettier (default): the project's Prettier config; arazzoc: arazzoc's fixed style
  --banner <comment>      A comment line put under the header of every generated file; repeatable
  --lint-disable          Put /* eslint-disable */ under the header of every generated file
  --durable restate       With compile: also write <module>.restate.ts, the workflows as Restate workflows
                          (docs/durable.md)
  --step-concurrency <m>  sequential (default): one step at a time; concurrent: independent steps of workflows
                          with step dependsOn run concurrently (docs/generated-code.md)
  --time                  Show the time taken in the summary (shown anyway on a terminal)
  -h, --help              Show this help
  -v, --version           Show the version
`;

const FLAGS = {
  out: { type: "string" },
  check: { type: "boolean" },
  diff: { type: "boolean" },
  watch: { type: "boolean" },
  strict: { type: "boolean" },
  source: { type: "string", multiple: true },
  "allow-remote": { type: "boolean" },
  format: { type: "string" },
  config: { type: "string" },
  "no-config": { type: "boolean" },
  project: { type: "string" },
  root: { type: "string" },
  "allow-outside-root": { type: "boolean" },
  "max-file-size": { type: "string" },
  "allow-remote-host": { type: "string", multiple: true },
  "remote-timeout": { type: "string" },
  "import-extension": { type: "string" },
  runtime: { type: "string" },
  "code-style": { type: "string" },
  banner: { type: "string", multiple: true },
  "lint-disable": { type: "boolean" },
  durable: { type: "string" },
  "step-concurrency": { type: "string" },
  time: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>["values"];

interface Context {
  readonly command: string;
  readonly flags: Flags;
  readonly inputs: string[];
  readonly cwd: string;
  readonly format: OutputFormat;
  readonly usage: (message: string) => number;
}

/** The commands; each gets the parsed flags and returns the exit code. */
const COMMANDS: Record<string, { readonly run: (context: Context) => Promise<number> }> = {
  compile: { run: (context) => build(context, true) },
  check: { run: (context) => build(context, false) },
  explain: { run: runExplain },
  graph: { run: (context) => runDrawing("graph", context) },
  docs: { run: (context) => runDrawing("docs", context) },
  upgrade: { run: runUpgrade },
};

/**
 * upgrade: rewrites Arazzo 1.0.x documents to 1.1.0 (upgrade.ts), in place or to --out; with --check, lists
 * what it would change and exits 1 when anything would. The config gives inputs and how sources are read.
 */
async function runUpgrade(context: Context): Promise<number> {
  const { flags, cwd, usage, format } = context;
  if (format !== "text" && format !== "json") return usage(`--format of upgrade must be text or json, not '${format}'`);
  if (flags.diff || flags.watch) return usage("--diff and --watch belong to compile");
  if (flags.check && flags.out !== undefined) return usage("upgrade --check writes nothing; --out does not go with it");
  const configDiagnostics: Diagnostic[] = [];
  const chosen = await projects(context, configDiagnostics);
  if (typeof chosen === "number") return chosen;
  const err = process.stderr;
  const paint = colours(err);
  if (configDiagnostics.some((d) => d.severity === "error")) {
    for (const d of configDiagnostics) err.write(textDiagnostic(d, undefined, paint) + "\n\n");
    err.write("arazzoc: the config has errors; nothing upgraded.\n");
    return 1;
  }
  const { destinations, upgrade, writeUpgraded } = await import("./upgrade-command.js");
  const runs = [];
  for (const project of chosen) {
    const { outDir: _outDir, format: _format, importExtension: _ext, runtime: _runtime, banner: _banner, durable: _durable, ...reading } = project.options;
    runs.push(await upgrade({ inputs: project.inputs, reading, cwd }));
  }
  const documents = runs.flatMap((r) => r.documents);
  const diagnostics = sortDiagnostics([...runs.flatMap((r) => r.diagnostics), ...documents.flatMap((d) => d.diagnostics)]);
  const targets = destinations({ documents, diagnostics: [] }, flags.out, cwd);
  const failed = diagnostics.some((d) => d.severity === "error");
  const written = flags.check || failed ? [] : writeUpgraded({ documents, diagnostics: [] }, targets);
  if (format === "json") {
    const list = documents.map(({ path, base: _base, text: _text, original: _original, diagnostics: own, ...rest }) => ({
      ...rest,
      ...(written.includes(targets.get(path)!) ? { writtenTo: displayPathOf(targets.get(path)!, cwd) } : {}),
      diagnostics: own,
    }));
    process.stdout.write(JSON.stringify({ documents: list, diagnostics }, null, 2) + "\n");
  } else {
    for (const document of documents)
      for (const change of document.changes) err.write(`${document.file}:${change.line}:${change.column} - ${flags.check ? "would upgrade" : "upgraded"}: ${change.what}\n`);
    // Frames show the documents as they were: the positions are the original's.
    const originals = new Map(documents.map((d) => [d.file, d.original] as const));
    for (const d of diagnostics) err.write(textDiagnostic(d, originals.get(d.file), paint, (file) => originals.get(file)) + "\n\n");
  }
  const changed = documents.filter((d) => d.changed).length;
  const current = documents.filter((d) => !d.changed && d.from !== undefined && !d.diagnostics.some((x) => x.code === "AZC7020")).length;
  const changes = documents.reduce((n, d) => n + d.changes.length, 0);
  const hand = diagnostics.filter((d) => d.severity === "warning").length;
  if (format === "text") {
    const what = flags.check ? `${changed} would be upgraded` : failed ? "nothing written" : `${changed} upgraded`;
    const where = !flags.check && !failed && flags.out !== undefined ? ` into ${displayPathOf(resolve(cwd, flags.out), cwd) || "."}` : "";
    err.write(
      `arazzoc: ${plural(documents.length, "document")}; ${what}${where} (${plural(changes, "change")}), ${current} already 1.1; ${hand} to fix by hand${failed ? `; ${plural(diagnostics.length - hand, "error")}` : ""}${flags.check && changed > 0 ? "; run arazzoc upgrade without --check" : ""}.\n`,
    );
  }
  if (failed) return 1;
  return flags.check && changed > 0 ? 1 : 0;
}

/**
 * graph and docs: the lowered program drawn or documented (graph-command.ts). They read the config as
 * compile does (its inputs, root, source mappings, remote policy and severities; flags override it), but
 * never its outDir, which holds modules: they write only where --out says, a folder per project when the
 * config has several.
 */
async function runDrawing(command: "graph" | "docs", context: Context): Promise<number> {
  const { flags, usage } = context;
  if (command === "graph" && flags.format !== undefined && flags.format !== "mermaid" && flags.format !== "json")
    return usage(`--format of graph must be mermaid or json, not '${flags.format}'`);
  if (command === "docs" && flags.format !== undefined) return usage("docs writes Markdown; --format belongs to compile, check and graph");
  if (command === "docs" && flags.out === undefined) return usage("docs needs --out <folder>");
  if (command === "graph" && flags.check && flags.out === undefined) return usage("graph --check needs --out <folder> to compare with");
  const configDiagnostics: Diagnostic[] = [];
  const chosen = await projects(context, configDiagnostics);
  if (typeof chosen === "number") return chosen;
  if (configDiagnostics.some((d) => d.severity === "error")) {
    for (const d of configDiagnostics) process.stderr.write(formatDiagnostic(d) + "\n\n");
    process.stderr.write(`arazzoc: the config has errors; nothing ${flags.out === undefined ? "printed" : "written"}.\n`);
    return 1;
  }
  let code = 0;
  for (const [index, project] of chosen.entries()) {
    // The modules' own options (output folder, style, durable target) mean nothing to a drawing.
    const { outDir: _outDir, format: _format, importExtension: _ext, runtime: _runtime, banner: _banner, durable: _durable, ...reading } = project.options;
    const out = flags.out === undefined ? undefined : chosen.length > 1 ? join(flags.out, project.name ?? String(index + 1)) : flags.out;
    if (chosen.length > 1 && project.name !== undefined) process.stderr.write(`arazzoc [${project.name}]:\n`);
    const options = { inputs: project.inputs, reading, strict: Boolean(reading.strict), out, check: Boolean(flags.check) };
    code = Math.max(code, await runGraphCommand(command, flags.format === "json" ? "json" : "mermaid", options));
  }
  return code;
}

/** The limits of reading documents, from the flags (already checked by checkFlagValues). */
function readingFlags(flags: Flags): Partial<CompileOptions> {
  const maxFileBytes = flags["max-file-size"] === undefined ? undefined : parseByteSize(flags["max-file-size"]);
  return {
    ...(flags["allow-outside-root"] ? { allowOutsideRoot: true } : {}),
    ...((flags["allow-remote-host"] ?? []).length > 0 ? { allowRemoteHosts: flags["allow-remote-host"]! } : {}),
    ...(maxFileBytes !== undefined ? { maxFileBytes } : {}),
    ...(flags["remote-timeout"] !== undefined ? { remoteTimeoutMs: Number(flags["remote-timeout"]) } : {}),
  };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function runExplain({ inputs, usage }: Context): Promise<number> {
  if (inputs.length !== 1) return usage("explain takes one diagnostic code, e.g. arazzoc explain AZC3002");
  const code = inputs[0]!.toUpperCase();
  const text = explain(code);
  if (text === undefined) {
    const { catalogue } = await import("./diagnostics.js");
    const hint = closest(code, Object.keys(catalogue));
    return usage(`unknown diagnostic code '${inputs[0]}'${hint ? `; did you mean ${hint}?` : ""}`);
  }
  process.stdout.write(text);
  return 0;
}

/** The projects to run: the config's (or one of them), or the inputs on the command line, flags applied. */
async function projects(context: Context, diagnostics: Diagnostic[]): Promise<ResolvedProject[] | number> {
  const { flags, inputs, cwd, usage } = context;
  const path = flags["no-config"] ? undefined : configPath(flags.config, cwd);
  let configured: ResolvedProject[] = [];
  let folder: string | undefined;
  if (path !== undefined) {
    const loaded = await loadConfig(path, cwd);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.diagnostics.some((d) => d.severity === "error")) return [];
    configured = loaded.projects;
    folder = loaded.folder;
  }
  if (flags.project !== undefined) {
    const names = configured.flatMap((p) => (p.name !== undefined ? [p.name] : []));
    configured = configured.filter((p) => p.name === flags.project);
    if (configured.length === 0) {
      const hint = closest(flags.project, names);
      return usage(
        `no project '${flags.project}' in ${path === undefined ? "the config (there is no config file)" : relative(cwd, path) || path}${hint ? `; did you mean '${hint}'?` : names.length > 0 ? ` (projects: ${names.join(", ")})` : ""}`,
      );
    }
  }
  let chosen: ResolvedProject[];
  if (inputs.length > 0) {
    // Inputs on the command line replace the config's; its options still apply.
    const base = configured.length === 1 ? configured[0]!.options : folder !== undefined ? { pathsFrom: folder } : {};
    chosen = [{ inputs, ...(configured.length === 1 && configured[0]!.outDir ? { outDir: configured[0]!.outDir } : {}), options: base }];
  } else chosen = configured;
  if (chosen.length === 0)
    return usage(
      path === undefined ? `${context.command} needs Arazzo files, folders or globs (or a config file naming them)` : `the config ${relative(cwd, path)} names no inputs`,
    );
  return chosen.map((project) => applyFlags(project, flags, cwd));
}

function applyFlags(project: ResolvedProject, flags: Flags, cwd: string): ResolvedProject {
  const options: Record<string, unknown> = { ...project.options, cwd };
  const sources: Record<string, string> = { ...(project.options.sources ?? {}) };
  for (const mapping of flags.source ?? []) {
    const eq = mapping.indexOf("=");
    sources[mapping.slice(0, eq)] = resolve(cwd, mapping.slice(eq + 1));
  }
  // A mapping the documents do not use is reported where it was written.
  if ((flags.source ?? []).length > 0) delete options["sourcesFrom"];
  if (Object.keys(sources).length > 0) options["sources"] = sources;
  if (flags["allow-remote"]) options["allowRemote"] = true;
  if (flags.strict) options["strict"] = true;
  if (flags.root !== undefined) options["root"] = resolve(cwd, flags.root);
  Object.assign(options, readingFlags(flags));
  if (flags["import-extension"] !== undefined) options["importExtension"] = flags["import-extension"];
  if (flags.runtime !== undefined) options["runtime"] = flags.runtime;
  if (flags["code-style"] !== undefined) options["format"] = flags["code-style"];
  if (flags.durable !== undefined) options["durable"] = flags.durable;
  if (flags["step-concurrency"] !== undefined) options["stepConcurrency"] = flags["step-concurrency"];
  const banner = [...(flags["lint-disable"] ? ["/* eslint-disable */"] : []), ...(flags.banner ?? [])];
  if (banner.length > 0) options["banner"] = [...new Set([...((project.options.banner as string[] | undefined) ?? []), ...banner])];
  const outDir = flags.out !== undefined ? resolve(cwd, flags.out) : project.outDir;
  if (outDir !== undefined) options["outDir"] = outDir;
  return { ...project, ...(outDir !== undefined ? { outDir } : {}), options: options as ResolvedProject["options"] };
}

/** Flag values that are not free text: checked before anything runs. */
function checkFlagValues(command: string, flags: Flags, usage: (message: string) => number): number | undefined {
  const oneOf = (flag: string, value: string | undefined, allowed: readonly string[]) => {
    if (value === undefined || allowed.includes(value)) return undefined;
    const hint = closest(value, allowed);
    return usage(`--${flag} must be ${allowed.join(", ")}, not '${value}'${hint ? `; did you mean '${hint}'?` : ""}`);
  };
  return (
    // graph and docs check their own --format.
    (command === "graph" || command === "docs" ? undefined : oneOf("format", flags.format, OUTPUT_FORMATS)) ??
    oneOf("import-extension", flags["import-extension"], IMPORT_EXTENSIONS) ??
    oneOf("runtime", flags.runtime, ["copy", "package"]) ??
    oneOf("code-style", flags["code-style"], ["prettier", "arazzoc"]) ??
    oneOf("step-concurrency", flags["step-concurrency"], ["sequential", "concurrent"]) ??
    (flags.durable !== undefined && command !== "compile"
      ? usage(command === "check" ? "check writes nothing; --durable belongs to compile" : `--durable belongs to compile, not ${command}`)
      : undefined) ??
    (flags.durable !== undefined && flags.durable !== "restate" ? usage(`--durable supports restate, not '${flags.durable}'`) : undefined) ??
    (flags["max-file-size"] !== undefined && parseByteSize(flags["max-file-size"]) === undefined
      ? usage(`--max-file-size takes a size such as 64MiB or 1048576, not '${flags["max-file-size"]}'`)
      : undefined) ??
    (flags["remote-timeout"] !== undefined && !/^[1-9]\d*$/.test(flags["remote-timeout"])
      ? usage(`--remote-timeout takes a number of milliseconds, not '${flags["remote-timeout"]}'`)
      : undefined) ??
    (flags.source ?? []).reduce<number | undefined>((failed, mapping) => {
      const eq = mapping.indexOf("=");
      return failed ?? (eq <= 0 || eq === mapping.length - 1 ? usage(`--source takes name=path, not '${mapping}'`) : undefined);
    }, undefined) ??
    (flags.banner ?? []).reduce<number | undefined>(
      (failed, line) => failed ?? (/^\s*(\/\/[^\n\r]*|\/\*(?:(?!\*\/)[^])*\*\/)\s*$/.test(line) ? undefined : usage(`--banner takes a comment (// … or /* … */), not '${line}'`)),
      undefined,
    )
  );
}

interface ProjectRun {
  readonly project: ResolvedProject;
  readonly result?: CompileResult;
  readonly report?: WriteReport;
  readonly diagnostics: Diagnostic[];
}

async function build(context: Context, emit: boolean): Promise<number> {
  const { flags, cwd, usage, format } = context;
  if (!emit && (flags.out !== undefined || flags.check || flags.diff || flags.watch))
    return usage("check writes nothing; --out, --check, --diff and --watch belong to compile");
  if (flags.diff && !flags.check) return usage("--diff shows what --check finds: use compile --check --diff");
  if (flags.watch && flags.check) return usage("--watch writes the output; it does not go with --check");
  const started = performance.now();
  const configDiagnostics: Diagnostic[] = [];
  const chosen = await projects(context, configDiagnostics);
  if (typeof chosen === "number") return chosen;
  if (emit) {
    const without = chosen.find((p) => p.outDir === undefined);
    if (without) return usage(`compile needs --out <folder>${without.name ? ` (project ${without.name} has no outDir)` : ""}`);
  }
  const err = process.stderr;
  const paint = colours(err);
  const showTime = Boolean(flags.time) || Boolean(err.isTTY);
  const printDiagnostics = (list: readonly Diagnostic[], result?: CompileResult) => {
    if (format === "text") for (const d of list) err.write(textDiagnostic(d, result?.sourceText(d.file), paint, result?.sourceText) + "\n\n");
    else if (format === "github") process.stdout.write(githubAnnotations(list));
  };
  const counts = (list: readonly Diagnostic[]) => {
    const errors = list.filter((d) => d.severity === "error").length;
    return `${plural(errors, "error")}, ${plural(list.length - errors, "warning")}`;
  };
  const display = (path: string) => displayPathOf(path, cwd) || ".";

  if (configDiagnostics.some((d) => d.severity === "error")) {
    emitStructured(format, configDiagnostics, []);
    printDiagnostics(configDiagnostics);
    if (format === "text") err.write(`arazzoc: the config has ${counts(configDiagnostics)}; nothing compiled.\n`);
    return 1;
  }

  if (flags.watch) {
    const configFile = flags["no-config"] ? undefined : configPath(flags.config, cwd);
    const reload = async () => {
      const diagnostics: Diagnostic[] = [];
      const again = await projects(context, diagnostics);
      return { projects: typeof again === "number" || diagnostics.some((d) => d.severity === "error") ? undefined : again, diagnostics };
    };
    return watchProjects(chosen, { printDiagnostics, counts, display, showTime }, configFile !== undefined ? { path: configFile, reload } : undefined);
  }

  const runs: ProjectRun[] = [];
  for (const project of chosen) {
    const result = await compile({ ...project.options, inputs: project.inputs, emit });
    const diagnostics = [...result.diagnostics];
    let report: WriteReport | undefined;
    if (emit && !diagnostics.some((d) => d.severity === "error")) {
      report = writeOutput(project.outDir!, result.files, result.modules, { check: Boolean(flags.check), diff: Boolean(flags.diff), cwd });
      diagnostics.push(...report.diagnostics);
    }
    runs.push({ project, result, ...(report ? { report } : {}), diagnostics: sortDiagnostics(diagnostics) });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const all = runs.flatMap((r) => r.diagnostics);
  emitStructured(format, all, runs);

  let outdated = false;
  for (const run of runs) {
    printDiagnostics(run.diagnostics, run.result);
    const { report, project, result } = run;
    const failed = run.diagnostics.some((d) => d.severity === "error");
    if (report && flags.check) {
      const stale = report.stale.length + report.missing.length + report.orphaned.length;
      if (stale > 0) outdated = true;
      if (format === "text") {
        for (const name of report.stale) err.write(`stale: ${name}\n`);
        for (const name of report.missing) err.write(`missing: ${name}\n`);
        for (const name of report.orphaned) err.write(`orphaned: ${name}\n`);
      }
      if (format === "text" || format === "github") for (const diff of report.diffs) process.stdout.write(printable(diff));
    }
    if (format !== "text" && format !== "github") continue;
    const prefix = `arazzoc${project.name !== undefined && runs.length > 1 ? ` [${project.name}]` : ""}: ${plural(result?.documents ?? 0, "document")}`;
    let what: string;
    if (!emit) what = "checked";
    else if (failed) what = "nothing written";
    else if (report && flags.check) {
      const stale = report.stale.length + report.missing.length + report.orphaned.length;
      what =
        stale > 0
          ? `${plural(stale, "file")} out of date in ${display(project.outDir!)} (${report.stale.length} stale, ${report.missing.length} missing, ${report.orphaned.length} orphaned); run arazzoc compile without --check`
          : `${display(project.outDir!)} is up to date (${plural(report.unchanged.length, "file")})`;
    } else if (report) {
      what = `${plural(report.written.length, "file")} written, ${report.unchanged.length} unchanged${report.removed.length > 0 ? `, ${report.removed.length} removed` : ""} in ${display(project.outDir!)}`;
    } else what = "nothing written";
    err.write(`${prefix}; ${what}; ${counts(run.diagnostics)}${showTime ? ` (${seconds} s)` : ""}.\n`);
  }
  if (all.some((d) => d.severity === "error")) return 1;
  return outdated ? 1 : 0;
}

/** JSON and SARIF go to standard output as one document per run. */
function emitStructured(format: OutputFormat, diagnostics: readonly Diagnostic[], runs: readonly ProjectRun[]): void {
  if (format === "sarif") process.stdout.write(JSON.stringify(sarifLog(diagnostics, version()), null, 2) + "\n");
  if (format !== "json") return;
  const files = (report: WriteReport) => {
    const { diagnostics: _d, diffs, ...rest } = report;
    return diffs.length > 0 ? { ...rest, diffs } : rest;
  };
  if (runs.length <= 1) {
    const report = runs[0]?.report;
    process.stdout.write(JSON.stringify({ diagnostics, ...(report ? { files: files(report) } : {}) }, null, 2) + "\n");
  } else {
    const projects = runs.map((r) => ({
      ...(r.project.name !== undefined ? { name: r.project.name } : {}),
      diagnostics: r.diagnostics,
      ...(r.report ? { files: files(r.report) } : {}),
    }));
    process.stdout.write(JSON.stringify({ diagnostics, projects }, null, 2) + "\n");
  }
}

/**
 * compile --watch: builds each project, then again on every change, one summary line per build; stops on
 * SIGINT or SIGTERM. A change to the config file reads it again and starts over with its projects (a config
 * with errors is reported and the previous one kept).
 */
async function watchProjects(
  initial: readonly ResolvedProject[],
  out: {
    printDiagnostics: (list: readonly Diagnostic[], result?: CompileResult) => void;
    counts: (list: readonly Diagnostic[]) => string;
    display: (path: string) => string;
    showTime: boolean;
  },
  config?: { path: string; reload: () => Promise<{ projects: ResolvedProject[] | undefined; diagnostics: Diagnostic[] }> },
): Promise<number> {
  const { watch } = await import("./watch.js");
  const stopped = new Promise<"stop">((stop) => {
    process.once("SIGINT", () => stop("stop"));
    process.once("SIGTERM", () => stop("stop"));
  });
  let chosen = initial;
  for (;;) {
    let configChanged: () => void = () => undefined;
    const changed = new Promise<"config">((resolve) => (configChanged = () => resolve("config")));
    const watchers = chosen.map((project) =>
      watch({
        ...(project.options as Omit<CompileOptions, "inputs" | "emit">),
        inputs: project.inputs,
        outDir: project.outDir!,
        ...(config ? { alsoWatch: [config.path] } : {}),
        onBuild: (b) => {
          if (config && b.changed.includes(config.path)) return configChanged();
          const diagnostics = sortDiagnostics([...b.result.diagnostics, ...(b.report?.diagnostics ?? [])]);
          out.printDiagnostics(diagnostics, b.result);
          const name = project.name !== undefined && chosen.length > 1 ? ` [${project.name}]` : "";
          const what = b.report
            ? b.report.diagnostics.length > 0
              ? "nothing written"
              : `${plural(b.report.written.length, "file")} written, ${b.report.unchanged.length} unchanged${b.report.removed.length > 0 ? `, ${b.report.removed.length} removed` : ""} in ${out.display(project.outDir!)}`
            : "nothing written";
          const cause = b.changed.length > 0 ? `rebuilt after a change to ${b.changed.map(out.display).join(", ")}` : `${plural(b.result.documents, "document")}`;
          process.stderr.write(`arazzoc${name}: ${cause}; ${what}; ${out.counts(diagnostics)}${out.showTime ? ` (${Math.round(b.ms)} ms)` : ""}.\n`);
        },
        onError: (error) => process.stderr.write(`arazzoc: internal error: ${error instanceof Error ? error.message : String(error)}\n`),
      }),
    );
    await Promise.all(watchers.map((w) => w.ready));
    process.stderr.write("arazzoc: watching for changes (Ctrl+C to stop).\n");
    const outcome = await Promise.race([stopped, changed]);
    await Promise.all(watchers.map((w) => w.close()));
    if (outcome === "stop" || !config) return 0;
    const next = await config.reload();
    out.printDiagnostics(next.diagnostics);
    if (next.projects && next.projects.every((p) => p.outDir !== undefined)) {
      process.stderr.write(`arazzoc: ${out.display(config.path)} changed; compiling its projects again.\n`);
      chosen = next.projects;
    } else process.stderr.write(`arazzoc: ${out.display(config.path)} changed but cannot be used; keeping the previous config.\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const usage = (message: string): number => {
    process.stderr.write(`arazzoc: ${message}\n\n${USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: FLAGS, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const hint = closest(unknown.replace(/^-+/, "").split("=")[0]!, Object.keys(FLAGS));
      return usage(`unknown option '${unknown}'${hint ? `; did you mean --${hint}?` : ""}`);
    }
    return usage(message);
  }
  const { values: flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...inputs] = positionals;
  if (command === undefined) return usage("missing command");
  const chosen = COMMANDS[command];
  if (!chosen) {
    const hint = closest(command, Object.keys(COMMANDS));
    return usage(`unknown command '${command}'${hint ? `; did you mean '${hint}'?` : ""}`);
  }
  const invalid = checkFlagValues(command, flags, usage);
  if (invalid !== undefined) return invalid;
  return chosen.run({ command, flags, inputs, cwd: process.cwd(), format: (flags.format ?? "text") as OutputFormat, usage });
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
