// Reading files and naming them for the user: diagnostics show paths relative to the working directory.
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

export function displayPathOf(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : absolutePath;
}

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

/** Reads a text file; a folder, a missing file or a non-UTF-8 file is a reason, never an exception. */
export function readText(path: string): ReadResult {
  try {
    if (statSync(path).isDirectory()) return { ok: false, reason: "it is a folder" };
    const bytes = readFileSync(path);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, reason: "no such file" };
    if (code === "EACCES") return { ok: false, reason: "permission denied" };
    if (error instanceof TypeError) return { ok: false, reason: "it is not UTF-8 text" };
    return { ok: false, reason: (error as Error).message };
  }
}

export function absolute(path: string, cwd: string): string {
  return resolve(cwd, path);
}
