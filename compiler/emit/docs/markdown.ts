// Text from documents inside generated Markdown (CommonMark as GitHub renders it). Document text is shown
// as text, never interpreted: descriptions may be Markdown, but their HTML and block syntax could break
// the page around them, so every character with meaning is backslash-escaped and lines are joined.

/**
 * ASCII punctuation that can start or end inline syntax: emphasis, code, links and images (`(` and `!` only
 * matter next to a bracket, which is escaped), HTML, entities, table cells, strikethrough, GitHub's math and
 * headings.
 */
const INLINE = /[\\`*_[\]<>#|~&$]/g;

/** Inline text: one line, nothing in it read as Markdown or HTML. */
export function text(value: string): string {
  const line = value.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  const escaped = line.replace(INLINE, "\\$&");
  // Block syntax that only counts at the start of a line: lists, block quotes, headings, thematic breaks.
  return escaped.replace(/^([-+=]|\d+(?=[.)]))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
}

/**
 * A code span holding `value` verbatim: fenced with more backticks than any run inside it. In a table
 * cell a `|` ends the cell even inside code, so GitHub's `\|` is used there.
 */
export function code(value: string, inTable = false): string {
  const line = value.replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const padded = line.startsWith("`") || line.endsWith("`") || (line.startsWith(" ") && line.endsWith(" ") && line.trim() !== "") ? ` ${line} ` : line;
  return `${fence}${inTable ? padded.replace(/\|/g, "\\|") : padded}${fence}`;
}

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces as `-`. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** A table: a header row and rows of cells already escaped for a cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}
