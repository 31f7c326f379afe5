// The outputs that show a program rather than run it: `arazzoc graph` (a Mermaid flowchart per document,
// or the lowered program itself as JSON) and `arazzoc docs` (a Markdown page per document). They read the
// plain-data IR and nothing else, so they never load the TypeScript emitter.
import type { ModuleIr, ProgramIr } from "../ir/program.js";
import { documentPage } from "./docs/page.js";
import { moduleFlowchart } from "./mermaid/flowchart.js";

export type GraphFormat = "mermaid" | "json";

/**
 * JSON with object keys sorted at every level and two-space indentation: the same program always prints
 * the same bytes, whatever order its producer built objects in. Arrays keep their order (it means
 * something: exits are tried in order).
 */
export function stableJson(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v !== null && typeof v === "object") {
      // No prototype: a key named __proto__ (a document may have one) stays an ordinary key.
      const out = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(v).sort()) out[key] = sorted((v as Record<string, unknown>)[key]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sorted(value), null, 2) + "\n";
}

function render(module: ModuleIr, format: GraphFormat): string {
  return format === "json" ? stableJson(module) : moduleFlowchart(module);
}

/** One file per document: `<module>.mmd` or `<module>.json`. */
export function graphFiles(program: ProgramIr, format: GraphFormat): Map<string, string> {
  const extension = format === "json" ? "json" : "mmd";
  return new Map(program.modules.map((m) => [`${m.name}.${extension}`, render(m, format)]));
}

/** What `arazzoc graph` prints: the whole program as JSON, or each document's flowchart in turn. */
export function graphText(program: ProgramIr, format: GraphFormat): string {
  return format === "json" ? stableJson(program) : program.modules.map((m) => render(m, format)).join("\n");
}

/** One Markdown page per document: `<module>.md`. */
export function docsFiles(program: ProgramIr): Map<string, string> {
  return new Map(program.modules.map((m) => [`${m.name}.md`, documentPage(m)]));
}
