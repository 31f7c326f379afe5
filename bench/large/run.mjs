// Large documents: `arazzoc check` on a 50 MB Arazzo document (YAML) and on a document whose description is
// 50 MB of JSON, against parsing the same text alone (js-yaml, JSON.parse) in a fresh process. The ratios say
// how much arazzoc adds to reading the text; the targets keep it a small multiple, where a 50 MB document
// once took six minutes and ran out of 4 GB in the positional parser.
//
//   npm run bench:large                 # builds dist/ first
//   node bench/large/run.mjs --mb 20    # another size
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, "..", "..");
const PRELOAD = join(ROOT, "bench", "compile", "resource-usage.mjs");
const mbFlag = process.argv.indexOf("--mb");
const MB = mbFlag > 0 ? Number(process.argv[mbFlag + 1]) : 50;
/** Targets: arazzoc within these multiples of parsing the text alone. */
const TARGET = { time: 3, memory: 3 };

const work = mkdtempSync(join(tmpdir(), "arazzoc-bench-large-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const HEAD = (source) => `arazzo: 1.0.1
info: { title: large, version: 1.0.0 }
sourceDescriptions:
  - { name: pets, url: ${source}, type: openapi }
workflows:
  - workflowId: list-pets
    steps:
      - stepId: listPets
        operationId: listPets
`;

function generate() {
  copyFileSync(join(ROOT, "fixtures/cases/diagnostics/pets.openapi.yaml"), join(work, "pets.openapi.yaml"));
  // 1. A large Arazzo document: its size in an extension, in block YAML.
  const lines = [HEAD("./pets.openapi.yaml"), "x-data:"];
  for (let size = 0, i = 0; size < MB * 1e6; i++) {
    const line = `  - id: ${i}\n    name: "pet number ${i}"\n    tags: [a, b, c]`;
    lines.push(line);
    size += line.length + 1;
  }
  writeFileSync(join(work, "large.arazzo.yaml"), lines.join("\n") + "\n");
  // 2. A large description in JSON.
  const schemas = {};
  for (let size = 0, i = 0; size < MB * 1e6; i++, size += 130)
    schemas[`S${i}`] = {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer" }, c: { $ref: "#/components/schemas/S0" } },
    };
  const description = {
    openapi: "3.0.3",
    info: { title: "large", version: "1.0.0" },
    paths: { "/pets": { get: { operationId: "listPets", responses: { 200: { description: "ok" } } } } },
    components: { schemas },
  };
  writeFileSync(join(work, "large.openapi.json"), JSON.stringify(description));
  writeFileSync(join(work, "uses-large.arazzo.yaml"), HEAD("./large.openapi.json"));
}

/** Wall time (ms) and peak RSS (MiB) of `node <args>` in a fresh process. */
function measure(args) {
  const usageFile = join(work, `usage-${Math.random().toString(36).slice(2)}.json`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PRELOAD, ...args], {
      cwd: work,
      env: { ...process.env, BENCH_USAGE_FILE: usageFile },
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited ${code}:\n${output}`));
      const usage = JSON.parse(readFileSync(usageFile, "utf8"));
      resolve({ ms, mib: usage.maxRSS / 1024 });
    });
  });
}

const PARSE = join(work, "parse.mjs");
writeFileSync(
  PARSE,
  `import { readFileSync } from "node:fs";
import jsYaml from ${JSON.stringify(join(ROOT, "node_modules/js-yaml/dist/js-yaml.mjs"))};
const text = readFileSync(process.argv[2], "utf8");
const value = process.argv[2].endsWith(".json") ? JSON.parse(text) : jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
if (value === undefined) process.exit(1);
`,
);

generate();
const cli = join(ROOT, "dist/compiler/cli.js");
const maxSize = ["--max-file-size", `${MB * 3}MiB`];
const cases = [
  ["Arazzo document, YAML", "large.arazzo.yaml", ["check", "large.arazzo.yaml", ...maxSize]],
  ["description, JSON", "large.openapi.json", ["check", "uses-large.arazzo.yaml", ...maxSize]],
];
let met = true;
for (const [what, file, args] of cases) {
  const parse = await measure([PARSE, join(work, file)]);
  const compile = await measure([cli, ...args]);
  const time = compile.ms / parse.ms;
  const memory = compile.mib / parse.mib;
  const ok = time <= TARGET.time && memory <= TARGET.memory;
  met &&= ok;
  console.log(
    `${MB} MB ${what}: arazzoc ${(compile.ms / 1000).toFixed(1)} s, ${compile.mib.toFixed(0)} MiB; parsing alone ${(parse.ms / 1000).toFixed(1)} s, ${parse.mib.toFixed(0)} MiB; ` +
      `ratio time ${time.toFixed(2)} (target <= ${TARGET.time}), memory ${memory.toFixed(2)} (target <= ${TARGET.memory}) ${ok ? "met" : "MISSED"}`,
  );
}
console.log(met ? "bench:large: targets met" : "bench:large: some targets missed");
