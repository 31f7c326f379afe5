// Diagnostics as the CLI prints them: text for people (colour on a terminal), JSON, SARIF 2.1.0 for code
// scanning, and GitHub workflow commands (annotations on the pull request).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { catalogue, formatDiagnostic, type Diagnostic, type DiagnosticCode } from "./diagnostics.js";

export const OUTPUT_FORMATS = ["text", "json", "sarif", "github"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The package's own folder (where package.json and docs/ are), from source or from the build. */
export function packageFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, "package.json"))) return dir;
    dir = dirname(dir);
  }
  return dir;
}

/** The anchor of a code's section in docs/diagnostics.md (GitHub's heading anchors: lower case). */
export function docsAnchor(code: string): string {
  return `docs/diagnostics.md#${code.toLowerCase()}`;
}

/** A link to a code's documentation: the page shipped in the package, or the project's homepage when it names one. */
export function docsLink(code: string): string {
  const folder = packageFolder();
  try {
    const pkg = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { homepage?: string; version?: string };
    if (typeof pkg.homepage === "string" && /^https:\/\//.test(pkg.homepage))
      return `${pkg.homepage.replace(/#.*$/, "").replace(/\/$/, "")}/blob/v${pkg.version}/${docsAnchor(code)}`;
  } catch {
    // no package.json: the shipped page
  }
  return `${pathToFileURL(join(folder, "docs", "diagnostics.md")).href}#${code.toLowerCase()}`;
}

/**
 * Text safe for a terminal: control characters from documents (escape sequences that move the cursor,
 * set titles or hide text) are shown as `\u001b`, never sent raw. Line breaks and tabs stay.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export interface Colours {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const plain = (s: string) => s;
const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const NO_COLOURS: Colours = { red: plain, yellow: plain, bold: plain, dim: plain, cyan: plain };
const ANSI: Colours = { red: sgr(31, 39), yellow: sgr(33, 39), bold: sgr(1, 22), dim: sgr(2, 22), cyan: sgr(36, 39) };

/** Colour on a terminal; never with NO_COLOR (any value) or in CI; FORCE_COLOR asks for it elsewhere. */
export function colours(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colours {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return NO_COLOURS;
  if (env["CI"] !== undefined && env["CI"] !== "" && env["CI"] !== "false") return NO_COLOURS;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return ANSI;
  return stream.isTTY ? ANSI : NO_COLOURS;
}

/** One diagnostic for people: `file:line:col - severity CODE: message`, code frame, fix, where to read more. */
export function textDiagnostic(d: Diagnostic, sourceText: string | undefined, c: Colours, textOf?: (file: string) => string | undefined): string {
  const lines = printable(formatDiagnostic(d, sourceText, textOf)).split("\n");
  const head = lines[0]!;
  const dash = head.indexOf(` - ${d.severity} ${d.code}: `);
  if (dash >= 0) {
    const paint = d.severity === "error" ? c.red : c.yellow;
    lines[0] = `${c.cyan(head.slice(0, dash))} - ${paint(d.severity)} ${c.bold(d.code)}: ${head.slice(dash + d.severity.length + d.code.length + 6)}`;
  }
  lines.push(c.dim(`  see: ${docsAnchor(d.code)} (arazzoc explain ${d.code})`));
  return lines.join("\n");
}

/** GitHub workflow-command escaping: the message (data) and the properties (`file=…,line=…`). */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::error file=…,line=…,col=…,title=…::message` for each diagnostic. */
export function githubAnnotations(list: readonly Diagnostic[]): string {
  return list
    .map((d) => {
      const properties = [`file=${escapeProperty(d.file)}`];
      if (d.range) {
        properties.push(`line=${d.range.line}`, `col=${d.range.column}`, `endLine=${d.range.endLine}`);
        if (d.range.endLine === d.range.line) properties.push(`endColumn=${d.range.endColumn}`);
      }
      properties.push(`title=${escapeProperty(`${d.code}`)}`);
      const message = `${d.message}\nfix: ${d.fix}\nsee: ${docsAnchor(d.code)}`;
      return `::${d.severity} ${properties.join(",")}::${escapeData(printable(message))}\n`;
    })
    .join("");
}

/** A SARIF 2.1.0 log: one run, a rule per code reported, results with their regions. */
export function sarifLog(list: readonly Diagnostic[], version: string): object {
  const codes = [...new Set(list.map((d) => d.code))].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => {
    const entry = catalogue[code as DiagnosticCode];
    return {
      id: code,
      shortDescription: { text: entry.message },
      help: { text: entry.fix },
      helpUri: docsLink(code),
      defaultConfiguration: { level: entry.severity },
    };
  });
  const results = list.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIndex.get(d.code),
    level: d.severity,
    message: { text: `${d.message} Fix: ${d.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: /^[a-z][a-z0-9+.-]*:/i.test(d.file) ? d.file : encodeURI(d.file.split("\\").join("/")),
            ...(d.file.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(d.file) ? {} : { uriBaseId: "%SRCROOT%" }),
          },
          ...(d.range
            ? { region: { startLine: d.range.line, startColumn: d.range.column, endLine: d.range.endLine, endColumn: d.range.endColumn } }
            : {}),
        },
        ...(d.pointer ? { logicalLocations: [{ fullyQualifiedName: `#${d.pointer}` }] } : {}),
      },
    ],
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "arazzoc", version, rules } }, results }],
  };
}

/** The catalogue entry of a code, with its section of docs/diagnostics.md when the page is at hand. */
export function explain(code: string): string | undefined {
  if (!(code in catalogue)) return undefined;
  const entry = catalogue[code as DiagnosticCode];
  try {
    const page = readFileSync(join(packageFolder(), "docs", "diagnostics.md"), "utf8");
    const start = page.indexOf(`\n## ${code}\n`);
    if (start >= 0) {
      const end = page.indexOf("\n## ", start + 1);
      return `${page.slice(start + 1, end < 0 ? undefined : end).trimEnd()}\n\nsee: ${docsLink(code)}\n`;
    }
  } catch {
    // the page is not installed: the catalogue says enough
  }
  return `## ${code}\n\n**Severity:** ${entry.severity}\n\n**Message:** \`${entry.message}\`\n\n**Fix:** \`${entry.fix}\`\n\nsee: ${docsLink(code)}\n`;
}
