// The naming pass of the TypeScript target (after quicktype's Naming): every identifier of a module is
// assigned before anything is printed. Public names come first — each workflow's function and its
// …Inputs/…Outputs/…Steps types, in workflowId order so that they do not depend on document order, then the
// module's named types (schemas the types share), in name order — and are never displaced: internal names (runners, definitions, checks, sources, patterns, imports of other
// modules) take what is left, and runtime imports give way by being aliased (`valueAt as valueAt_`).
// Globals the generated code calls are never taken, so nothing shadows them.
import { makeDiagnostic, type Diagnostic } from "../../diagnostics.js";
import { camelCase, NameTable, pascalCase } from "./identifiers.js";
import type { ModuleIr, WorkflowIr } from "../../ir/program.js";
import { RUNTIME_NAMES } from "./uses.js";

/** Globals generated code calls or names; no generated name may shadow them. */
export const GLOBALS: readonly string[] = [
  "Array",
  "Awaited",
  "Error",
  "JSON",
  "Number",
  "Object",
  "Partial",
  "Promise",
  "Readonly",
  "Record",
  "RegExp",
  "String",
  "encodeURIComponent",
  "globalThis",
  "undefined",
  "NaN",
  "Infinity",
];

/** Names of parameters and locals every generated function may have; module-level internals avoid them. */
export const FIXED_LOCALS = ["run", "inputs", "_inputs", "options", "problems", "root", "step"];

export interface WorkflowNames {
  /** The exported function. */
  readonly function: string;
  readonly inputs: string;
  readonly outputs: string;
  readonly steps: string;
  /** Runs the workflow within a run: for workflows other workflows call. */
  readonly inRun: string;
  /** The runtime's definition constant, likewise. */
  readonly definition: string;
  /** The input check. */
  readonly check: string;
}

export interface ModuleNames {
  readonly workflows: ReadonlyMap<string, WorkflowNames>;
  /** The local name of a runtime export (itself, or an alias where a public name took it). */
  readonly runtime: (name: string) => string;
  /** The exported type alias of each of the module's named types (ModuleIr.types keys). */
  readonly types: ReadonlyMap<string, string>;
  /** Module-level names: more internal names are claimed from it (sources, patterns, imports). */
  readonly table: NameTable;
  /** The exported workflow functions: no function body refers to them, so locals may take their names. */
  readonly functions: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Names a module namespace must not export: `then` makes `await import()` of the module never settle. */
const NOT_EXPORTABLE = new Set(["then"]);

/**
 * An identifier TypeScript accepts: names with letters newer than its Unicode tables are given an
 * ASCII form without escapes (`u1E900`) instead.
 */
function asciiFallback(name: string, isIdentifier: (text: string) => boolean): string {
  if (isIdentifier(name)) return name;
  return [...name]
    .map((c) => (/^[A-Za-z0-9_$]$/.test(c) ? c : isIdentifier(`a${c}`) ? c : `U${c.codePointAt(0)!.toString(16).toUpperCase()}`))
    .join("");
}

export function nameModule(module: ModuleIr, isIdentifier: (text: string) => boolean): ModuleNames {
  const table = new NameTable(GLOBALS);
  const diagnostics: Diagnostic[] = [];
  const sorted = [...module.workflows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const indexOf = (w: WorkflowIr) => module.workflows.indexOf(w);
  const functions = new Map<string, string>();
  for (const w of sorted) {
    let wanted = asciiFallback(camelCase(w.id), isIdentifier);
    const code = NOT_EXPORTABLE.has(wanted) ? "AZC6050" : GLOBALS.includes(wanted) ? "AZC6051" : undefined;
    if (code !== undefined) {
      const renamed = table.claim(`${wanted}Workflow`, "workflow");
      diagnostics.push(makeDiagnostic(code, { workflowId: w.id, name: wanted, renamed }, { file: module.sourcePath, pointer: `/workflows/${indexOf(w)}/workflowId` }));
      functions.set(w.id, renamed);
      continue;
    }
    functions.set(w.id, table.claim(wanted, "workflow"));
  }
  const types = new Map<string, { inputs: string; outputs: string; steps: string }>();
  for (const w of sorted) {
    const base = asciiFallback(pascalCase(functions.get(w.id)!), isIdentifier);
    types.set(w.id, {
      inputs: table.claim(`${base}Inputs`, "Workflow"),
      outputs: table.claim(`${base}Outputs`, "Workflow"),
      steps: table.claim(`${base}Steps`, "Workflow"),
    });
  }
  // The named types are public too, after the workflows' own: a schema named like a workflow's type or a
  // global (`Error`, `Record`) is exported as `ErrorSchema`.
  const typeNames = new Map<string, string>();
  for (const key of Object.keys(module.types).sort()) {
    const wanted = asciiFallback(pascalCase(key), isIdentifier);
    typeNames.set(key, table.claim(table.names.has(wanted) ? `${wanted}Schema` : wanted, "Schema"));
  }
  // Runtime imports give way to public names; the fixed locals of generated functions are not taken
  // by anything that function bodies refer to.
  const runtime = new Map<string, string>();
  for (const name of RUNTIME_NAMES) runtime.set(name, table.names.has(name) ? table.claim(`${name}_`, "runtime") : table.claim(name, "runtime"));
  for (const name of FIXED_LOCALS) if (!table.names.has(name)) table.claim(name, "local");
  const workflows = new Map<string, WorkflowNames>();
  for (const w of sorted) {
    const fn = functions.get(w.id)!;
    const base = pascalCase(fn);
    workflows.set(w.id, {
      function: fn,
      ...types.get(w.id)!,
      inRun: table.claim(`${fn}InRun`, "workflow"),
      definition: table.claim(`${fn}Workflow`, "workflow"),
      check: table.claim(`check${base}Inputs`, "check"),
    });
  }
  return { workflows, types: typeNames, runtime: (name) => runtime.get(name) ?? name, table, functions: new Set(functions.values()), diagnostics };
}
