#!/usr/bin/env node
// How compile time grows with the number of documents: 1, 10 and 100 copies of the cleanup seed, all
// referencing the same 800 KB Windmill OpenAPI description, each compiled by a fresh `arazzoc compile`.
// Prints the median wall time and peak RSS per size and the marginal cost of one more document, so the
// fixed cost (start-up, loading the description, loading the emitter) and the per-document cost are
// seen apart. Not a pass/fail bench: it prints figures.
//
//   npm run bench:scaling                  builds, then 3 runs per size
//   node bench/compile/scaling.mjs --runs 5 --sizes 1,10,100
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = resolve(here, "..", "..");
const SEED = join(root, "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-and-cleanup-job-workflow.yml");
const OPENAPI = join(root, "fixtures/windmill/api-evangelist/openapi/windmill-api-openapi.yml");
const CLI = join(root, "dist", "compiler", "bin.js");
const PRELOAD = join(here, "resource-usage.mjs");

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, sizes: { type: "string", default: "1,10,100" } } });
const runs = Number(values.runs);
const sizes = values.sizes.split(",").map(Number);

/** A project folder with `count` copies of the seed (distinct workflowIds and file names) beside one description. */
function project(count) {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-scaling-"));
  mkdirSync(join(dir, "arazzo"));
  mkdirSync(join(dir, "openapi"));
  copyFileSync(OPENAPI, join(dir, "openapi", "windmill-api-openapi.yml"));
  writeFileSync(join(dir, "package.json"), "{}\n");
  const seed = readFileSync(SEED, "utf8");
  for (let i = 0; i < count; i++) {
    const text = seed.replace("workflowId: run-script-and-cleanup-job", `workflowId: run-script-and-cleanup-job-${i}`);
    writeFileSync(join(dir, "arazzo", `cleanup-${String(i).padStart(3, "0")}.yml`), text);
  }
  return dir;
}

/** One compile in a fresh process: wall time (ms) and peak RSS (MiB) as the preload reports it. */
function compileOnce(dir) {
  const report = join(dir, "usage.json");
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", PRELOAD, CLI, "compile", "arazzo", "--out", "out"], {
    cwd: dir,
    env: { ...process.env, BENCH_USAGE_FILE: report, NO_COLOR: "1" },
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`compile failed (${result.status}): ${result.stderr.slice(0, 2000)}`);
  let rss = NaN;
  try {
    rss = JSON.parse(readFileSync(report, "utf8")).maxRSS / 1024;
  } catch {
    // The preload reports only where it can; time is still measured.
  }
  rmSync(join(dir, "out"), { recursive: true, force: true });
  rmSync(report, { force: true });
  return { ms, rss };
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const rows = [];
for (const size of sizes) {
  const dir = project(size);
  try {
    compileOnce(dir); // warm-up: file cache
    const samples = Array.from({ length: runs }, () => compileOnce(dir));
    rows.push({ size, ms: median(samples.map((s) => s.ms)), rss: median(samples.map((s) => s.rss)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`scaling: N copies of the cleanup seed against one 800 KB OpenAPI, ${runs} runs each (median)`);
console.log("documents        time    peak RSS    per document    marginal per document");
let previous;
for (const row of rows) {
  const marginal = previous ? `${((row.ms - previous.ms) / (row.size - previous.size)).toFixed(1)} ms` : "";
  const rss = Number.isFinite(row.rss) ? `${row.rss.toFixed(0)} MiB` : "n/a";
  console.log(
    `${String(row.size).padStart(9)} ${`${(row.ms / 1000).toFixed(2)} s`.padStart(11)} ${rss.padStart(11)} ${`${(row.ms / row.size).toFixed(1)} ms`.padStart(15)}    ${marginal}`,
  );
  previous = row;
}
