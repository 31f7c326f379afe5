// Formatting that fits the project: the Prettier configuration that applies to the output folder (the
// one `prettier --write` would use there, .editorconfig included), so that a formatter run over the
// repository leaves generated files alone and `--check` stays green after it.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Options } from "prettier";
import { PRETTIER_OPTIONS } from "../emit/ts/module.js";

/**
 * The Prettier options for files in `outDir`: the project's configuration when it has one, else arazzoc's
 * own (the same object, PRETTIER_OPTIONS, so that callers can tell). Plugins named by the configuration
 * are not loaded: generated code never needs them, and loading code named by a config is not
 * arazzoc's to do.
 */
export async function projectPrettierOptions(outDir: string): Promise<Options> {
  const { getFileInfo, resolveConfig } = await import("prettier");
  // A file name inside the folder: configuration overrides apply by file pattern.
  const file = join(outDir, "module.ts");
  const resolved = await resolveConfig(file, { editorconfig: true });
  if (resolved === null) return PRETTIER_OPTIONS;
  // An output folder the project's .prettierignore excludes is never reformatted: arazzoc's style then.
  const ignorePath = nearestIgnoreFile(outDir);
  if (ignorePath !== undefined && (await getFileInfo(file, { ignorePath })).ignored) return PRETTIER_OPTIONS;
  const { plugins: _plugins, parser: _parser, filepath: _filepath, ...options } = resolved;
  return { ...options, parser: "babel-ts" };
}

/** The .prettierignore at or above a folder (Prettier reads it from where it runs: usually the project root). */
function nearestIgnoreFile(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, ".prettierignore");
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, "package.json")) || dirname(dir) === dir) return undefined;
  }
}
