// The programmatic API: compile(options) -> { files, diagnostics }, check (validate only), write (the
// output folder) and watch. compile runs the stages in order for each Arazzo document; a document with
// errors produces diagnostics and no module.
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Binder } from "./check/bind.js";
import { catalogue, makeDiagnostic, sortDiagnostics, type Diagnostic, type SourceRange } from "./diagnostics.js";
import type { OutputStyle } from "./emit/ts/module.js";
import { docsFiles, graphFiles, graphText, type GraphFormat } from "./emit/graph.js";
import type { ImportExtension } from "./emit/specifiers.js";
import { expandInputs, modulePath, type InputDocument } from "./inputs.js";
import { absentValues } from "./ir/absent-values.js";
import { structuredText } from "./ir/structured-text.js";
import { ProgramLowering } from "./ir/lower.js";
import type { ModuleIr, ProgramIr } from "./ir/program.js";
import type { ParsedFile } from "./load/yaml.js";
import { absolute, DEFAULT_MAX_FILE_BYTES, displayPathOf, isInside, readText, realRoot } from "./load/files.js";
import { DocumentStore, isRemote, type StorePolicy } from "./load/refs.js";
import { DEFAULT_MAX_REDIRECTS, DEFAULT_REMOTE_TIMEOUT_MS } from "./load/remote.js";
import { baseUriOf, IdentityIndex, resolveUri } from "./load/identity.js";
import { loadSources, localSourceLocations, mappedPrefix, sourceLocation } from "./load/sources.js";
import { joinPointer } from "./load/pointer.js";
import { writeOutput, type WriteOptions, type WriteReport } from "./output/write.js";
import { didYouMean } from "./suggest.js";
import type { ArazzoDocument } from "./schema/arazzo.js";
import { isStub, validateArazzo, withoutCascades } from "./schema/validate.js";

export type { Diagnostic, DiagnosticCode, Severity, SourceRange } from "./diagnostics.js";
export { defineConfig, type ArazzocConfig, type ProjectConfig, type ProjectOptions } from "./config.js";
export { MANIFEST, type WriteOptions, type WriteReport } from "./output/write.js";
export { watch, type Build, type Watcher, type WatchOptions } from "./watch.js";
export { catalogue, formatDiagnostic } from "./diagnostics.js";
export { upgrade, type UpgradeOptions, type UpgradeRun } from "./upgrade-command.js";
export type { UpgradeChange, UpgradedDocument } from "./upgrade.js";

export interface CompileOptions {
  /** Arazzo documents, folders searched (recursively) for them, or globs (`apis/**' + '/*.arazzo.yaml`). */
  readonly inputs: readonly string[];
  /** Inputs and source paths are relative to this folder; so are paths in diagnostics. Default: process.cwd(). */
  readonly cwd?: string;
  /** Validate only: no module is generated. */
  readonly emit?: boolean;
  /** Local files for source descriptions, by source name or by url (`--source name=path`). */
  readonly sources?: Readonly<Record<string, string>>;
  /**
   * The folder that paths written into generated code (the header) are relative to, so that the output is
   * the same from wherever the compiler runs. Default: the checkout of the first input (its nearest folder
   * with a package.json or .git); the CLI passes the config file's folder when there is one.
   */
  readonly pathsFrom?: string;
  /** Where `sources` come from, named by the diagnostic of a mapping no document uses: `--source` (default) or a config file. */
  readonly sourcesFrom?: string;
  /** Read http(s) source URLs (`--allow-remote`); otherwise each is a diagnostic. */
  readonly allowRemote?: boolean;
  /** Warnings become errors. */
  readonly strict?: boolean;
  /** Per-code severity: `off` drops a warning, `error` makes it an error. Errors cannot be lowered. */
  readonly severity?: Readonly<Record<string, SeverityOverride>>;
  /** How generated modules import each other and the runtime: `.js` (default), `.ts` or `none`. */
  readonly importExtension?: ImportExtension;
  /** `copy` (default): runtime.ts is written into the output folder; `package`: modules import `arazzoc/runtime`. */
  readonly runtime?: "copy" | "package";
  /**
   * `prettier` (default): the project's Prettier configuration for the output folder when there is one,
   * else arazzoc's style; `arazzoc`: arazzoc's fixed style, byte-identical on every machine.
   */
  readonly format?: "prettier" | "arazzoc";
  /** The output folder: where the project's Prettier configuration is looked up. Default: cwd. */
  readonly outDir?: string;
  /** Comment lines put under the header of every generated file, e.g. a lint-disable comment. */
  readonly banner?: readonly string[];
  /** Parsed files kept between compilations (watch mode): files whose size and time are unchanged are not parsed again. */
  readonly cache?: CompileCache;
  /** What to produce from valid documents: TypeScript modules (default), or only the lowered program. */
  readonly target?: "typescript" | "ir";
  /**
   * The project folder (`--root`): documents may name only files inside it. Default: the folder that
   * holds the first input (file or folder). Relative to `cwd`.
   */
  readonly root?: string;
  /** Read files that documents name wherever they are (`--allow-outside-root`). */
  readonly allowOutsideRoot?: boolean;
  /** Largest document read, local or remote, in bytes (`--max-file-size`). Default 64 MiB. */
  readonly maxFileBytes?: number;
  /**
   * Hosts (names or addresses) whose loopback, private or link-local addresses remote reads may reach
   * (`--allow-remote-host`). Default: none, so only public addresses are read.
   */
  readonly allowRemoteHosts?: readonly string[];
  /** One time budget for all the remote reads of the compilation, in ms (`--remote-timeout`). Default 30 000. */
  readonly remoteTimeoutMs?: number;
  /** Also write, beside each module, its workflows as durable workflows of this engine (`--durable restate`). */
  readonly durable?: DurableTarget;
  /**
   * `sequential` (default): steps run one at a time, in the execution order; `concurrent`: independent steps of a
   * workflow with step dependsOn run concurrently, where docs/generated-code.md says they may (`--step-concurrency`).
   */
  readonly stepConcurrency?: StepConcurrency;
}

export type StepConcurrency = "sequential" | "concurrent";

export type SeverityOverride = "off" | "warning" | "error";
export type DurableTarget = "restate";
export type { ImportExtension } from "./emit/specifiers.js";

/** What a watcher keeps between compilations (create one with createCompileCache). */
export interface CompileCache {
  /** @internal Parsed files by path, with their size and modification time. */
  readonly files: Map<string, unknown>;
  /** @internal Formatted module texts by their unformatted text. */
  readonly formatted: Map<string, string>;
}

export function createCompileCache(): CompileCache {
  return { files: new Map(), formatted: new Map() };
}

export interface CompileResult {
  /** Generated files by `/`-separated path inside the output folder (a module per document, plus the runtime). */
  readonly files: Map<string, string>;
  /** For each generated module, the absolute path of the Arazzo document it comes from. */
  readonly modules: Map<string, string>;
  readonly diagnostics: Diagnostic[];
  /** The lowered program of the documents without errors (plain data; see ir/program.ts). */
  readonly program: ProgramIr;
  /** Text of each file a diagnostic names, for code frames. */
  readonly sourceText: (displayPath: string) => string | undefined;
  /** Absolute paths of the local files read: documents, sources and the files their $refs name. */
  readonly reads: string[];
  /** Folders searched for documents: a document added to one is an input of the next compilation. */
  readonly folders: string[];
  /** How many Arazzo documents were compiled (the inputs and the Arazzo documents they name as sources), valid or not. */
  readonly documents: number;
}

/** The module path a document gets when it is compiled on its own. */
export function moduleFileName(documentPath: string): string {
  const path = resolve(documentPath);
  return modulePath({ path, base: dirname(path) }).path;
}

/** Per-code severities and strictness applied to diagnostics. Errors stay errors. */
export function applySeverity(
  diagnostics: readonly Diagnostic[],
  severity: Readonly<Record<string, SeverityOverride>> = {},
  strict = false,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const wanted: SeverityOverride =
      catalogue[d.code].severity === "error" ? d.severity : (severity[d.code] ?? (strict ? "error" : d.severity));
    if (wanted === "off") continue;
    out.push(wanted === d.severity ? d : { ...d, severity: wanted });
  }
  return out;
}

/**
 * The project folder: `root` when given; else the nearest folder at or above the first input that holds a
 * package.json or a .git (the checkout the documents belong to); else the folder that holds the first input
 * (for a folder input, its parent, so that the usual layout of arazzo/ beside openapi/ reads both).
 */
export function projectFolder(options: Pick<CompileOptions, "inputs" | "root">, cwd: string): string {
  if (options.root !== undefined) return absolute(options.root, cwd);
  const first = options.inputs[0];
  if (first === undefined) return cwd;
  const fallback = dirname(absolute(first, cwd));
  for (let dir = absolute(first, cwd); ;) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return fallback;
    dir = parent;
  }
}

export async function compile(options: CompileOptions): Promise<CompileResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const pathsBase = options.pathsFrom !== undefined ? absolute(options.pathsFrom, cwd) : projectFolder({ inputs: options.inputs }, cwd);
  const diagnostics: Diagnostic[] = [];
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const policy: StorePolicy = {
    root: projectFolder(options, cwd),
    allowOutsideRoot: options.allowOutsideRoot ?? false,
    maxFileBytes,
    remote: {
      allowHosts: options.allowRemoteHosts ?? [],
      timeoutMs: options.remoteTimeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS,
      maxBytes: maxFileBytes,
      maxRedirects: DEFAULT_MAX_REDIRECTS,
    },
  };
  const store = new DocumentStore(cwd, policy, options.cache?.files as never);
  const files = new Map<string, string>();
  const moduleSources = new Map<string, string>();
  const lowering = new ProgramLowering(store, options.stepConcurrency);
  const lowered: ModuleIr[] = [];
  const typescript = (options.target ?? "typescript") === "typescript";
  const overrides = new Map(Object.entries(options.sources ?? {}));
  const usedOverrides = new Set<string>();
  // What the user named is read wherever it is; only what documents name is held to the project folder.
  for (const path of overrides.values()) store.trust(absolute(path, cwd));
  // A URI prefix mapped to a folder also serves the $refs that resolve by identity ($self, $id).
  store.mapUriPrefixes(new Map([...overrides].map(([key, folder]) => [key, resolve(cwd, folder)])));

  // Front end first for every document, so that the sources can be released before the emitter (which
  // loads the TypeScript compiler through ts-morph) starts: peak memory is the larger of the two phases.
  // A document whose arazzo-type sources name other Arazzo documents has those processed (and emitted)
  // first: its module imports their workflows.
  const modules: { name: string; module: ModuleIr }[] = [];
  const processed = new Map<string, "visiting" | { ok: boolean; document?: ArazzoDocument }>();
  const processDocument = async (
    input: InputDocument,
    requestedBy?: { file: string; pointer: string; range?: SourceRange | undefined },
  ) => {
    const state = processed.get(input.path);
    if (state === "visiting") {
      if (requestedBy) diagnostics.push(makeDiagnostic("AZC4023", { file: displayPathOf(input.path, cwd) }, requestedBy));
      return { ok: false };
    }
    if (state) return state;
    processed.set(input.path, "visiting");
    const result = await front(input);
    processed.set(input.path, result);
    return result;
  };
  const front = async ({ path, base }: InputDocument): Promise<{ ok: boolean; document?: ArazzoDocument }> => {
    const loaded = store.load(path, true);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.file) return { ok: false };
    const validated = validateArazzo(loaded.file);
    diagnostics.push(...validated.diagnostics);
    // A document with structural errors is still checked, as far as it could be read; it is never emitted.
    const document = validated.document ?? validated.partial?.document;
    if (!document) return { ok: false };
    // 1.1 documents resolve their sources as URIs against their base URI, by identity first.
    const byIdentity = validated.version === "1.1" ? identities : undefined;
    // A source description that could not be read stands in by its name only: it is never read.
    const readable = document.sourceDescriptions.map((entry) => (isStub(entry) ? undefined : entry));
    for (const entry of document.sourceDescriptions) {
      if (overrides.has(entry.name)) usedOverrides.add(entry.name);
      if (overrides.has(entry.url)) usedOverrides.add(entry.url);
      if (byIdentity && !isStub(entry)) {
        const uri = resolveUri(entry.url, baseUriOf(loaded.file.value, loaded.file.path));
        const prefix = uri !== undefined ? mappedPrefix(uri, overrides) : undefined;
        if (prefix) usedOverrides.add(prefix.key);
      }
    }
    if (options.allowRemote) {
      for (const entry of readable) {
        if (!entry) continue;
        const location = sourceLocation(loaded.file, entry, overrides, cwd, byIdentity);
        if (isRemote(location)) await store.prefetch(location);
      }
    }
    const {
      sources,
      asyncapi: asyncSources,
      arazzo,
      diagnostics: sourceDiagnostics,
    } = loadSources(store, loaded.file, readable, overrides, byIdentity);
    diagnostics.push(...sourceDiagnostics);
    const arazzoSources = new Map<string, ArazzoDocument>();
    const arazzoFiles = new Map<string, ParsedFile>();
    let dependencyFailed = false;
    for (const [name, location] of arazzo) {
      const index = document.sourceDescriptions.findIndex((d) => d.name === name);
      const at = joinPointer("/sourceDescriptions", index, "url");
      // A document named as a source keeps the layout of the input that names it when it lies under its base.
      const other = await processDocument(
        { path: location, base: relative(base, location).startsWith("..") ? dirname(location) : base },
        { file: loaded.file.displayPath, pointer: at, range: loaded.file.locate(at) },
      );
      if (other.document) arazzoSources.set(name, other.document);
      const otherFile = store.load(location, true).file;
      if (otherFile) arazzoFiles.set(name, otherFile);
      if (!other.ok) dependencyFailed = true;
    }
    const binder = new Binder({ file: loaded.file, document, sources, asyncSources, store, arazzoSources, arazzoFiles }, [
      absentValues(store.schemas),
      structuredText(store.schemas),
    ]);
    const bound = binder.bind();
    diagnostics.push(...(validated.partial ? withoutCascades(binder.diagnostics, validated.partial.damage) : binder.diagnostics));
    const failed =
      validated.partial !== undefined ||
      dependencyFailed ||
      [...sourceDiagnostics, ...binder.diagnostics].some((d) => d.severity === "error");
    if (failed || options.emit === false) return { ok: !failed, document };

    const { path: name, renamed } = modulePath({ path, base });
    const where = { file: loaded.file.displayPath, pointer: "" };
    if (moduleSources.has(name)) {
      diagnostics.push(makeDiagnostic("AZC6001", { file: name }, where));
      return { ok: false, document };
    }
    if (renamed !== undefined) diagnostics.push(makeDiagnostic("AZC7008", { module: name, reason: renamed }, where));
    moduleSources.set(name, path);
    const sourcePath = relative(pathsBase, path).split(sep).join("/");
    const module = lowering.lower(bound, sourcePath, name.replace(/\.ts$/, ""), arazzo);
    const unjournaled = options.durable === "restate" ? concurrentStepsUnjournaled(module, document, loaded.file) : [];
    if (unjournaled.length > 0) {
      diagnostics.push(...unjournaled);
      return { ok: false, document };
    }
    lowered.push(module);
    if (typescript) modules.push({ name, module });
    return { ok: true, document };
  };
  const expanded = expandInputs(options.inputs, cwd);
  for (const input of expanded.empty)
    diagnostics.push(makeDiagnostic("AZC1006", { path: input }, { file: displayPathOf(resolve(cwd, input), cwd), pointer: "" }));
  for (const input of expanded.documents) store.trust(input.path);
  // Every document is parsed before any reference is resolved (Arazzo 1.1 Parsing Documents): those named, and
  // the local Arazzo documents their arazzo sources lead to, so that a source url may name any of them by the
  // identity ($self) it declares.
  const identities = new IdentityIndex();
  const parseQueue = expanded.documents.map((input) => input.path);
  const parsed = new Set(parseQueue);
  while (parseQueue.length > 0) {
    const path = parseQueue.shift()!;
    const file = store.load(path, true).file;
    if (!file) continue;
    const { uri, clash } = identities.add(file.value, path);
    if (uri !== undefined && clash !== undefined) {
      const where = { file: file.displayPath, pointer: "/$self", range: file.locate("/$self") };
      const first = store.load(clash, true).file;
      const range = first?.locate("/$self");
      const related = first ? [{ file: first.displayPath, ...(range ? { range } : {}), message: "the same $self is declared here" }] : [];
      diagnostics.push(makeDiagnostic("AZC4100", { self: uri, other: displayPathOf(clash, cwd) }, where, related));
    }
    for (const location of localSourceLocations(file, overrides, cwd, identities, "arazzo"))
      if (!parsed.has(location)) {
        parsed.add(location);
        parseQueue.push(location);
      }
  }
  // Then the local descriptions they name, so that one may be named by the identity ($self) it declares.
  for (const path of parsed) {
    const file = store.load(path, true).file;
    if (file) for (const location of localSourceLocations(file, overrides, cwd, identities)) store.load(location, false);
  }
  for (const input of expanded.documents) await processDocument(input);
  for (const name of overrides.keys()) {
    if (usedOverrides.has(name) || store.usedUriPrefixes.has(name)) continue;
    const known = [...processed.values()].flatMap((state) =>
      state === "visiting" || !state.document ? [] : state.document.sourceDescriptions.map((d) => d.name),
    );
    diagnostics.push(
      makeDiagnostic(
        "AZC7010",
        { name, names: known.length > 0 ? [...new Set(known)].join(", ") : "(none)", suggestion: didYouMean(name, known) },
        { file: options.sourcesFrom ?? "--source", pointer: "" },
      ),
    );
  }

  if (!options.cache) store.releaseSources();
  if (modules.length > 0) {
    // The TypeScript target (ts-morph, prettier) is loaded only when TypeScript is emitted.
    const { DEFAULT_OUTPUT_STYLE, TypeScriptEmitter } = await import("./emit/ts/module.js");
    const { projectPrettierOptions } = await import("./output/prettier.js");
    const style: OutputStyle = {
      importExtension: options.importExtension ?? DEFAULT_OUTPUT_STYLE.importExtension,
      runtime: options.runtime ?? "copy",
      prettier:
        options.format === "arazzoc" ? DEFAULT_OUTPUT_STYLE.prettier : await projectPrettierOptions(resolve(cwd, options.outDir ?? ".")),
      banner: options.banner ?? [],
    };
    const emitter = new TypeScriptEmitter({ modules: modules.map((m) => m.module) }, style, options.cache?.formatted);
    let jsonPath = false;
    let messages = false;
    for (const { name, module } of modules) {
      const emitted = await emitter.emit(module);
      files.set(name, emitted.text);
      diagnostics.push(...emitted.diagnostics);
      jsonPath ||= emitted.usesJsonPath;
      messages ||= emitted.usesMessages;
    }
    if (style.runtime === "copy") {
      files.set("runtime.ts", await emitter.runtimeFile("runtime.ts"));
      // Written when some module imports it.
      if (jsonPath) files.set("runtime-jsonpath.ts", await emitter.runtimeFile("runtime-jsonpath.ts"));
      if (messages) files.set("runtime-messages.ts", await emitter.runtimeFile("runtime-messages.ts"));
    }
    if (options.durable === "restate") {
      const { durableModule, emitRestateModule, restateFileName } = await import("./emit/restate/module.js");
      for (const module of lowered)
        files.set(
          restateFileName(`${module.name}.ts`),
          await emitRestateModule(durableModule(module, emitter.namesOf(module).workflows), style),
        );
      files.set("runtime-restate.ts", await emitter.runtimeFile("runtime-restate.ts"));
    }
  }

  return {
    files,
    modules: moduleSources,
    diagnostics: sortDiagnostics(applySeverity(diagnostics, options.severity, options.strict)),
    program: { modules: lowered },
    sourceText: (displayPath) => {
      // Code frames come only from files inside the project folder, whoever named them: a frame of a file
      // outside it could print a secret into a build log.
      if (isRemote(displayPath)) return undefined;
      const path = absolute(displayPath, cwd);
      if (!policy.allowOutsideRoot && !isInside(realPathOrSelf(path), realRoot(policy.root))) return undefined;
      // Read afresh: a file that failed to parse has no parsed form, but its text still makes the frame.
      const read = readText(path, policy);
      return read.ok ? read.text : undefined;
    },
    reads: [...store.reads].sort(),
    folders: expanded.folders,
    documents: processed.size,
  };
}

/** Validates the inputs without generating code: compile with `emit: false`. */
export function check(options: Omit<CompileOptions, "emit">): Promise<CompileResult> {
  return compile({ ...options, emit: false });
}

/**
 * Writes a compilation's files into `outDir` (or, with `check`, compares them): unchanged files are left
 * alone, modules of documents that no longer exist are removed, and files arazzoc did not write or
 * symbolic links are never written through (the report's diagnostics say why nothing was written).
 */
export function write(result: Pick<CompileResult, "files" | "modules">, outDir: string, options: WriteOptions = {}): WriteReport {
  return writeOutput(outDir, result.files, result.modules, options);
}

export type { GraphFormat } from "./emit/graph.js";
export type { ProgramIr } from "./ir/program.js";

export interface GraphOptions extends Omit<CompileOptions, "emit" | "target" | "format"> {
  /** `mermaid` (default): a flowchart per document; `json`: the lowered program itself. */
  readonly format?: GraphFormat;
}

export interface GraphResult {
  /** One file per document without errors: `<module>.mmd` or `<module>.json`. */
  readonly files: Map<string, string>;
  /** What `arazzoc graph` prints without --out: every document's flowchart, or the program as JSON. */
  readonly text: string;
  readonly program: ProgramIr;
  readonly diagnostics: Diagnostic[];
  readonly sourceText: (displayPath: string) => string | undefined;
}

/** The control flow of each workflow, drawn from the lowered program (`arazzoc graph`); emits no TypeScript. */
export async function graph(options: GraphOptions): Promise<GraphResult> {
  const { format = "mermaid", ...rest } = options;
  const result = await compile({ ...rest, target: "ir" });
  return { ...result, files: graphFiles(result.program, format), text: graphText(result.program, format) };
}

/** A Markdown page per document with its workflows, their diagrams, inputs, outputs and steps (`arazzoc docs`). */
export async function docs(options: Omit<CompileOptions, "emit" | "target">): Promise<CompileResult> {
  const result = await compile({ ...options, target: "ir" });
  return { ...result, files: docsFiles(result.program) };
}

function realPathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The Restate target replays a run from its journal, in which every exchange must come at the same point on replay:
 * concurrent steps complete in any order, and the executor's clock follows the order they complete in (AZC6250).
 */
function concurrentStepsUnjournaled(module: ModuleIr, document: ArazzoDocument, file: ParsedFile): Diagnostic[] {
  return module.workflows.flatMap((w) =>
    (w.concurrency?.groups ?? []).map((group) => {
      const workflowIndex = document.workflows.findIndex((d) => d.workflowId === w.id);
      const stepIndex = document.workflows[workflowIndex]?.steps.findIndex((s) => s.stepId === group[0]) ?? -1;
      const pointer = joinPointer("/workflows", workflowIndex, "steps", stepIndex);
      return makeDiagnostic(
        "AZC6250",
        { steps: group.map((id) => `'${id}'`).join(", "), workflowId: w.id },
        { file: file.displayPath, pointer, range: file.locate(pointer, true) },
      );
    }),
  );
}

