// Property-based: documents mutated the way an attacker (or a careless generator) would mutate them, in
// their strings, names, numbers and structure, seeded with code-injection payloads. Whatever the document,
// compile() ends in diagnostics or in modules; the modules type-check under the strict settings; and,
// imported and run against a local echo server, they do nothing the document did not say: any payload
// that became code would set the tripwire global `__pwned`.
//
// `npm test` runs a bounded number of cases with a fixed seed; `npm run fuzz` runs many more with a fresh
// seed (ARAZZOC_FUZZ_RUNS, ARAZZOC_FUZZ_SEED; ARAZZOC_FUZZ_KEEP=1 keeps the cases in .tmp/).
import { execa } from "execa";
import fc from "fast-check";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogue, compile } from "../compiler/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env["ARAZZOC_FUZZ_RUNS"] ?? 40);
const seedText = process.env["ARAZZOC_FUZZ_SEED"];
/** Fixed under `npm test` (the same cases every run); `random` (npm run fuzz) draws one, shown in the title to replay it. */
const SEED = seedText === undefined ? 20261128 : seedText === "random" ? Date.now() % 2 ** 31 : Number(seedText);
if (seedText === "random") console.log(`fuzz: ${RUNS} cases with seed ${SEED} (replay: ARAZZOC_FUZZ_SEED=${SEED} npm run fuzz)`);

/** Documents whose sources sit beside them, so that each mutated copy compiles in a folder of its own. */
const SEEDS = [
  "fixtures/arazzo-examples-fixed/pet-coupons.arazzo.yaml",
  "fixtures/arazzo-examples-fixed/oauth.arazzo.yaml",
  "fixtures/arazzo-examples-fixed/bnpl-arazzo.yaml",
  "fixtures/cases/payloads/payloads.arazzo.yaml",
  "fixtures/cases/flows/shop-flows.arazzo.yaml",
].map((path) => {
  const text = readFileSync(join(ROOT, path), "utf8");
  const value = parse(text) as Record<string, unknown>;
  const sources = ((value["sourceDescriptions"] as { url: string }[] | undefined) ?? [])
    .map((s) => s.url)
    .filter((url) => url.startsWith("./"))
    .map((url) => join(dirname(join(ROOT, path)), url));
  return { path, value, sources };
});

/** Text that would run if it ever reached generated code unescaped. */
const PAYLOADS = [
  '"); globalThis.__pwned = 1; ("',
  "'); globalThis.__pwned = 1; ('",
  "`); globalThis.__pwned = 1; (`",
  "${globalThis.__pwned = 1}",
  "*/ globalThis.__pwned = 1; /*",
  "\u2028globalThis.__pwned = 1;//",
  "\u2029",
  "</script><script>globalThis.__pwned = 1</script>",
  "\\",
  "\\u0022); globalThis.__pwned = 1; //",
  "\n}); globalThis.__pwned = 1; ({\n",
  'x" + (globalThis.__pwned = 1) + "',
  "{$inputs.x}",
  "$inputs.a'b",
  "constructor",
  "__proto__",
  "toString",
  "\u001b[2J",
  "",
  " ",
  "ẞ𝒳",
];

const NUMBERS = [0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, 1e-300, 65536];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every node's path in a document, with what it is. */
function nodes(value: Json, path: (string | number)[] = [], out: { path: (string | number)[]; value: Json }[] = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

type Mutation =
  | { kind: "string"; at: number; payload: string; where: "replace" | "prefix" | "suffix" | "middle" }
  | { kind: "key"; at: number; payload: string }
  | { kind: "number"; at: number; number: number }
  | { kind: "delete"; at: number }
  | { kind: "graft"; at: number; from: number }
  | { kind: "empty"; at: number; to: "null" | "array" | "object" | "true" };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("string" as const),
      at: fc.nat(),
      payload: fc.constantFrom(...PAYLOADS),
      where: fc.constantFrom("replace" as const, "prefix" as const, "suffix" as const, "middle" as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("key" as const), at: fc.nat(), payload: fc.constantFrom(...PAYLOADS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("number" as const), at: fc.nat(), number: fc.constantFrom(...NUMBERS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("graft" as const), at: fc.nat(), from: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("empty" as const),
      at: fc.nat(),
      to: fc.constantFrom("null" as const, "array" as const, "object" as const, "true" as const),
    }),
  },
);

function set(root: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, root) as
    Record<string, Json> | Json[];
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last as string];
  } else (parent as Record<string, Json>)[last as string] = value;
  return root;
}

/** Applies one mutation to a copy of `doc`; `at` picks a node of the fitting kind, modulo their count. */
function mutate(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc);
  const all = nodes(copy);
  const pick = <T>(list: T[], at: number): T | undefined => (list.length === 0 ? undefined : list[at % list.length]);
  switch (m.kind) {
    case "string": {
      const target = pick(
        all.filter((n) => typeof n.value === "string"),
        m.at,
      );
      if (!target) return copy;
      const s = target.value as string;
      const half = Math.floor(s.length / 2);
      const text = {
        replace: m.payload,
        prefix: m.payload + s,
        suffix: s + m.payload,
        middle: s.slice(0, half) + m.payload + s.slice(half),
      }[m.where];
      return set(copy, target.path, text);
    }
    case "key": {
      const target = pick(
        all.filter((n) => n.path.length > 0 && typeof n.path[n.path.length - 1] === "string"),
        m.at,
      );
      if (!target) return copy;
      const parent = target.path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, copy) as Record<
        string,
        Json
      >;
      const old = target.path[target.path.length - 1] as string;
      // Rebuild the object to keep the key's position (a new key would otherwise move to the end).
      const rebuilt = Object.fromEntries(
        Object.entries(parent).map(([k, v]) => [k === old ? m.payload + (m.payload === "" ? "" : old.slice(0, 1)) : k, v]),
      );
      return target.path.length === 1 ? rebuilt : set(copy, target.path.slice(0, -1), rebuilt);
    }
    case "number": {
      const target = pick(
        all.filter((n) => typeof n.value === "number" || typeof n.value === "string"),
        m.at,
      );
      return target ? set(copy, target.path, m.number) : copy;
    }
    case "delete": {
      const target = pick(
        all.filter((n) => n.path.length > 0),
        m.at,
      );
      return target ? set(copy, target.path, undefined) : copy;
    }
    case "graft": {
      const target = pick(
        all.filter((n) => n.path.length > 0),
        m.at,
      );
      const from = pick(all, m.from);
      return target && from ? set(copy, target.path, structuredClone(from.value)) : copy;
    }
    case "empty": {
      const target = pick(
        all.filter((n) => n.path.length > 0),
        m.at,
      );
      const value = { null: null, array: [], object: {}, true: true }[m.to];
      return target ? set(copy, target.path, value) : copy;
    }
  }
}

let server: Server;
let echoUrl = "";
const work = (() => {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  return mkdtempSync(join(ROOT, ".tmp", "fuzz-"));
})();

beforeAll(async () => {
  // Echoes every request as JSON: whatever a step reads from the body, it finds something.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  echoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  // ARAZZOC_FUZZ_KEEP=1 keeps the cases (documents, modules) for a look at a failure.
  if (!process.env["ARAZZOC_FUZZ_KEEP"]) rmSync(work, { recursive: true, force: true });
});

declare global {
  // eslint-disable-next-line no-var
  var __pwned: unknown;
}

/** Accepted cases, compiled into folders of their own, to be type-checked together and then run. */
const accepted: { dir: string; modules: string[]; names: string[]; what: string }[] = [];
let counter = 0;

describe(`hostile documents (${RUNS} mutated documents, seed ${SEED})`, () => {
  it("compile to diagnostics or to modules, never to a crash", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: SEEDS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (which, mutations) => {
        const seed = SEEDS[which]!;
        const doc = mutations.reduce<Json>((d, m) => mutate(d, m), seed.value as Json);
        const dir = join(work, `case-${++counter}`);
        mkdirSync(dir);
        for (const source of seed.sources) copyFileSync(source, join(dir, source.split("/").pop()!));
        const input = join(dir, "doc.arazzo.json");
        writeFileSync(input, JSON.stringify(doc, null, 2));
        const what = `${seed.path} with ${JSON.stringify(mutations)}`;
        const result = await compile({ inputs: [input], cwd: dir });
        for (const d of result.diagnostics) {
          expect(Object.keys(catalogue), what).toContain(d.code);
          expect(d.message, what).not.toMatch(/\n\s+at .+:\d+:\d+/);
          expect(d.message, what).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
        }
        const failed = result.diagnostics.some((d) => d.severity === "error");
        expect(result.files.size > 0, what).toBe(!failed);
        if (failed) return;
        const modules: string[] = [];
        for (const [name, text] of result.files) {
          writeFileSync(join(dir, name), text);
          if (name !== "runtime.ts" && name !== "runtime-jsonpath.ts") modules.push(name);
        }
        const descriptions = (doc as { sourceDescriptions?: { name?: unknown }[] }).sourceDescriptions ?? [];
        const names = descriptions.flatMap((d) => (typeof d.name === "string" ? [d.name] : []));
        accepted.push({ dir, modules, names, what });
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 600_000);

  it("generate modules that type-check under the strict settings", async () => {
    // The seeds are valid and most mutations keep them so: a run that accepts nothing tests nothing.
    expect(accepted.length).toBeGreaterThan(0);
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2023", "dom"],
          types: [],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          noEmit: true,
        },
        include: ["**/*.ts"],
      }),
    );
    const result = await execa(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(work, "tsconfig.json")], { reject: false });
    const output = result.stdout + result.stderr;
    const failing = accepted.filter((a) => output.includes(a.dir.split("/").pop()! + "/")).map((a) => a.what);
    expect(output, failing.join("\n")).toBe("");
  }, 300_000);

  it("run against an echo server without executing anything the document did not say", async () => {
    for (const { dir, modules, names, what } of accepted) {
      for (const name of modules) {
        globalThis.__pwned = undefined;
        const module = (await import(pathToFileURL(join(dir, name)).href)) as Record<string, unknown>;
        expect(globalThis.__pwned, `${what}: importing ${name}`).toBeUndefined();
        for (const [exported, fn] of Object.entries(module)) {
          if (typeof fn !== "function" || exported.endsWith("InRun")) continue;
          const servers = Object.fromEntries(names.map((n) => [n, echoUrl]));
          const options = { baseUrl: echoUrl, servers, timeoutMs: 2_000, maxSteps: 20 };
          // Every input a string: payloads in the document meet values at run time too.
          const inputs = new Proxy({}, { get: (_, key) => (typeof key === "string" ? `input-${key}` : undefined), has: () => true });
          for (const given of [{}, inputs]) {
            try {
              await (fn as (i: unknown, o: unknown) => Promise<unknown>)(given, options);
            } catch (error) {
              // A run may fail (criteria, inputs, a step the echo does not satisfy); only as a WorkflowError.
              expect((error as Error).name, `${what}: ${exported} threw ${String(error)}`).toBe("WorkflowError");
            }
            expect(globalThis.__pwned, `${what}: running ${exported}`).toBeUndefined();
          }
        }
      }
    }
  }, 300_000);
});
