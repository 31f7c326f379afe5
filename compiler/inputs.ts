// What the inputs name: Arazzo documents given as files, folders (searched recursively) or globs, each
// with the folder its module's path in the output is relative to, so that nested inputs keep their layout
// and same-named documents in different folders do not collide.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

export interface InputDocument {
  /** Absolute path of the document. */
  readonly path: string;
  /** The folder its module's output path is relative to: the folder input, the glob's fixed part, or its own folder. */
  readonly base: string;
}

export interface ExpandedInputs {
  readonly documents: InputDocument[];
  /** Inputs (as given) that named no document: a folder without Arazzo documents, a glob matching none. */
  readonly empty: string[];
  /** Folders searched, for watching: a document added there is an input of the next compile. */
  readonly folders: string[];
}

const DOCUMENT_EXTENSIONS = /\.(ya?ml|json)$/i;
const GLOB_MAGIC = /[*?[{]/;

export function isGlob(input: string): boolean {
  return GLOB_MAGIC.test(input);
}

/**
 * A glob as a regular expression over `/`-separated paths: `**` any number of folders, `*` and `?` within
 * one name, `[abc]` a class, `{a,b}` alternatives. Names starting with a dot are matched only when the
 * pattern spells the dot, as shells do.
 */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slashAfter = glob[i + 2] === "/";
        out += slashAfter ? "(?:(?!\\.)[^/]*/)*" : "(?:(?!\\.)[^/]*(?:/|$))*";
        i += slashAfter ? 2 : 1;
      } else out += i === 0 || glob[i - 1] === "/" ? "(?!\\.)[^/]*" : "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += `[${body.startsWith("!") ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === "{") {
      out += "(?:";
      depth++;
    } else if (c === "}" && depth > 0) {
      out += ")";
      depth--;
    } else if (c === "," && depth > 0) out += "|";
    else out += c.replace(/[.+^$()|\\/]/g, (ch) => (ch === "/" ? "/" : `\\${ch}`));
  }
  return new RegExp(`^${out}$`);
}

/** The folders of a glob before its first segment with a wildcard: where the search starts. */
function globBase(glob: string): string {
  const parts = glob.split("/");
  const fixed: string[] = [];
  for (const part of parts) {
    if (GLOB_MAGIC.test(part)) break;
    fixed.push(part);
  }
  return fixed.length === parts.length ? dirname(glob) : fixed.join("/") || ".";
}

/** Does a file in a searched folder look like an Arazzo document (a top-level `arazzo` key)? */
function declaresArazzo(path: string): boolean {
  try {
    // Arazzo documents are small; a file of several MB is an OpenAPI source, not worth reading here.
    if (statSync(path).size > 4 * 1024 * 1024) return false;
    return /^\s*["']?arazzo["']?\s*:/m.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

/** Every Arazzo document under a folder, in a stable order; hidden folders and node_modules are skipped. */
function walk(dir: string, folders: string[], accept: (path: string) => boolean, found: string[]): void {
  folders.push(dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(dir, entry.name);
    // Symbolic links are not followed: a search stays inside the folder it was given.
    if (entry.isDirectory()) walk(full, folders, accept, found);
    else if (entry.isFile() && DOCUMENT_EXTENSIONS.test(entry.name) && accept(full)) found.push(full);
  }
}

export function expandInputs(inputs: readonly string[], cwd: string): ExpandedInputs {
  const documents: InputDocument[] = [];
  const empty: string[] = [];
  const folders: string[] = [];
  const seen = new Set<string>();
  const add = (path: string, base: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    documents.push({ path, base });
  };
  for (const input of inputs) {
    if (isGlob(input)) {
      const pattern = input.split(sep).join("/");
      const base = resolve(cwd, globBase(pattern));
      const matcher = globToRegExp(resolve(cwd, pattern).split(sep).join("/"));
      const found: string[] = [];
      walk(base, folders, (path) => matcher.test(path.split(sep).join("/")) && declaresArazzo(path), found);
      if (found.length === 0) empty.push(input);
      for (const path of found) add(path, base);
      continue;
    }
    const path = resolve(cwd, input);
    let isFolder = false;
    try {
      isFolder = statSync(path).isDirectory();
    } catch {
      add(path, dirname(path)); // reported as unreadable when loaded
      continue;
    }
    if (!isFolder) {
      add(path, dirname(path));
      continue;
    }
    const found: string[] = [];
    walk(path, folders, declaresArazzo, found);
    if (found.length === 0) empty.push(input);
    for (const file of found) add(file, path);
  }
  return { documents, empty, folders };
}

/** Characters that would not survive as a module specifier (URL syntax, quotes) or as a portable file name. */
const UNSAFE_NAME_CHARACTERS = /[#?%"'`\\<>|:*\u0000-\u001f\u007f]/g;

/** File names of the runtime in the output folder, which no module may take. */
export const RUNTIME_FILE_NAMES: ReadonlySet<string> = new Set(["runtime.ts", "runtime-jsonpath.ts"]);

/**
 * The module's path in the output folder (`/`-separated): the document's path relative to its base, with
 * `.ts` for its extension. Characters that module specifiers or file systems treat specially are replaced
 * with `_`; a name the runtime takes gets `.workflows` added. `renamed` says why the name differs from the
 * document's, when it does.
 */
export function modulePath(document: InputDocument): { path: string; renamed?: string } {
  const rel = relative(document.base, document.path).split(sep).join("/");
  const plain = (rel.startsWith("..") ? basename(document.path) : rel).replace(DOCUMENT_EXTENSIONS, "");
  let path = plain.replace(UNSAFE_NAME_CHARACTERS, "_") + ".ts";
  let renamed: string | undefined;
  if (path !== `${plain}.ts`) renamed = "its name has characters that module specifiers or file systems treat specially";
  if (RUNTIME_FILE_NAMES.has(path)) {
    path = path.replace(/\.ts$/, ".workflows.ts");
    renamed = "the runtime of the output folder has that name";
  }
  return renamed === undefined ? { path } : { path, renamed };
}
