// Runs arazzoc over a collection of real-world Arazzo documents: `check`, `compile` and a type-check of
// what was generated, one document at a time in its own process (a crash or hang of one cannot hide the
// others). Prints, per diagnostic code, how many documents it stops, and the totals.
//
//   npm run corpus -- [folder] [--jobs N] [--json report.json] [--keep out-folder]
//
// The folder defaults to ../shared/corpus/jentic (the Jentic collection next to the project). Not part of
// `npm test`: the collection is large and lives outside the project.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const jobs = Number(option("--jobs") ?? 2);
const jsonReport = option("--json");
const keep = option("--keep");
const folder = resolve(args[0] ?? join(root, "../shared/corpus/jentic"));
const cli = join(root, "dist/compiler/cli.js");
const tsc = join(root, "node_modules/.bin/tsc");
const TIME_LIMIT_MS = 120_000;

function run(command, argv, cwd) {
  return new Promise((done) => {
    const started = Date.now();
    execFile(command, argv, { cwd, timeout: TIME_LIMIT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({
        code: error ? (typeof error.code === "number" ? error.code : error.killed ? "timeout" : String(error.code)) : 0,
        stdout,
        stderr,
        ms: Date.now() - started,
      });
    });
  });
}

function folderSize(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    bytes += entry.isDirectory() ? folderSize(path) : statSync(path).size;
  }
  return bytes;
}

async function one(document, work) {
  const name = basename(document).replace(/\.(arazzo\.)?(json|ya?ml)$/i, "");
  const out = join(work, name);
  const compiled = await run(process.execPath, [cli, "compile", document, "--out", out, "--format", "json"], folder);
  const result = { document: basename(document), exit: compiled.code, ms: compiled.ms, errors: [], warnings: [] };
  if (compiled.code !== 0 && compiled.code !== 1) {
    result.crash = (compiled.stderr || compiled.stdout).slice(0, 2000);
    return result;
  }
  try {
    const diagnostics = JSON.parse(compiled.stdout).diagnostics;
    for (const d of diagnostics) (d.severity === "error" ? result.errors : result.warnings).push(d.code);
  } catch {
    result.crash = `unreadable JSON output: ${compiled.stdout.slice(0, 500)}`;
    return result;
  }
  if (compiled.code !== 0) return result;
  result.bytes = folderSize(out);
  // Generated modules are ES modules; a user's project says so in its package.json.
  writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        lib: ["es2023", "dom"],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        verbatimModuleSyntax: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      include: ["*.ts"],
    }),
  );
  const typed = await run(tsc, ["-p", out], out);
  result.typecheck = typed.code === 0 ? "ok" : (typed.stdout || typed.stderr).split("\n").slice(0, 5).join("\n");
  return result;
}

const documents = readdirSync(folder)
  .filter((f) => /\.(json|ya?ml)$/i.test(f) && /arazzo/i.test(f))
  .sort()
  .map((f) => join(folder, f));
if (documents.length === 0) {
  console.error(`no Arazzo documents in ${folder}`);
  process.exit(2);
}
const work = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), "arazzoc-corpus-"));
mkdirSync(work, { recursive: true });
const results = [];
let next = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (next < documents.length) {
      const document = documents[next++];
      results.push(await one(document, work));
      if (results.length % 25 === 0) console.error(`${results.length}/${documents.length}`);
    }
  }),
);
if (!keep) rmSync(work, { recursive: true, force: true });
results.sort((a, b) => a.document.localeCompare(b.document));

const compiled = results.filter((r) => r.exit === 0);
const typeChecked = compiled.filter((r) => r.typecheck === "ok");
const crashes = results.filter((r) => r.crash !== undefined);
const stoppedBy = new Map();
const warnedBy = new Map();
for (const r of results) {
  for (const code of new Set(r.errors)) stoppedBy.set(code, (stoppedBy.get(code) ?? 0) + 1);
  for (const code of new Set(r.warnings)) warnedBy.set(code, (warnedBy.get(code) ?? 0) + 1);
}
const table = (map) =>
  [...map]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `  ${code}  ${String(n).padStart(4)} documents`)
    .join("\n");
const bytes = compiled.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
console.log(`documents: ${results.length}`);
console.log(`compiled: ${compiled.length} (${((100 * compiled.length) / results.length).toFixed(0)}%)`);
console.log(`type-checked: ${typeChecked.length} of ${compiled.length}`);
console.log(`crashes or hangs: ${crashes.length}`);
console.log(`generated size: ${(bytes / 1024 / 1024).toFixed(2)} MiB for ${compiled.length} documents`);
console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`errors, by the number of documents they stop:\n${table(stoppedBy) || "  none"}`);
console.log(`warnings, by the number of documents they appear in:\n${table(warnedBy) || "  none"}`);
for (const r of crashes) console.log(`crash: ${r.document}: ${r.crash.split("\n")[0]}`);
for (const r of compiled.filter((r) => r.typecheck !== "ok")) console.log(`type errors: ${r.document}: ${r.typecheck.split("\n")[0]}`);
if (jsonReport) writeFileSync(jsonReport, JSON.stringify({ folder: basename(folder), results }, null, 2) + "\n");
process.exitCode = crashes.length > 0 ? 1 : 0;
