// Watch mode: compile, write, and compile again when a document, a source or a file a $ref names
// changes, or a document appears in a searched folder. Parsed files are kept between builds and reused
// while unchanged, and only files whose bytes change are written, so a rebuild after an edit costs the
// edited file and the emitting of the modules, not a cold start.
import { watch as watchFolder, type FSWatcher } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { compile, createCompileCache, type CompileOptions, type CompileResult } from "./index.js";
import { writeOutput, type WriteReport } from "./output/write.js";

export interface WatchOptions extends Omit<CompileOptions, "emit" | "cache"> {
  /** The output folder. */
  readonly outDir: string;
  /** After each build (the first one included). */
  readonly onBuild: (build: Build) => void;
  /** Other files whose change starts a build (a config file). */
  readonly alsoWatch?: readonly string[];
  /** A build that failed for a reason of arazzoc's own (not a diagnostic); without it, the first build's promise rejects. */
  readonly onError?: (error: unknown) => void;
  /** Quiet time after a change before building, so that an editor's several writes make one build. Default 25 ms. */
  readonly debounceMs?: number;
}

export interface Build {
  readonly result: CompileResult;
  /** Absent when the compilation had errors (nothing is written then). */
  readonly report?: WriteReport;
  /** How long the build took, in milliseconds. */
  readonly ms: number;
  /** The changed files that started it (empty for the first build). */
  readonly changed: readonly string[];
}

export interface Watcher {
  /** Settles after the first build. */
  readonly ready: Promise<void>;
  /** Stops watching; settles when a build under way has finished. */
  close(): Promise<void>;
}

const DOCUMENT = /\.(ya?ml|json)$/i;

export function watch(options: WatchOptions): Watcher {
  const cache = createCompileCache();
  const outDir = resolve(options.cwd ?? process.cwd(), options.outDir);
  const watchers = new Map<string, FSWatcher>();
  let files = new Set<string>();
  let folders = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  let building: Promise<void> | undefined;
  let closed = false;

  const inOutput = (path: string) => path === outDir || path.startsWith(outDir + sep);
  const schedule = (path: string) => {
    if (closed || inOutput(path)) return;
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => void run(), options.debounceMs ?? 25);
  };

  const observe = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      const watcher = watchFolder(dir, (_event, name) => {
        if (name === null) return;
        const path = join(dir, name.toString());
        if (files.has(path) || (folders.has(dir) && DOCUMENT.test(path))) schedule(path);
      });
      watcher.on("error", () => watcher.close());
      watchers.set(dir, watcher);
    } catch {
      // A folder that does not exist (yet): the file's absence is already a diagnostic.
    }
  };

  const build = async (trigger: readonly string[]): Promise<void> => {
    const started = performance.now();
    const result = await compile({ ...options, outDir, emit: true, cache });
    const failed = result.diagnostics.some((d) => d.severity === "error");
    const report = failed ? undefined : writeOutput(outDir, result.files, result.modules, options.cwd !== undefined ? { cwd: options.cwd } : {});
    files = new Set([...result.reads, ...(options.alsoWatch ?? []).map((p) => resolve(p))]);
    folders = new Set(result.folders);
    // Folders to observe: those of the files read and those searched; the others are let go.
    const wanted = new Set([...[...files].map((f) => dirname(f)), ...folders]);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) observe(dir);
    options.onBuild({ result, ...(report ? { report } : {}), ms: performance.now() - started, changed: trigger });
  };

  // One build at a time; changes during a build start one more build after it.
  let again = false;
  const run = async (): Promise<void> => {
    if (building) {
      again = true;
      return building;
    }
    const loop = async () => {
      do {
        again = false;
        const trigger = [...changed].sort();
        changed = new Set();
        try {
          await build(trigger);
        } catch (error) {
          if (options.onError) options.onError(error);
          else throw error;
        }
      } while (again && changed.size > 0 && !closed);
    };
    building = loop().finally(() => {
      building = undefined;
    });
    return building;
  };

  const ready = run();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      await ready.catch(() => undefined);
      if (building) await building.catch(() => undefined);
    },
  };
}
