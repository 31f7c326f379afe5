// A unified diff of two texts, line by line (Myers' O(ND) algorithm), for `compile --check --diff`.
// Small on purpose: generated files differ in a few places, and a dependency would be larger than this.

type Edit = { kind: " " | "-" | "+"; line: string };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The shortest edit script from a to b. */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: " ", line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) edits.push({ kind: "+", line: b[--y]! });
      else edits.push({ kind: "-", line: a[--x]! });
    }
  }
  return edits.reverse();
}

/**
 * `--- a/name` / `+++ b/name` and hunks with `context` lines around each change; empty when the texts are
 * equal. A missing file is diffed as /dev/null.
 */
export function unifiedDiff(name: string, before: string | undefined, after: string | undefined, context = 3): string {
  if (before === after) return "";
  const a = splitLines(before ?? "");
  const b = splitLines(after ?? "");
  const edits = editScript(a, b);
  const out = [`--- ${before === undefined ? "/dev/null" : `a/${name}`}`, `+++ ${after === undefined ? "/dev/null" : `b/${name}`}`];
  // Positions of changes, grouped into hunks whose context overlaps.
  const changed = edits.flatMap((e, i) => (e.kind === " " ? [] : [i]));
  let index = 0;
  while (index < changed.length) {
    let start = Math.max(0, changed[index]! - context);
    let end = Math.min(edits.length, changed[index]! + context + 1);
    while (index + 1 < changed.length && changed[index + 1]! - context <= end) {
      index++;
      end = Math.min(edits.length, changed[index]! + context + 1);
    }
    index++;
    let aLine = 1;
    let bLine = 1;
    for (let i = 0; i < start; i++) {
      if (edits[i]!.kind !== "+") aLine++;
      if (edits[i]!.kind !== "-") bLine++;
    }
    const hunk = edits.slice(start, end);
    const aCount = hunk.filter((e) => e.kind !== "+").length;
    const bCount = hunk.filter((e) => e.kind !== "-").length;
    out.push(`@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@`);
    for (const e of hunk) out.push(`${e.kind}${e.line}`);
    start = end;
  }
  if (before !== undefined && after !== undefined && before.endsWith("\n") !== after.endsWith("\n"))
    out.push("\\ No newline at end of file");
  return out.join("\n") + "\n";
}
