// Source descriptions: each url resolved against the Arazzo document that names it, read once, and
// indexed when it is an OpenAPI or an AsyncAPI description.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";
import { displayPathOf } from "./files.js";
import { AsyncApiIndexer, asyncApiVersionProblem, type AsyncApiSource } from "./asyncapi.js";
import { baseUriOf, declaredSelf, resolveUri, type IdentityIndex } from "./identity.js";
import { isObject } from "./json.js";
import { OpenApiIndexer, type OpenApiSource } from "./openapi.js";
import { joinPointer } from "./pointer.js";
import { isRemote, resolveLocation, type DocumentStore } from "./refs.js";
import type { ParsedFile } from "./yaml.js";

export interface SourceEntry {
  readonly name: string;
  readonly url: string;
  readonly type?: "openapi" | "arazzo" | "asyncapi" | undefined;
}

/**
 * Where a source is read from: a local file the user mapped it to (`--source name=path`, by name or by
 * URL), else its url resolved against the Arazzo document (a path, or an http(s) URL).
 *
 * A 1.1 document (`identities` given) resolves its url as a URI against its base URI (its `$self`, else where
 * it was read from); the result is looked up by identity among the documents compiled, then in the URI
 * prefixes mapped with `--source <prefix>/=<folder>`, and is read from where it points only after that.
 */
export function sourceLocation(
  arazzo: ParsedFile,
  entry: SourceEntry,
  overrides: ReadonlyMap<string, string>,
  cwd: string,
  identities?: IdentityIndex,
): string {
  const mapped = overrides.get(entry.name) ?? overrides.get(entry.url);
  if (mapped !== undefined) return resolve(cwd, mapped);
  if (identities !== undefined) {
    const uri = resolveUri(entry.url, baseUriOf(arazzo.value, arazzo.path));
    if (uri !== undefined) {
      const known = identities.lookup(uri);
      if (known !== undefined) return known;
      const prefix = mappedPrefix(uri, overrides);
      if (prefix !== undefined) return resolve(cwd, prefix.folder, ...decodeURIComponent(uri.slice(prefix.key.length)).split("/"));
      if (uri.startsWith("file:")) return fileURLToPath(uri);
      return uri;
    }
  }
  return resolveLocation(arazzo.path, entry.url.replace(/^file:\/\//i, "").split("#")[0]!);
}

/**
 * The local files a 1.1 document's sources name, of any type (read ahead, with every other document, so that a
 * description can be found by the identity it declares, whichever document names it first); with `type`, only the
 * sources that say they are of that type (`arazzo`: read ahead to learn their identities; any other file is read
 * when its document is compiled).
 */
export function localSourceLocations(
  file: ParsedFile,
  overrides: ReadonlyMap<string, string>,
  cwd: string,
  identities: IdentityIndex,
  type?: string,
): string[] {
  const root = file.value;
  if (!isObject(root) || !Array.isArray(root["sourceDescriptions"])) return [];
  // A 1.0 document resolves by location only: nothing to learn ahead.
  if (typeof root["arazzo"] !== "string" || !/^1\.1\./.test(root["arazzo"])) return [];
  return (root["sourceDescriptions"] as unknown[]).flatMap((entry) => {
    if (!isObject(entry) || typeof entry["name"] !== "string" || typeof entry["url"] !== "string") return [];
    if (type !== undefined && entry["type"] !== type) return [];
    const location = sourceLocation(file, { name: entry["name"], url: entry["url"] }, overrides, cwd, identities);
    return isRemote(location) || /^[a-z][a-z0-9+.-]*:/i.test(location) ? [] : [location];
  });
}

/** The longest `--source` key that is a URI prefix (ends with /) of `uri`. */
export function mappedPrefix(uri: string, overrides: ReadonlyMap<string, string>): { key: string; folder: string } | undefined {
  let best: { key: string; folder: string } | undefined;
  for (const [key, folder] of overrides)
    if (key.endsWith("/") && uri.startsWith(key) && (best === undefined || key.length > best.key.length)) best = { key, folder };
  return best;
}

/** Diagnostics about a file that was not read at all: said where the document names it. */
const READ_FAILURES: ReadonlySet<string> = new Set(["AZC1050", "AZC1051", "AZC1052", "AZC1053", "AZC1054"]);

const INDEXED = new WeakMap<ParsedFile, Map<string, OpenApiSource>>();
/** Descriptions whose references by identity were judged: once per compilation, however many documents name them. */
const JUDGED = new WeakMap<DocumentStore, WeakSet<ParsedFile>>();
const INDEXED_ASYNC = new WeakMap<ParsedFile, Map<string, AsyncApiSource>>();

export function loadSources(
  store: DocumentStore,
  arazzo: ParsedFile,
  entries: readonly (SourceEntry | undefined)[],
  overrides: ReadonlyMap<string, string> = new Map(),
  identities?: IdentityIndex,
): { sources: Map<string, OpenApiSource>; asyncapi: Map<string, AsyncApiSource>; arazzo: Map<string, string>; diagnostics: Diagnostic[] } {
  const sources = new Map<string, OpenApiSource>();
  const asyncSources = new Map<string, AsyncApiSource>();
  const asyncIndexer = new AsyncApiIndexer(store);
  /** Arazzo-type sources: their locations, by name (compiled as documents of their own). */
  const arazzoSources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const indexer = new OpenApiIndexer(store);
  const indexed = (name: string, file: ParsedFile): OpenApiSource => {
    // Documents of one collection share their descriptions: index each (file, source name) once.
    const byName = INDEXED.get(file) ?? new Map<string, OpenApiSource>();
    INDEXED.set(file, byName);
    let source = byName.get(name);
    if (!source) {
      source = indexer.index(name, file);
      byName.set(name, source);
    }
    return source;
  };
  // Every local description is parsed before any reference is resolved, so that one may name another by the
  // identity ($self) it declares (OpenAPI 3.2, as Arazzo 1.1 documents do).
  const located = entries.map((entry) => (entry ? sourceLocation(arazzo, entry, overrides, store.cwd, identities) : undefined));
  for (const location of located)
    if (location !== undefined && !isRemote(location) && !/^[a-z][a-z0-9+.-]*:/i.test(location)) store.load(location, false);
  entries.forEach((entry, index) => {
    // An entry that could not be read (undefined, keeping the indices of the others) is not read.
    if (!entry) return;
    const at = joinPointer("/sourceDescriptions", index, "url");
    const where = { file: arazzo.displayPath, pointer: at, range: arazzo.locate(at) };
    let path = located[index]!;
    // A 1.1 document's url names a description by identity first, unless the user mapped the source.
    if (identities !== undefined && !overrides.has(entry.name) && !overrides.has(entry.url)) {
      const uri = resolveUri(entry.url, baseUriOf(arazzo.value, arazzo.path));
      const declared = uri !== undefined ? store.identity(uri) : undefined;
      if (declared !== undefined) path = declared;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !isRemote(path)) {
      diagnostics.push(makeDiagnostic("AZC1001", { file: entry.url, reason: "only files and http(s) URLs can be read" }, where));
      return;
    }
    if (isRemote(path) && !store.hasFetched(path)) {
      diagnostics.push(makeDiagnostic("AZC1009", { url: path, name: entry.name }, where));
      return;
    }
    const loaded = store.load(path, false);
    const judged = JUDGED.get(store) ?? new WeakSet<ParsedFile>();
    JUDGED.set(store, judged);
    if (loaded.file && !judged.has(loaded.file)) {
      judged.add(loaded.file);
      diagnostics.push(...identityDiagnostics(store, loaded.file));
    }
    if (!loaded.file) {
      // Report where the document names the source, with the reason from reading it.
      for (const d of loaded.diagnostics) {
        if (d.code === "AZC1001")
          diagnostics.push(makeDiagnostic("AZC1001", { file: entry.url, reason: d.message.replace(/^Cannot read [^:]*: /, "") }, where));
        else if (d.code === "AZC1050" && /^\/(?!\/)/.test(entry.url))
          // A url written from the filesystem root is most often meant from the document's folder or the project's.
          diagnostics.push(
            makeDiagnostic(
              "AZC1050",
              {
                file: entry.url,
                root: displayPathOf(store.policy.root, store.cwd) || ".",
                note: ` (the url starts with /, so it is an absolute path of this machine; a url relative to the document is written without the leading /, e.g. .${entry.url})`,
              },
              where,
            ),
          );
        else if (READ_FAILURES.has(d.code))
          diagnostics.push({ ...d, file: where.file, pointer: where.pointer, ...(where.range ? { range: where.range } : {}) });
        else diagnostics.push(d);
      }
      return;
    }
    const root = loaded.file.value;
    const kind = isObject(root)
      ? typeof root["arazzo"] === "string"
        ? "arazzo"
        : "openapi" in root || "swagger" in root
          ? "openapi"
          : "asyncapi" in root
            ? "asyncapi"
            : undefined
      : undefined;
    if (entry.type === "arazzo" || kind === "arazzo") {
      // Found by where it is rather than by the identity it declares: that works here, but not wherever the
      // document set is mirrored or cached (the spec's MUST, decision A-4 for relative urls).
      const self = declaredSelf(root);
      if (identities !== undefined && self !== undefined) {
        const identity = baseUriOf(root, path);
        const requested = resolveUri(entry.url, baseUriOf(arazzo.value, arazzo.path));
        if (requested !== undefined && requested !== identity)
          diagnostics.push(makeDiagnostic("AZC4101", { name: entry.name, url: entry.url, self: identity }, where));
      }
      arazzoSources.set(entry.name, path);
      return;
    }
    if (entry.type === "asyncapi" || kind === "asyncapi") {
      const problem = kind !== "asyncapi" || !isObject(root) ? "it has no asyncapi field" : asyncApiVersionProblem(root["asyncapi"]);
      if (problem !== undefined) {
        diagnostics.push(makeDiagnostic("AZC1100", { file: entry.url, reason: problem }, where));
        return;
      }
      const byName = INDEXED_ASYNC.get(loaded.file) ?? new Map<string, AsyncApiSource>();
      INDEXED_ASYNC.set(loaded.file, byName);
      let source = byName.get(entry.name);
      if (!source) {
        source = asyncIndexer.index(entry.name, loaded.file);
        byName.set(entry.name, source);
      }
      asyncSources.set(entry.name, source);
      return;
    }

    if (kind !== "openapi" || !isObject(root)) {
      diagnostics.push(makeDiagnostic("AZC1008", { file: entry.url, reason: "it has no openapi or swagger field" }, where));
      return;
    }
    const version = String(root["openapi"] ?? root["swagger"]);
    // OpenAPI 3.2 changes nothing arazzoc reads of a description (its additions come with Arazzo 1.1).
    if (!/^(2\.0|3\.[012])(\.\d+)?$/.test(version) && version !== "2") {
      diagnostics.push(
        makeDiagnostic("AZC1008", { file: entry.url, reason: `version ${version} is not OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0` }, where),
      );
      return;
    }
    if (!isObject(root["paths"])) {
      diagnostics.push(makeDiagnostic("AZC1008", { file: entry.url, reason: "it has no paths" }, where));
      return;
    }
    sources.set(entry.name, indexed(entry.name, loaded.file));
  });
  return { sources, asyncapi: asyncSources, arazzo: arazzoSources, diagnostics };
}

/** What is wrong with the references a description resolves by identity (under its `$self` or a `$id`). */
function identityDiagnostics(store: DocumentStore, file: ParsedFile): Diagnostic[] {
  const problems = store.identityProblems(file);
  const at = (pointer: string) => ({ file: file.displayPath, pointer, range: file.locate(pointer) });
  return [
    ...problems.keywords.map((p) => makeDiagnostic("AZC1111", { keyword: p.keyword, value: p.value, base: store.shownUri(p.base) }, at(p.pointer))),
    ...problems.refs.map((p) => makeDiagnostic("AZC1110", { ref: p.ref, reason: p.reason }, at(joinPointer(p.pointer, "$ref")))),
  ];
}
