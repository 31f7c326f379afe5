// Writing the output folder: files whose bytes did not change are left alone (build tools keep their
// caches); `check` writes nothing and reports what is stale or missing.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface WriteReport {
  readonly written: string[];
  readonly unchanged: string[];
  /** With check: files whose content differs. */
  readonly stale: string[];
  /** With check: files that do not exist yet. */
  readonly missing: string[];
}

function current(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, check: boolean): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], stale: [], missing: [] };
  for (const [name, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const path = join(outDir, name);
    const existing = current(path);
    if (existing === content) {
      report.unchanged.push(name);
      continue;
    }
    if (check) {
      (existing === undefined ? report.missing : report.stale).push(name);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    report.written.push(name);
  }
  return report;
}
