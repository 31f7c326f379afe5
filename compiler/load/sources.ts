// Source descriptions: each url resolved against the Arazzo document that names it, read once, and
// indexed when it is an OpenAPI description.
import { dirname, resolve } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics.js";
import { OpenApiIndexer, type OpenApiSource } from "./openapi.js";
import { joinPointer } from "./pointer.js";
import type { DocumentStore } from "./refs.js";
import type { ParsedFile } from "./yaml.js";

export interface SourceEntry {
  readonly name: string;
  readonly url: string;
  readonly type?: "openapi" | "arazzo" | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function loadSources(
  store: DocumentStore,
  arazzo: ParsedFile,
  entries: readonly SourceEntry[],
): { sources: Map<string, OpenApiSource>; diagnostics: Diagnostic[] } {
  const sources = new Map<string, OpenApiSource>();
  const diagnostics: Diagnostic[] = [];
  const indexer = new OpenApiIndexer(store);
  entries.forEach((entry, index) => {
    const at = joinPointer("/sourceDescriptions", index, "url");
    const where = { file: arazzo.displayPath, pointer: at, range: arazzo.locate(at) };
    if (/^[a-z][a-z0-9+.-]*:/i.test(entry.url) && !/^file:/i.test(entry.url)) {
      diagnostics.push(makeDiagnostic("AZC1009", { url: entry.url }, where));
      return;
    }
    const path = resolve(dirname(arazzo.path), decodeURIComponent(entry.url.replace(/^file:\/\//i, "").split("#")[0]!));
    const loaded = store.load(path, false);
    if (!loaded.file) {
      // Report where the document names the source, with the reason from reading it.
      for (const d of loaded.diagnostics) {
        diagnostics.push(
          d.code === "AZC1001"
            ? makeDiagnostic("AZC1001", { file: entry.url, reason: d.message.replace(/^Cannot read [^:]*: /, "") }, where)
            : d,
        );
      }
      return;
    }
    const root = loaded.file.value;
    const kind = isObject(root)
      ? typeof root["arazzo"] === "string"
        ? "arazzo"
        : "openapi" in root || "swagger" in root
          ? "openapi"
          : undefined
      : undefined;
    if (entry.type === "arazzo" || kind === "arazzo") {
      diagnostics.push(
        makeDiagnostic("AZC4006", { feature: "Arazzo documents as sources", hint: "Compile that document on its own for now." }, where),
      );
      return;
    }
    if (kind !== "openapi" || !isObject(root)) {
      diagnostics.push(makeDiagnostic("AZC1008", { file: entry.url, reason: "it has no openapi or swagger field" }, where));
      return;
    }
    if (typeof root["swagger"] === "string" || typeof root["swagger"] === "number") {
      diagnostics.push(
        makeDiagnostic("AZC4006", { feature: "Swagger 2.0 sources", hint: "Convert the description to OpenAPI 3.x." }, where),
      );
      return;
    }
    if (!isObject(root["paths"])) {
      diagnostics.push(makeDiagnostic("AZC1008", { file: entry.url, reason: "it has no paths" }, where));
      return;
    }
    sources.set(entry.name, indexer.index(entry.name, loaded.file));
  });
  return { sources, diagnostics };
}
