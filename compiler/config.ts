// The config file: arazzoc.config.ts, .mjs or .json, found upward from the working folder. It names one
// project (inputs, output folder and options) or several (`projects`), whose options default to the
// top-level ones. Paths in it are relative to its folder. A wrong config is a diagnostic that points at
// the field: file:line:col for JSON, the field's path (`projects[1].outDir`) for modules.
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { catalogue, makeDiagnostic, type Diagnostic, type DiagnosticCode, type SourceRange } from "./diagnostics.js";
import type { CompileOptions, DurableTarget, SeverityOverride, StepConcurrency } from "./index.js";
import type { ImportExtension } from "./emit/specifiers.js";
import { displayPathOf } from "./load/files.js";
import { joinPointer } from "./load/pointer.js";
import { parseWithPositions } from "./load/yaml.js";
import { didYouMean } from "./suggest.js";

/** Options of a project; at the top level of a config with `projects`, the defaults of every project. */
export interface ProjectOptions {
  /** Local files for source descriptions, by source name or url (paths relative to the config's folder). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Read http(s) source URLs over the network. Default false. */
  readonly allowRemote?: boolean;
  /** Warnings become errors. Default false. */
  readonly strict?: boolean;
  /** Per-code severity, e.g. `{ AZC3002: "off" }`. Only warnings can be changed. */
  readonly severity?: Readonly<Record<string, SeverityOverride>>;
  /** `copy` (default): runtime.ts in the output folder; `package`: modules import `arazzoc/runtime`. */
  readonly runtime?: "copy" | "package";
  /** Extension of relative imports in generated code: `.js` (default), `.ts` or `none`. */
  readonly importExtension?: ImportExtension;
  /** `prettier` (default): the project's Prettier config, when there is one; `arazzoc`: arazzoc's fixed style. */
  readonly format?: "prettier" | "arazzoc";
  /** Comment lines put under the header of every generated file. */
  readonly banner?: string | readonly string[];
  /** Put `/* eslint-disable *\/` under the header of every generated file. */
  readonly lintDisable?: boolean;
  /** Durable-execution target of the generated modules. */
  readonly durable?: DurableTarget;
  /** `sequential` (default) or `concurrent`: independent steps of workflows with step dependsOn run concurrently. */
  readonly stepConcurrency?: StepConcurrency;
}

export interface ProjectConfig extends ProjectOptions {
  /** Names the project in messages and for `--project`. */
  readonly name?: string;
  /** Arazzo documents, folders or globs, relative to the config's folder. */
  readonly inputs: string | readonly string[];
  /** The output folder, relative to the config's folder. */
  readonly outDir?: string;
}

export interface ArazzocConfig extends ProjectOptions {
  readonly inputs?: string | readonly string[];
  readonly outDir?: string;
  /** Several projects in one config; the top-level options are their defaults. */
  readonly projects?: readonly ProjectConfig[];
}

/** Types a config in arazzoc.config.ts or .mjs: `export default defineConfig({ ... })`. */
export function defineConfig(config: ArazzocConfig): ArazzocConfig {
  return config;
}

export const CONFIG_FILE_NAMES = ["arazzoc.config.ts", "arazzoc.config.mjs", "arazzoc.config.json"] as const;

/** A project as the CLI compiles it: absolute paths, options ready for compile(). */
export interface ResolvedProject {
  readonly name?: string;
  readonly inputs: string[];
  readonly outDir?: string;
  readonly options: Omit<CompileOptions, "inputs" | "emit">;
}

export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly path: string;
  readonly folder: string;
  readonly projects: ResolvedProject[];
  readonly diagnostics: Diagnostic[];
}

/** The nearest config file at or above `from`. */
export function findConfig(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export const OPTION_FIELDS = ["sources", "allowRemote", "strict", "severity", "runtime", "importExtension", "format", "banner", "lintDisable", "durable", "stepConcurrency"];
export const TOP_FIELDS = ["inputs", "outDir", "projects", "$schema", ...OPTION_FIELDS];
export const PROJECT_FIELDS = ["name", "inputs", "outDir", ...OPTION_FIELDS];

/** `/projects/1/outDir` as a JavaScript path: `projects[1].outDir`. */
function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path === "" ? token : `${path}.${token}`), "");
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

class ConfigValidator {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: (pointer: string, preferKey?: boolean) => SourceRange | undefined,
  ) {}

  report(code: DiagnosticCode, args: Record<string, string>, pointer: string, preferKey = false): void {
    this.diagnostics.push(makeDiagnostic(code, args, { file: this.file, pointer, range: this.locate(pointer, preferKey) }));
  }

  wrong(pointer: string, expected: string, value: unknown): void {
    this.report("AZC7002", { field: fieldPath(pointer), expected: `${expected}, not ${describe(value)}` }, pointer);
  }

  object(value: unknown, pointer: string): value is Record<string, unknown> {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return true;
    this.wrong(pointer, "an object", value);
    return false;
  }

  fields(value: Record<string, unknown>, pointer: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const at = joinPointer(pointer, key);
      this.report(
        "AZC7001",
        { field: fieldPath(at), suggestion: didYouMean(key, known).replace(/^ Did you mean/, "; did you mean").replace(/\?$/, "?"), names: known.filter((k) => k !== "$schema").join(", ") },
        at,
        true,
      );
    }
  }

  string(value: unknown, pointer: string): string | undefined {
    if (typeof value === "string" && value !== "") return value;
    this.wrong(pointer, "a non-empty string", value);
    return undefined;
  }

  strings(value: unknown, pointer: string): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return value as string[];
    this.wrong(pointer, "a path or glob, or a non-empty list of them", value);
    return undefined;
  }

  oneOf<T extends string>(value: unknown, pointer: string, allowed: readonly T[]): T | undefined {
    if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
    this.wrong(pointer, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`, value);
    return undefined;
  }

  boolean(value: unknown, pointer: string): boolean | undefined {
    if (typeof value === "boolean") return value;
    this.wrong(pointer, "true or false", value);
    return undefined;
  }

  /** The options of a project (or the top level), with paths resolved against the config's folder. */
  options(value: Record<string, unknown>, pointer: string, folder: string): Partial<ResolvedProject["options"]> {
    const out: Record<string, unknown> = {};
    const at = (key: string) => joinPointer(pointer, key);
    if ("sources" in value && this.object(value["sources"], at("sources"))) {
      const sources: Record<string, string> = {};
      for (const [name, path] of Object.entries(value["sources"] as Record<string, unknown>)) {
        const checked = this.string(path, joinPointer(pointer, "sources", name));
        if (checked !== undefined) sources[name] = resolve(folder, checked);
      }
      out["sources"] = sources;
    }
    for (const key of ["allowRemote", "strict", "lintDisable"]) if (key in value) out[key] = this.boolean(value[key], at(key));
    if ("runtime" in value) out["runtime"] = this.oneOf(value["runtime"], at("runtime"), ["copy", "package"]);
    if ("importExtension" in value) out["importExtension"] = this.oneOf(value["importExtension"], at("importExtension"), [".js", ".ts", "none"]);
    if ("format" in value) out["format"] = this.oneOf(value["format"], at("format"), ["prettier", "arazzoc"]);
    if ("durable" in value) out["durable"] = this.oneOf(value["durable"], at("durable"), ["restate"]);
    if ("stepConcurrency" in value) out["stepConcurrency"] = this.oneOf(value["stepConcurrency"], at("stepConcurrency"), ["sequential", "concurrent"]);
    if ("banner" in value) {
      const lines = this.strings(value["banner"], at("banner"));
      // The banner goes into generated code: only comments, so that a config cannot add statements.
      if (lines && lines.every((line) => /^\s*(\/\/[^\n\r]*|\/\*(?:(?!\*\/)[^])*\*\/)\s*$/.test(line))) out["banner"] = lines;
      else if (lines) this.wrong(at("banner"), "comment lines (// … or /* … */)", value["banner"]);
    }
    if ("severity" in value && this.object(value["severity"], at("severity"))) {
      const severity: Record<string, SeverityOverride> = {};
      for (const [code, level] of Object.entries(value["severity"] as Record<string, unknown>)) {
        const where = joinPointer(pointer, "severity", code);
        if (!(code in catalogue)) {
          this.report("AZC7004", { code, reason: `there is no such code.${didYouMean(code, Object.keys(catalogue))}` }, where, true);
          continue;
        }
        const checked = this.oneOf(level, where, ["off", "warning", "error"]);
        if (checked === undefined) continue;
        if (catalogue[code as DiagnosticCode].severity === "error" && checked !== "error") {
          this.report("AZC7004", { code, reason: "it is an error" }, where);
          continue;
        }
        severity[code] = checked;
      }
      out["severity"] = severity;
    }
    return out as Partial<ResolvedProject["options"]>;
  }

  project(value: Record<string, unknown>, pointer: string, folder: string, defaults: Partial<ResolvedProject["options"]>): ResolvedProject | undefined {
    // Inputs and paths are the config folder's; diagnostics still name files from where arazzoc runs.
    const options: Record<string, unknown> = { ...defaults, ...this.options(value, pointer, folder), pathsFrom: folder };
    if (options["sources"] !== undefined) options["sourcesFrom"] = this.file;
    const name = "name" in value ? this.string(value["name"], joinPointer(pointer, "name")) : undefined;
    if (!("inputs" in value)) {
      this.report("AZC7002", { field: fieldPath(joinPointer(pointer, "inputs")) || "inputs", expected: "a path or glob, or a list of them (it is missing)" }, pointer);
      return undefined;
    }
    const inputs = this.strings(value["inputs"], joinPointer(pointer, "inputs"));
    const outDir = "outDir" in value ? this.string(value["outDir"], joinPointer(pointer, "outDir")) : undefined;
    if (inputs === undefined) return undefined;
    const banner = [...(options["lintDisable"] ? ["/* eslint-disable */"] : []), ...((options["banner"] as string[] | undefined) ?? [])];
    delete options["lintDisable"];
    if (banner.length > 0) options["banner"] = banner;
    const resolvedOut = outDir === undefined ? undefined : resolve(folder, outDir);
    if (resolvedOut !== undefined) options["outDir"] = resolvedOut;
    return {
      ...(name !== undefined ? { name } : {}),
      inputs: inputs.map((input) => resolve(folder, input)),
      ...(resolvedOut !== undefined ? { outDir: resolvedOut } : {}),
      options: options as ResolvedProject["options"],
    };
  }

  config(value: unknown, folder: string): ResolvedProject[] {
    if (!this.object(value, "")) return [];
    this.fields(value, "", TOP_FIELDS);
    if ("projects" in value) {
      const defaults = this.options(value, "", folder);
      const list = value["projects"];
      if (!Array.isArray(list) || list.length === 0) {
        this.wrong("/projects", "a non-empty list of projects", list);
        return [];
      }
      if ("inputs" in value || "outDir" in value)
        this.report("AZC7001", { field: "inputs" in value ? "inputs" : "outDir", suggestion: " next to projects", names: OPTION_FIELDS.join(", ") + ", projects" }, "inputs" in value ? "/inputs" : "/outDir", true);
      const projects: ResolvedProject[] = [];
      list.forEach((entry, index) => {
        const pointer = joinPointer("/projects", index);
        if (!this.object(entry, pointer)) return;
        this.fields(entry, pointer, PROJECT_FIELDS);
        const project = this.project(entry, pointer, folder, defaults);
        if (project) projects.push(project);
      });
      return projects;
    }
    if (!("inputs" in value)) return [];
    const project = this.project(value, "", folder, {});
    return project ? [project] : [];
  }
}

/** Line and column of an offset in a text, 1-based. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Imports an ES module config afresh (a watcher reloads it after a change). */
async function importFresh(path: string): Promise<unknown> {
  const stamp = statSync(path).mtimeMs;
  const module = (await import(`${pathToFileURL(path).href}?t=${stamp}`)) as { default?: unknown };
  return module.default;
}

/**
 * A TypeScript config: imported as it is where Node strips types itself; else transpiled with esbuild
 * when the project has it (it comes with tsx, vite and vitest), into a file next to the config so that its
 * imports resolve as written. Node 20 has no type stripping of its own.
 */
async function importTypeScript(path: string): Promise<unknown> {
  const features = process.features as { typescript?: string | false };
  if (features.typescript) return importFresh(path);
  let esbuild: { transform: (code: string, options: object) => Promise<{ code: string }> };
  try {
    const resolved = createRequire(path).resolve("esbuild");
    esbuild = (await import(pathToFileURL(resolved).href)) as typeof esbuild;
  } catch {
    throw new ConfigLoadError(
      `Node ${process.versions.node} cannot import TypeScript, and esbuild is not installed`,
      "Install esbuild (npm install --save-dev esbuild), run Node 22.18 or later, or write arazzoc.config.mjs (with a JSDoc @type for the types).",
    );
  }
  const { code } = await esbuild.transform(readFileSync(path, "utf8"), { loader: "ts", format: "esm", sourcefile: path });
  const temporary = join(dirname(path), `.arazzoc.config.${process.pid}.${Date.now()}.mjs`);
  writeFileSync(temporary, code, { flag: "wx" });
  try {
    return ((await import(pathToFileURL(temporary).href)) as { default?: unknown }).default;
  } finally {
    unlinkSync(temporary);
  }
}

class ConfigLoadError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Reads, validates and resolves a config file. Its problems are diagnostics, never exceptions. */
export async function loadConfig(path: string, cwd: string = process.cwd()): Promise<LoadedConfig> {
  const folder = dirname(path);
  const file = displayPathOf(path, cwd);
  const failed = (code: DiagnosticCode, args: Record<string, string>, range?: SourceRange): LoadedConfig => ({
    path,
    folder,
    projects: [],
    diagnostics: [makeDiagnostic(code, args, { file, pointer: "", range })],
  });
  if (path.endsWith(".json")) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      return failed("AZC1001", { file, reason: (error as Error).message });
    }
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /position (\d+)/.exec(message)?.[1];
      const at = /line (\d+) column (\d+)/.exec(message);
      const position = at ? { line: Number(at[1]), column: Number(at[2]) } : offset !== undefined ? lineColumn(text, Number(offset)) : { line: 1, column: 1 };
      const reason = message.replace(/^JSON\.parse: /, "").replace(/ in JSON at position \d+.*$/, "").replace(/ \(line \d+ column \d+\)$/, "");
      return failed("AZC7000", { reason }, { ...position, endLine: position.line, endColumn: position.column + 1 });
    }
    const parsed = parseWithPositions(path, file, text);
    if (!parsed.file) return { path, folder, projects: [], diagnostics: parsed.diagnostics.map((d) => ({ ...d, code: "AZC7000" as const })) };
    const validator = new ConfigValidator(file, parsed.file.locate);
    const projects = validator.config(parsed.file.value, folder);
    return { path, folder, projects, diagnostics: validator.diagnostics };
  }
  let value: unknown;
  try {
    value = path.endsWith(".ts") ? await importTypeScript(path) : await importFresh(path);
  } catch (error) {
    if (error instanceof ConfigLoadError) return failed("AZC7003", { reason: error.message, hint: error.hint });
    return failed("AZC7003", {
      reason: error instanceof Error ? error.message.split("\n")[0]! : String(error),
      hint: "Fix the error in the config module: it must run and export the config as its default export (export default defineConfig({ ... })).",
    });
  }
  if (value === undefined) {
    return failed("AZC7003", {
      reason: "it has no default export",
      hint: "Export the config as the module's default: export default defineConfig({ ... }).",
    });
  }
  const validator = new ConfigValidator(file, () => undefined);
  const projects = validator.config(value, folder);
  return { path, folder, projects, diagnostics: validator.diagnostics };
}

/** Is there a config file to read: the one named, else the nearest one at or above cwd. */
export function configPath(named: string | undefined, cwd: string): string | undefined {
  if (named !== undefined) return resolve(cwd, named);
  const found = findConfig(cwd);
  return found !== undefined && existsSync(found) ? found : undefined;
}
