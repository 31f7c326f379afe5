// Criteria benchmark: criteria compiled by arazzoc against interpreters evaluating the same criteria text, in
// the same process, on the same documents. See bench/README.md, section "criteria".
//   (a) JSONPath criteria: compileJsonPathCriterion's code vs jsonpath-rfc9535's query() (what Redocly Respect
//       uses), over job lists and checkouts of 10, 100 and 1000 items;
//   (b) simple conditions: emitCondition's code vs an interpreter that parses and evaluates the text per call.
// Usage: tsx bench/criteria/run.ts [--samples N] [--sample-ms MS] [--warmup-ms MS] [--sizes 10,100,1000] [--quick] [--show-code]
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { query, type JsonValue } from "jsonpath-rfc9535";
import parseJsonPathLibrary from "jsonpath-rfc9535/parser";
import { parseCondition } from "../../compiler/expressions/condition.js";
import { parseJsonPath } from "../../compiler/expressions/jsonpath/index.js";
import { compileCriteria } from "./compiled.js";
import { checkout, jobList, jobResponse } from "./data.js";
import { evaluateCondition, interpretCondition, type CriterionResponse } from "./interpreter.js";
import { measure, type MeasureOptions, type Measurement } from "./measure.js";

const TARGET = 10;
const VARIANTS = 4;

interface JsonPathCase {
  readonly query: string;
  readonly document: string;
  readonly make: (size: number, variant: number) => unknown;
}

const JSONPATH_CASES: readonly JsonPathCase[] = [
  { query: "$[?@.status == 'done' && @.attempts < 3]", document: "job list", make: jobList },
  // The Arazzo bnpl example: a leading filter on an object body, passing through the compatibility rule.
  { query: "$[?count(@.products) > 0]", document: "checkout", make: checkout },
  { query: "$..[?@.sku == 'SKU-TARGET']", document: "checkout", make: checkout },
];

const CONDITIONS: readonly string[] = [
  "$statusCode == 200 && $response.body#/status == 'Done'",
  "$statusCode == 200 && ($response.body#/status == 'failed' || $response.body#/attempts >= 3) && $response.header.Content-Type != null",
  "$response.body.result.rows > '100' && !$response.body#/canceled",
];

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: tsx bench/criteria/run.ts [--samples N] [--sample-ms MS] [--warmup-ms MS] [--sizes 10,100,1000] [--quick] [--show-code]\n`,
  );
  process.exit(2);
}

function options(): { measure: MeasureOptions; sizes: number[]; showCode: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        samples: { type: "string" },
        "sample-ms": { type: "string" },
        "warmup-ms": { type: "string" },
        sizes: { type: "string" },
        quick: { type: "boolean" },
        "show-code": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    usage((error as Error).message);
  }
  if (parsed.help) usage("Compares criteria compiled by arazzoc with interpreters of the same criteria.");
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) usage(`--${name} takes a positive number, not '${text}'`);
    return value;
  };
  const quick = parsed.quick === true;
  const sizes = (parsed.sizes ?? "10,100,1000").split(",").map((s) => positive("sizes", s.trim(), 0));
  return {
    measure: {
      samples: Math.round(positive("samples", parsed.samples, quick ? 3 : 7)),
      sampleMs: positive("sample-ms", parsed["sample-ms"], quick ? 20 : 100),
      warmupMs: positive("warmup-ms", parsed["warmup-ms"], quick ? 30 : 300),
    },
    sizes: sizes.map(Math.round),
    showCode: parsed["show-code"] === true,
  };
}

/** The library baseline with arazzoc's semantics: strict RFC 9535, and for a leading filter on an object body also [body]. */
function libraryCriterion(expression: string): (body: unknown) => boolean {
  const parsed = parseJsonPath(expression);
  if (!parsed.ok) throw new Error(`${expression}: ${parsed.message}`);
  const first = parsed.query.segments[0];
  const leadingFilter = first !== undefined && !first.descendant && first.selectors.some((s) => s.kind === "FilterSelector");
  return (body) =>
    query(body as JsonValue, expression).length > 0 ||
    (leadingFilter &&
      typeof body === "object" &&
      body !== null &&
      !Array.isArray(body) &&
      query([body as JsonValue], expression).length > 0);
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ops = (n: number): string => integer.format(n);
const ratio = (compiled: Measurement, baseline: Measurement): number => compiled.opsPerSec / baseline.opsPerSec;
const times = (r: number): string => `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}x`;
const spread = (m: Measurement): string => `${ops(m.minOpsPerSec)} – ${ops(m.maxOpsPerSec)}`;

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("   ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const { measure: measureOptions, sizes, showCode } = options();
  const require = createRequire(import.meta.url);
  const libraryVersion = (require("jsonpath-rfc9535/package.json") as { version: string }).version;
  const compiled = await compileCriteria(
    JSONPATH_CASES.map((c) => c.query),
    CONDITIONS,
  );
  try {
    if (showCode) process.stdout.write(`${compiled.source}\n`);
    process.stdout.write(
      `criteria: compiled by arazzoc vs interpreted, Node ${process.version}; median of ${measureOptions.samples} samples of ~${measureOptions.sampleMs} ms per subject, after warm-up\n\n`,
    );

    // (a) JSONPath criteria.
    const jsonRows: string[][] = [];
    const jsonRatios: number[] = [];
    const parseRates: string[] = [];
    for (const [index, c] of JSONPATH_CASES.entries()) {
      const library = libraryCriterion(c.query);
      for (const size of sizes) {
        const documents = Array.from({ length: VARIANTS }, (_, v) => c.make(size, v));
        const expected = documents.map(library);
        const compiledAnswers = documents.map(compiled.jsonpath[index]!);
        if (compiledAnswers.some((a, v) => a !== expected[v]))
          throw new Error(
            `${c.query} on ${c.document}/${size}: compiled ${compiledAnswers.join(",")} but jsonpath-rfc9535 ${expected.join(",")}`,
          );
        const [mine, theirs] = measure(
          [
            { label: "compiled", evaluate: compiled.jsonpath[index]! },
            { label: "jsonpath-rfc9535", evaluate: library },
          ],
          documents,
          expected,
          measureOptions,
        ) as [Measurement, Measurement];
        const r = ratio(mine, theirs);
        jsonRatios.push(r);
        jsonRows.push([
          c.query,
          c.document,
          String(size),
          expected.map((e) => (e ? "T" : "F")).join(""),
          ops(mine.opsPerSec),
          ops(theirs.opsPerSec),
          times(r),
          `${spread(mine)} | ${spread(theirs)}`,
        ]);
      }
      // How much of the library's time per call is parsing the query text, which it does on every call.
      const [parseOnly] = measure(
        [{ label: "parse", evaluate: (text: string) => parseJsonPathLibrary(text) !== undefined }],
        [c.query],
        [true],
        measureOptions,
      );
      parseRates.push(`  ${c.query}: ${ops(parseOnly!.opsPerSec)} parses/s`);
    }
    process.stdout.write(
      `(a) JSONPath criteria: compiled (compileJsonPathCriterion) vs jsonpath-rfc9535 ${libraryVersion} query(body, text)\n`,
    );
    process.stdout.write(
      table(
        [
          "query",
          "document",
          "items",
          "answers",
          "compiled ops/s",
          "jsonpath-rfc9535 ops/s",
          "ratio",
          "min – max ops/s (compiled | library)",
        ],
        jsonRows,
        new Set([2, 4, 5, 6]),
      ) + "\n",
    );
    process.stdout.write(`jsonpath-rfc9535 parses the query on every call; parsing alone:\n${parseRates.join("\n")}\n\n`);

    // (b) Simple conditions.
    const responses = Array.from({ length: VARIANTS }, (_, v) => jobResponse(v));
    const conditionRows: string[][] = [];
    const conditionRatios: number[] = [];
    for (const [index, text] of CONDITIONS.entries()) {
      const parsed = parseCondition(text);
      if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
      const ast = parsed.condition;
      const expected = responses.map((r) => interpretCondition(text, r));
      const compiledAnswers = responses.map(compiled.conditions[index]!);
      if (compiledAnswers.some((a, v) => a !== expected[v]))
        throw new Error(`${text}: compiled ${compiledAnswers.join(",")} but the interpreter ${expected.join(",")}`);
      const [mine, interpreter, cached] = measure<CriterionResponse>(
        [
          { label: "compiled", evaluate: compiled.conditions[index]! },
          { label: "interpreter", evaluate: (response) => interpretCondition(text, response) },
          { label: "interpreter, parse cached", evaluate: (response) => evaluateCondition(ast, response) },
        ],
        responses,
        expected,
        measureOptions,
      ) as [Measurement, Measurement, Measurement];
      const r = ratio(mine, interpreter);
      conditionRatios.push(r);
      conditionRows.push([
        text,
        expected.map((e) => (e ? "T" : "F")).join(""),
        ops(mine.opsPerSec),
        ops(interpreter.opsPerSec),
        times(r),
        ops(cached.opsPerSec),
        times(ratio(mine, cached)),
        `${spread(mine)} | ${spread(interpreter)}`,
      ]);
    }
    process.stdout.write(
      "(b) simple conditions: compiled (binder + emitCondition) vs an interpreter that parses and evaluates the text per call\n",
    );
    process.stdout.write(
      table(
        [
          "condition",
          "answers",
          "compiled ops/s",
          "interpreter ops/s",
          "ratio",
          "parse-cached ops/s",
          "ratio",
          "min – max ops/s (compiled | interpreter)",
        ],
        conditionRows,
        new Set([2, 3, 4, 5, 6]),
      ) + "\n\n",
    );

    const verdict = (name: string, ratios: readonly number[]): string => {
      const min = Math.min(...ratios);
      return `${name}: smallest ratio ${times(min)} (target >= ${TARGET}x: ${min >= TARGET ? "met" : "missed"})`;
    };
    process.stdout.write(`${verdict("JSONPath", jsonRatios)}; ${verdict("simple conditions", conditionRatios)}\n`);
  } finally {
    compiled.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
