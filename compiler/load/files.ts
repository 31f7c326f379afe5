// Reading files and naming them for the user: diagnostics show paths relative to the working directory.
// Every local read goes through readText, which keeps documents inside the project folder and reads only
// regular files of bounded size: a document is untrusted input, and what it names must not make the
// compiler read secrets, hang on a device or exhaust memory.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export function displayPathOf(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split("\\").join("/") : absolutePath;
}

/** 64 MiB: far above any real description (the largest public ones are a few MB), far below memory limits. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What may be read: the project folder, and files the user named explicitly. */
export interface ReadPolicy {
  /** The project folder, as given (absolute); documents may name only files inside it. */
  readonly root: string;
  /** Read files a document names wherever they are (--allow-outside-root). */
  readonly allowOutsideRoot: boolean;
  /** Largest file read, in bytes. */
  readonly maxFileBytes: number;
}

export type ReadFailure =
  /** The file is outside the project folder: nothing about it (not even whether it exists) is told. */
  | { ok: false; kind: "outside-root"; root: string }
  /** A folder, device, FIFO or socket: refused before any byte is read. */
  | { ok: false; kind: "not-regular"; what: string }
  | { ok: false; kind: "too-large"; size: number; limit: number }
  | { ok: false; kind: "unreadable"; reason: string };

export type ReadResult = { ok: true; text: string } | ReadFailure;

/** Whether `path` (absolute, symlinks resolved) is `folder` or inside it. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith(".." + sep) && rel !== ".." && !isAbsolute(rel));
}

/** The real path of the project folder (a symlinked root still contains what its target contains). */
export function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

function fileKind(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a pipe";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Reads a UTF-8 text file under `policy`. `trusted` files (named by the user on the command line) may lie
 * outside the project folder; every other file must resolve, symlinks followed, inside it. Problems are
 * results, never exceptions.
 */
export function readText(path: string, policy: ReadPolicy, trusted = false): ReadResult {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    // A missing file outside the root must read as outside, not as missing: its existence is not told.
    if (
      !trusted &&
      !policy.allowOutsideRoot &&
      !isInside(resolve(path), realRoot(policy.root)) &&
      !isInside(resolve(path), resolve(policy.root))
    )
      return { ok: false, kind: "outside-root", root: policy.root };
    return unreadable(error);
  }
  if (!trusted && !policy.allowOutsideRoot && !isInside(real, realRoot(policy.root)))
    return { ok: false, kind: "outside-root", root: policy.root };
  let fd: number | undefined;
  try {
    const before = statSync(real);
    if (!before.isFile()) return { ok: false, kind: "not-regular", what: fileKind(before) };
    if (before.size > policy.maxFileBytes) return { ok: false, kind: "too-large", size: before.size, limit: policy.maxFileBytes };
    // O_NONBLOCK: should the file have been swapped for a FIFO since the stat, opening it does not wait
    // for a writer; the fstat below then refuses it.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, kind: "not-regular", what: fileKind(stats) };
    if (stats.size > policy.maxFileBytes) return { ok: false, kind: "too-large", size: stats.size, limit: policy.maxFileBytes };
    // Read at most one byte past the limit: a file that grows while it is read is still bounded.
    const buffer = Buffer.alloc(Math.min(stats.size, policy.maxFileBytes) + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > policy.maxFileBytes) return { ok: false, kind: "too-large", size: length, limit: policy.maxFileBytes };
    const text = new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length));
    return { ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text };
  } catch (error) {
    return unreadable(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function unreadable(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return { ok: false, kind: "unreadable", reason: "no such file" };
  if (code === "EACCES") return { ok: false, kind: "unreadable", reason: "permission denied" };
  if (code === "EISDIR") return { ok: false, kind: "not-regular", what: "a folder" };
  if (error instanceof TypeError) return { ok: false, kind: "unreadable", reason: "it is not UTF-8 text" };
  return { ok: false, kind: "unreadable", reason: (error as Error).message };
}

export function absolute(path: string, cwd: string): string {
  return resolve(cwd, path);
}

/** `1048576`, `64MiB`, `1GiB`, `512KiB` (also KB/MB/GB, read as binary units): bytes, or undefined. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kib|kb|k|mib|mb|m|gib|gb|g)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? "b").toLowerCase()[0]!;
  const factor = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
