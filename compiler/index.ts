// The programmatic API: compile(options) -> { files, diagnostics }. Runs the stages in order for each
// Arazzo document; a document with errors produces diagnostics and no module.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { Binder } from "./check/bind.js";
import { makeDiagnostic, sortDiagnostics, type Diagnostic, type SourceRange } from "./diagnostics.js";
import { docsFiles, graphFiles, graphText, type GraphFormat } from "./emit/graph.js";
import { ProgramLowering } from "./ir/lower.js";
import type { ModuleIr, ProgramIr } from "./ir/program.js";
import type { ParsedFile } from "./load/yaml.js";
import { absolute, DEFAULT_MAX_FILE_BYTES, displayPathOf, isInside, readText, realRoot } from "./load/files.js";
import { DocumentStore, isRemote, type StorePolicy } from "./load/refs.js";
import { DEFAULT_MAX_REDIRECTS, DEFAULT_REMOTE_TIMEOUT_MS } from "./load/remote.js";
import { loadSources, sourceLocation } from "./load/sources.js";
import { joinPointer } from "./load/pointer.js";
import type { ArazzoDocument } from "./schema/arazzo.js";
import { validateArazzo } from "./schema/validate.js";

export type { Diagnostic, DiagnosticCode, Severity, SourceRange } from "./diagnostics.js";
export { catalogue, formatDiagnostic } from "./diagnostics.js";

export interface CompileOptions {
  /** Arazzo documents, or folders searched (recursively) for them. */
  readonly inputs: readonly string[];
  /** Paths in diagnostics and headers are relative to this folder. Default: process.cwd(). */
  readonly cwd?: string;
  /** Validate only: no module is generated. */
  readonly emit?: boolean;
  /** Local files for source descriptions, by source name or by url (`--source name=path`). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Read http(s) source URLs (`--allow-remote`); otherwise each is a diagnostic. */
  readonly allowRemote?: boolean;
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
  readonly durable?: "restate";
}

export interface CompileResult {
  /** Generated files by name inside the output folder (module per document, plus runtime.ts). */
  readonly files: Map<string, string>;
  readonly diagnostics: Diagnostic[];
  /** The lowered program of the documents without errors (plain data; see ir/program.ts). */
  readonly program: ProgramIr;
  /** Text of each file a diagnostic names, for code frames. */
  readonly sourceText: (displayPath: string) => string | undefined;
}

const DOCUMENT_EXTENSIONS = /\.(ya?ml|json)$/i;

/** Files named by the inputs; folders contribute the YAML/JSON files that declare `arazzo`. */
function expandInputs(inputs: readonly string[], cwd: string, diagnostics: Diagnostic[]): string[] {
  const found: string[] = [];
  for (const input of inputs) {
    const path = absolute(input, cwd);
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      found.push(path); // reported as unreadable when loaded
      continue;
    }
    if (!isFolder) {
      found.push(path);
      continue;
    }
    const before = found.length;
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (DOCUMENT_EXTENSIONS.test(entry.name) && declaresArazzo(full)) found.push(full);
      }
    };
    walk(path);
    if (found.length === before)
      diagnostics.push(makeDiagnostic("AZC1006", { path: input }, { file: displayPathOf(path, cwd), pointer: "" }));
  }
  return [...new Set(found)];
}

/** Does a file in a searched folder look like an Arazzo document (a top-level `arazzo` key)? */
function declaresArazzo(path: string): boolean {
  try {
    // Arazzo documents are small; a file of several MB is an OpenAPI source, not worth reading here.
    const stats = statSync(path);
    // Only regular files: a pipe or device with a document's name must not block or flood the search.
    if (!stats.isFile() || stats.size > 4 * 1024 * 1024) return false;
    return /^\s*["']?arazzo["']?\s*:/m.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

export function moduleFileName(documentPath: string): string {
  return basename(documentPath).replace(DOCUMENT_EXTENSIONS, "") + ".ts";
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
  for (let dir = absolute(first, cwd); ; ) {
    if (existsSync(join(dir, "package.json")) || existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return fallback;
    dir = parent;
  }
}

export async function compile(options: CompileOptions): Promise<CompileResult> {
  const cwd = options.cwd ?? process.cwd();
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
  const store = new DocumentStore(cwd, policy);
  const files = new Map<string, string>();
  const owners = new Map<string, string>();
  const lowering = new ProgramLowering(store);
  const lowered: ModuleIr[] = [];
  const typescript = (options.target ?? "typescript") === "typescript";
  const overrides = new Map(Object.entries(options.sources ?? {}));
  // What the user named is read wherever it is; only what documents name is held to the project folder.
  for (const path of overrides.values()) store.trust(absolute(path, cwd));

  // Front end first for every document, so that the sources can be released before the emitter (which
  // loads the TypeScript compiler through ts-morph) starts: peak memory is the larger of the two phases.
  // A document whose arazzo-type sources name other Arazzo documents has those processed (and emitted)
  // first: its module imports their workflows.
  const modules: { name: string; module: ModuleIr }[] = [];
  const processed = new Map<string, "visiting" | { ok: boolean; document?: ArazzoDocument }>();
  const processDocument = async (path: string, requestedBy?: { file: string; pointer: string; range?: SourceRange | undefined }) => {
    const state = processed.get(path);
    if (state === "visiting") {
      if (requestedBy) diagnostics.push(makeDiagnostic("AZC4023", { file: displayPathOf(path, cwd) }, requestedBy));
      return { ok: false };
    }
    if (state) return state;
    processed.set(path, "visiting");
    const result = await front(path);
    processed.set(path, result);
    return result;
  };
  const front = async (path: string): Promise<{ ok: boolean; document?: ArazzoDocument }> => {
    const loaded = store.load(path, true);
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.file) return { ok: false };
    const validated = validateArazzo(loaded.file);
    diagnostics.push(...validated.diagnostics);
    if (!validated.document) return { ok: false };
    const document = validated.document;
    if (options.allowRemote) {
      for (const entry of document.sourceDescriptions) {
        const location = sourceLocation(loaded.file, entry, overrides, cwd);
        if (isRemote(location)) await store.prefetch(location);
      }
    }
    const { sources, arazzo, diagnostics: sourceDiagnostics } = loadSources(store, loaded.file, document.sourceDescriptions, overrides);
    diagnostics.push(...sourceDiagnostics);
    const arazzoSources = new Map<string, ArazzoDocument>();
    const arazzoFiles = new Map<string, ParsedFile>();
    let dependencyFailed = false;
    for (const [name, location] of arazzo) {
      const index = document.sourceDescriptions.findIndex((d) => d.name === name);
      const at = joinPointer("/sourceDescriptions", index, "url");
      const other = await processDocument(location, { file: loaded.file.displayPath, pointer: at, range: loaded.file.locate(at) });
      if (other.document) arazzoSources.set(name, other.document);
      const otherFile = store.load(location, true).file;
      if (otherFile) arazzoFiles.set(name, otherFile);
      if (!other.ok) dependencyFailed = true;
    }
    const binder = new Binder({ file: loaded.file, document, sources, store, arazzoSources, arazzoFiles });
    const bound = binder.bind();
    diagnostics.push(...binder.diagnostics);
    const failed = dependencyFailed || [...sourceDiagnostics, ...binder.diagnostics].some((d) => d.severity === "error");
    if (failed || options.emit === false) return { ok: !failed, document };

    const name = moduleFileName(path);
    if (owners.has(name)) {
      diagnostics.push(makeDiagnostic("AZC6001", { file: name }, { file: loaded.file.displayPath, pointer: "" }));
      return { ok: false, document };
    }
    owners.set(name, loaded.file.displayPath);
    const sourcePath = relative(cwd, path).split(sep).join("/");
    const module = lowering.lower(bound, sourcePath, name.replace(/\.ts$/, ""), arazzo);
    lowered.push(module);
    if (typescript) modules.push({ name, module });
    return { ok: true, document };
  };
  const inputs = expandInputs(options.inputs, cwd, diagnostics);
  for (const path of inputs) store.trust(path);
  for (const path of inputs) await processDocument(path);

  store.releaseSources();
  if (modules.length > 0) {
    // The TypeScript target (ts-morph, prettier) is loaded only when TypeScript is emitted.
    const { jsonPathRuntimeFile, runtimeFile, TypeScriptEmitter } = await import("./emit/ts/module.js");
    const emitter = new TypeScriptEmitter({ modules: modules.map((m) => m.module) });
    let jsonPath = false;
    for (const { name, module } of modules) {
      const emitted = await emitter.emit(module);
      files.set(name, emitted.text);
      diagnostics.push(...emitted.diagnostics);
      jsonPath ||= emitted.usesJsonPath;
    }
    files.set("runtime.ts", runtimeFile());
    // Written when some module needs it; never removed, as other compilations may share the folder.
    if (jsonPath) files.set("runtime-jsonpath.ts", jsonPathRuntimeFile());
    if (options.durable === "restate") {
      const { durableModule, emitRestateModule, restateFileName, restateRuntimeFile } = await import("./emit/restate/module.js");
      for (const module of lowered)
        files.set(restateFileName(`${module.name}.ts`), await emitRestateModule(durableModule(module, emitter.namesOf(module).workflows)));
      files.set("runtime-restate.ts", restateRuntimeFile());
    }
  }

  return {
    files,
    diagnostics: sortDiagnostics(diagnostics),
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
  };
}

export type { GraphFormat } from "./emit/graph.js";
export type { ProgramIr } from "./ir/program.js";

export interface GraphOptions extends Omit<CompileOptions, "emit" | "target"> {
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
