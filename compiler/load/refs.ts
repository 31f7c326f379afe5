// Documents by absolute path, and JSON Reference ($ref) resolution across them. Each file is read and
// parsed once per compilation however many $refs point into it.
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";
import { DEFAULT_MAX_FILE_BYTES, displayPathOf, readText, type ReadPolicy } from "./files.js";
import { DEFAULT_MAX_REDIRECTS, DEFAULT_REMOTE_TIMEOUT_MS, RemoteReader, type RemoteRead, type RemotePolicy } from "./remote.js";
import type { Located } from "./json.js";
import { getAtPointer, joinPointer, parsePointer } from "./pointer.js";
import { SchemaNormalizer } from "./schemas.js";
import { baseAt, documentScope, referencesOf, type DocumentScope, type ScopeProblem } from "./scopes.js";
import { parseFast, parseWithPositions, type ParsedFile } from "./yaml.js";

/** Where a $ref leads: a node of some document. */
export type Resolved = Located;

const REMOTE = /^https?:\/\//i;

/** `relative` resolved against the location of a document: a URL for remote documents, else a path. */
export function resolveLocation(base: string, relative: string): string {
  if (REMOTE.test(relative)) return relative;
  if (REMOTE.test(base)) return new URL(relative, base).href;
  return resolve(dirname(base), decodeURIComponent(relative));
}

export function isRemote(location: string): boolean {
  return REMOTE.test(location);
}

/** Remote documents read per compilation, at most. */
const MAX_REMOTE_DOCUMENTS = 50;

export interface StorePolicy extends ReadPolicy {
  readonly remote: RemotePolicy;
}

/** The policy when nothing is said: the working directory as the project folder, default limits. */
export function defaultPolicy(cwd: string): StorePolicy {
  return {
    root: cwd,
    allowOutsideRoot: false,
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    remote: { allowHosts: [], timeoutMs: DEFAULT_REMOTE_TIMEOUT_MS, maxBytes: DEFAULT_MAX_FILE_BYTES, maxRedirects: DEFAULT_MAX_REDIRECTS },
  };
}

export class DocumentStore {
  /** The schemas of this compilation's files, normalized as they are read (one shared table). */
  readonly schemas = new SchemaNormalizer(this);
  private readonly files = new Map<string, { file?: ParsedFile; diagnostics: Diagnostic[] }>();
  /** Remote documents read ahead of time, by URL (their text, or why it could not be had). */
  private readonly remote = new Map<string, RemoteRead>();
  /** Files the user named (inputs, --source): read wherever they are; what they name must be in the root. */
  private readonly trusted = new Set<string>();
  private readonly reader: RemoteReader;
  /** Every local file this compilation read (or tried to read), for watchers. */
  readonly reads = new Set<string>();
  /** Documents by the identity they declare (`$self`): absolute URI → where the document was read. */
  private readonly identities = new Map<string, string>();
  /** JSON Schema resources (`$id`) of the documents read: absolute URI → document and pointer tokens. */
  private readonly resources = new Map<string, { path: string; tokens: readonly string[] }>();
  private readonly scopes = new WeakMap<ParsedFile, DocumentScope | null>();
  /** URI prefixes mapped to local folders (`--source https://api.example.com/specs/=./specs/`). */
  private uriPrefixes: ReadonlyArray<readonly [string, string]> = [];
  /** The mapped URI prefixes some reference went through. */
  readonly usedUriPrefixes = new Set<string>();
  /**
   * `cache`: parsed files kept from an earlier compilation (watch mode), reused while their size and
   * modification time are unchanged.
   */
  constructor(
    readonly cwd: string,
    readonly policy: StorePolicy = defaultPolicy(cwd),
    private readonly cache?: Map<string, { stamp: string; result: { file?: ParsedFile; diagnostics: Diagnostic[] } }>,
  ) {
    this.reader = new RemoteReader(policy.remote);
  }

  trust(path: string): void {
    this.trusted.add(path);
  }

  /** Maps URI prefixes (ending in /) to local folders, for references that resolve by identity. */
  mapUriPrefixes(prefixes: ReadonlyMap<string, string>): void {
    this.uriPrefixes = [...prefixes].filter(([key]) => key.endsWith("/")).sort((a, b) => b[0].length - a[0].length);
  }

  /** A URI as messages show it: a local file by its path from the working folder, so no machine path is shown. */
  shownUri(uri: string): string {
    return uri.startsWith("file:") ? displayPathOf(fileURLToPath(uri), this.cwd) : uri;
  }

  /** Where the document that declares this identity (`$self`) was read, when one of those read does. */
  identity(uri: string): string | undefined {
    return this.identities.get(uri);
  }

  /** The base URIs of a document (its `$self` and `$id`s); undefined when it resolves by location only. */
  scopeOf(file: ParsedFile): DocumentScope | undefined {
    let scope = this.scopes.get(file);
    if (scope === undefined) {
      scope = documentScope(file.value, file.path) ?? null;
      this.scopes.set(file, scope);
    }
    return scope ?? undefined;
  }

  /** Learns the identity and schema resources a document declares, the first document to declare each winning. */
  private register(file: ParsedFile, path: string): void {
    const scope = this.scopeOf(file);
    if (!scope) return;
    if (scope.self !== undefined && !this.identities.has(scope.self)) this.identities.set(scope.self, path);
    for (const [uri, tokens] of scope.resources) if (!this.resources.has(uri)) this.resources.set(uri, { path, tokens });
  }

  /**
   * What is wrong with the references of a document that resolve by identity (under its `$self` or a `$id`): each
   * `$ref` that leads nowhere, and each `$self` or `$id` that is no URI reference. References that resolve by
   * location are not judged here: they are reported where something reads through them.
   */
  identityProblems(file: ParsedFile): { refs: { pointer: string; ref: string; reason: string }[]; keywords: readonly ScopeProblem[] } {
    const scope = this.scopeOf(file);
    if (!scope) return { refs: [], keywords: [] };
    const refs: { pointer: string; ref: string; reason: string }[] = [];
    for (const { pointer, tokens, ref } of referencesOf(file.value)) {
      if (baseAt(scope, tokens).uri === scope.retrieval) continue;
      const hit = this.resolve(file, ref, { follow: false, at: pointer });
      if ("error" in hit) refs.push({ pointer, ref, reason: hit.error });
    }
    return { refs, keywords: scope.problems };
  }

  /**
   * Reads a remote document and, transitively, the remote documents its $refs name, so that loading and
   * $ref resolution can stay synchronous. Bounded in time (one budget for the compilation), size and count.
   */
  async prefetch(url: string): Promise<void> {
    const queue = [url];
    while (queue.length > 0 && this.remote.size < MAX_REMOTE_DOCUMENTS) {
      const next = queue.shift()!;
      if (this.remote.has(next)) continue;
      const result = await this.reader.read(next);
      this.remote.set(next, result);
      if (!result.ok) continue;
      for (const ref of result.text.matchAll(/\$ref["']?\s*:\s*["']?([^"'#\s}]+)/g)) {
        const target = resolveLocation(next, ref[1]!);
        if (isRemote(target) && !this.remote.has(target)) queue.push(target);
      }
    }
  }

  hasFetched(url: string): boolean {
    return this.remote.has(url);
  }

  /** Forgets every file not loaded with positions (the sources), so their memory can be reclaimed. */
  releaseSources(): void {
    for (const [path, entry] of this.files) if (entry.file && !entry.file.hasPositions) this.files.delete(path);
  }

  /** Loads a file once. `positions` asks for a full source map up front (Arazzo documents). */
  load(path: string, positions: boolean): { file?: ParsedFile; diagnostics: Diagnostic[] } {
    const cached = this.files.get(path);
    if (cached) return cached;
    let stamp: string | undefined;
    if (!isRemote(path)) {
      this.reads.add(path);
      if (this.cache) {
        stamp = fileStamp(path);
        const kept = this.cache.get(path);
        if (kept && stamp !== undefined && kept.stamp === stamp && (!positions || kept.result.file?.hasPositions !== false)) {
          this.files.set(path, kept.result);
          if (kept.result.file) this.register(kept.result.file, path);
          return kept.result;
        }
      }
    }
    const displayPath = isRemote(path) ? path : displayPathOf(path, this.cwd);
    const read: RemoteRead | ReturnType<typeof readText> = isRemote(path)
      ? (this.remote.get(path) ?? { ok: false, kind: "unreadable", reason: "remote documents are read only with --allow-remote" })
      : readText(path, this.policy, this.trusted.has(path));
    let result: { file?: ParsedFile; diagnostics: Diagnostic[] };
    if (!read.ok) {
      result = { diagnostics: [readFailure(read, displayPath, this.cwd)] };
    } else if (read.text.trim() === "") {
      result = {
        diagnostics: [
          makeDiagnostic("AZC1004", {}, { file: displayPath, pointer: "", range: { line: 1, column: 1, endLine: 1, endColumn: 1 } }),
        ],
      };
    } else {
      result = positions ? parseWithPositions(path, displayPath, read.text) : parseFast(path, displayPath, read.text);
    }
    this.files.set(path, result);
    if (this.cache && stamp !== undefined) this.cache.set(path, { stamp, result });
    if (result.file) this.register(result.file, path);
    return result;
  }

  /** The node itself, or where it leads when it is a Reference Object; undefined when that is nowhere. */
  deref(node: Located): Located | undefined {
    const ref = refOf(node.value);
    if (ref === undefined) return node;
    const hit = this.resolve(node.file, ref, { at: node.pointer });
    return "error" in hit ? undefined : hit;
  }

  /**
   * Resolves `ref` written in `from`, following chains of $ref objects (unless `follow` is false: then
   * where the first one leads). Returns a reason instead of throwing; a cycle of pure references is a
   * reason too.
   */
  resolve(from: ParsedFile, ref: string, options: { follow?: boolean; at?: string } = {}): Resolved | { error: string } {
    const seen = new Set<string>();
    let file = from;
    let current = ref;
    // Where the $ref is written, when known: what decides its base URI under a `$self` or `$id`.
    let at = options.at;
    for (;;) {
      const hash = current.indexOf("#");
      const filePart = hash < 0 ? current : current.slice(0, hash);
      const pointerText = hash < 0 ? "" : decodeURIComponent(current.slice(hash + 1));
      // The schema resource the fragment is read in: the whole document, or a `$id` schema inside it.
      let resource: readonly string[] = [];
      const byIdentity = at !== undefined ? this.identityTarget(file, at, filePart) : undefined;
      if (byIdentity !== undefined) {
        if ("error" in byIdentity) return byIdentity;
        file = byIdentity.file;
        resource = byIdentity.tokens;
      } else {
        if (/^[a-z][a-z0-9+.-]*:/i.test(filePart) && !isRemote(filePart)) return { error: `'${filePart}' is not a file or http(s) URL` };
        if (filePart !== "") {
          const target = resolveLocation(file.path, filePart);
          const loaded = this.load(target, false);
          if (!loaded.file) return { error: loaded.diagnostics[0]?.message ?? "cannot read the file" };
          file = loaded.file;
        }
      }
      // A fragment that is not a pointer names a JSON Schema `$anchor` (2020-12; Arazzo 1.1 input schemas).
      const anchor =
        pointerText !== "" && !pointerText.startsWith("/") ? findAnchor(getAtPointer(file.value, resource), pointerText) : undefined;
      if (anchor === "ambiguous") return { error: `more than one schema declares $anchor '${pointerText}'` };
      const inResource = anchor ?? parsePointer(pointerText);
      if (!inResource) return { error: `'${pointerText}' is not a JSON pointer` };
      const tokens = [...resource, ...inResource];
      const pointer = anchor || resource.length > 0 ? joinPointer("", ...tokens) : pointerText;
      const key = `${file.path}#${pointer}`;
      if (seen.has(key)) return { error: "the references form a cycle" };
      seen.add(key);
      const value = getAtPointer(file.value, tokens);
      if (value === undefined)
        return { error: `nothing at #${pointerText}${resource.length > 0 ? ` of the schema at #${joinPointer("", ...resource)}` : ""} in ${file.displayPath}` };
      const next = refOf(value);
      if (next === undefined || options.follow === false) return { file, pointer, value };
      current = next;
      at = pointer;
    }
  }

  /**
   * The document and schema resource a reference names when it resolves by identity: written where a `$self` or
   * `$id` sets the base URI. Undefined when nothing does (the reference resolves by location, as it always has).
   * The URI is looked up among the schema resources and the identities of the documents read, then in the URI
   * prefixes mapped to folders, and only then read from where it points: never from a file next door.
   */
  private identityTarget(
    file: ParsedFile,
    at: string,
    reference: string,
  ): { file: ParsedFile; tokens: readonly string[] } | { error: string } | undefined {
    const scope = this.scopeOf(file);
    if (!scope) return undefined;
    const base = baseAt(scope, parsePointer(at) ?? []);
    if (base.uri === scope.retrieval) return undefined;
    let uri: string;
    try {
      const url = new URL(reference, base.uri);
      url.hash = "";
      uri = url.href;
    } catch {
      return { error: `'${reference}' is no URI reference (its base is ${this.shownUri(base.uri)}, ${base.from})` };
    }
    const named = (what: string) => `against ${this.shownUri(base.uri)} (${base.from}) it names ${this.shownUri(uri)}, ${what}`;
    if (uri === scope.base.uri) return { file, tokens: [] };
    const resource = this.resources.get(uri);
    if (resource) {
      const holder = resource.path === file.path ? file : this.load(resource.path, false).file;
      if (holder) return { file: holder, tokens: resource.tokens };
    }
    const mapped = this.uriPrefixes.find(([prefix]) => uri.startsWith(prefix));
    let location = this.identities.get(uri);
    if (location === undefined && mapped) {
      this.usedUriPrefixes.add(mapped[0]);
      location = resolve(mapped[1], ...decodeURIComponent(uri.slice(mapped[0].length)).split("/"));
    }
    if (location === undefined) {
      if (uri.startsWith("file:")) location = fileURLToPath(uri);
      else if (isRemote(uri)) location = uri;
      else return { error: named("which no document read declares as its $self or $id, and which is no file or http(s) URL") };
    }
    const loaded = this.load(location, false);
    if (!loaded.file) {
      const said = loaded.diagnostics[0]?.message ?? "it cannot be read";
      const prefix = `Cannot read ${isRemote(location) ? location : displayPathOf(location, this.cwd)}: `;
      const why = said.startsWith(prefix) ? said.slice(prefix.length) : said;
      return { error: named(`which no document read declares as its $self or $id; reading it: ${why}`) };
    }
    // The URI may name a schema resource of the document it leads to, or the document itself.
    return { file: loaded.file, tokens: this.scopeOf(loaded.file)?.resources.get(uri) ?? [] };
  }
}

/** Where in a document the schema declaring `$anchor: name` is; "ambiguous" when several do. */
function findAnchor(root: unknown, name: string): string[] | "ambiguous" | undefined {
  const found: string[][] = [];
  const walk = (value: unknown, path: string[]): void => {
    if (value === null || typeof value !== "object" || found.length > 1) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, String(i)]));
      return;
    }
    const record = value as Record<string, unknown>;
    if (record["$anchor"] === name) found.push(path);
    for (const key of Object.keys(record)) walk(record[key], [...path, key]);
  };
  walk(root, []);
  return found.length > 1 ? "ambiguous" : found[0];
}

/** Size and modification time of a file, or undefined when it cannot be read. */
function fileStamp(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.size}:${stat.mtimeNs}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** The `$ref` string of a Reference Object, if `value` is one. */
export function refOf(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const ref = (value as Record<string, unknown>)["$ref"];
  return typeof ref === "string" ? ref : undefined;
}

/** The diagnostic for a file or URL that could not be read, said about the file itself. */
function readFailure(
  failure: Exclude<RemoteRead | ReturnType<typeof readText>, { ok: true }>,
  displayPath: string,
  cwd: string,
): Diagnostic {
  const where = { file: displayPath, pointer: "" };
  switch (failure.kind) {
    case "outside-root":
      return makeDiagnostic("AZC1050", { file: displayPath, root: displayPathOf(failure.root, cwd) || ".", note: "" }, where);
    case "not-regular":
      return makeDiagnostic("AZC1051", { file: displayPath, what: failure.what }, where);
    case "too-large":
      return makeDiagnostic("AZC1052", { file: displayPath, limit: failure.limit }, where);
    case "refused-address":
      return makeDiagnostic("AZC1054", { url: failure.url, host: failure.host, address: failure.address, what: failure.what }, where);
    case "unreadable":
      return makeDiagnostic("AZC1001", { file: displayPath, reason: failure.reason }, where);
  }
}
