// The Restate wrappers (--durable restate) are built on each module's public API only. Their names are derived
// from the lowered program as the module emitter derives them: for every fixture document, each name a wrapper
// imports must be one its module exports, and document text reaches the wrapper only escaped.
import { describe, expect, it } from "vitest";
import { emitRestateModule } from "../compiler/emit/restate/module.js";
import { compile } from "../compiler/index.js";

const FIXTURES = [
  "fixtures/windmill/api-evangelist/arazzo",
  "fixtures/cases/types",
  "fixtures/cases/flows",
  "fixtures/cases/payloads",
  "fixtures/cases/sources",
  "fixtures/cases/documents",
  "fixtures/cases/durable",
  "fixtures/arazzo-examples-fixed",
];

/** The names a module exports: functions, interfaces, types and constants. */
function exportsOf(text: string): Set<string> {
  return new Set([...text.matchAll(/^export (?:async function|function|interface|type|const) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!));
}

describe("compile --durable restate", () => {
  it("imports, for every fixture workflow, names its module exports", async () => {
    const result = await compile({ inputs: FIXTURES, durable: "restate" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const wrappers = [...result.files.keys()].filter((name) => name.endsWith(".restate.ts"));
    const modules = [...result.files.keys()].filter(
      (name) => name.endsWith(".ts") && !name.endsWith(".restate.ts") && !name.startsWith("runtime"),
    );
    expect(wrappers.length).toBe(modules.length);
    let workflows = 0;
    for (const wrapper of wrappers) {
      const moduleName = wrapper.replace(/\.restate\.ts$/, ".ts");
      const moduleText = result.files.get(moduleName)!;
      const text = result.files.get(wrapper)!;
      const specifier = `./${moduleName.replace(/\.ts$/, ".js")}`;
      const imported = new RegExp(`import \\{([^}]*)\\} from "${specifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}";`).exec(text);
      expect(imported, wrapper).not.toBeNull();
      const names = imported![1]!
        .split(",")
        .map((n) => n.trim().replace(/^type /, ""))
        .filter(Boolean);
      const exported = exportsOf(moduleText);
      for (const name of names) expect(exported.has(name), `${wrapper} imports ${name}`).toBe(true);
      workflows += [...text.matchAll(/restate\.workflow\(/g)].length;
      // One Restate workflow per Arazzo workflow of the module, named by its workflowId.
      const lowered = result.program.modules.find((m) => `${m.name}.ts` === moduleName)!;
      expect([...text.matchAll(/^ {6}name: ("[^"]*"),$/gm)].map((m) => JSON.parse(m[1]!) as string)).toEqual(
        lowered.workflows.map((w) => w.id),
      );
    }
    expect(workflows).toBeGreaterThan(20);
    expect(result.files.get("runtime-restate.ts")).toContain('from "@restatedev/restate-sdk"');
  });

  it("lets the worker hold an input with a secret member (env.AUTH_TOKEN, accounts[].token) whole, out of the journal", async () => {
    const result = await compile({ inputs: ["fixtures/cases/flows/workflow-results.arazzo.yaml"], root: "fixtures", durable: "restate" });
    const wrapper = [...result.files].find(([name]) => name.endsWith("workflow-results.arazzo.restate.ts"))![1];
    // Held whole; the paths say what is scrubbed from the journal (the member, in each item of an array).
    expect(wrapper).toContain('runDurably(ctx, inputs, [["env", "AUTH_TOKEN"]], options, stockTwice)');
    expect(wrapper).toContain('runDurably(ctx, inputs, [["accounts", "token"]], options, stockForAccounts)');
    expect(wrapper).toMatch(/env\?: StockTwiceInputs\["env"\] \| undefined;/);
    expect(wrapper).toMatch(/accounts\?: StockForAccountsInputs\["accounts"\] \| undefined;/);
    expect(wrapper).toContain('Omit<StockForAccountsInputs, "accounts">');
  });

  it("requires the worker's transports where a module has message steps, and hands them to the workflow", async () => {
    const result = await compile({ inputs: ["fixtures/cases/durable/shop.arazzo.yaml"], root: "fixtures", durable: "restate" });
    expect(result.diagnostics).toEqual([]);
    const wrapper = [...result.files].find(([name]) => name.endsWith("shop.arazzo.restate.ts"))![1];
    expect(wrapper).toContain('import { runDurably, type RestateWorkflowsOptions, type MessageTransport } from "./runtime-restate.js";');
    expect(wrapper).toContain("options: RestateWorkflowsOptions<WorkerSecrets> & { transports: { shopEvents: MessageTransport } }");
    expect(wrapper).toContain("orderAndShip(runInputs, { ...runOptions, transports: options.transports })");
    expect(result.files.has("runtime-messages.ts")).toBe(true);
  });

  it("escapes document text: a summary cannot close its comment, a workflowId is a string literal", async () => {
    const text = await emitRestateModule({
      sourcePath: "docs/evil.arazzo.yaml",
      moduleFile: "evil.arazzo.ts",
      workflows: [
        {
          workflowId: 'x"); process.exit(1); ("',
          functionName: "evil",
          inputsTypeName: "EvilInputs",
          secretInputs: ['to"ken'],
          messageSources: ["order-events"],
          summary: "ends the comment */ process.exit(1); /*",
        },
      ],
    });
    expect(text).toContain("/** ends the comment *\\/ process.exit(1); /* */");
    // Prettier prefers single quotes for strings holding double quotes: still one literal each.
    expect(text).toContain(`name: 'x"); process.exit(1); ("',`);
    expect(text).toContain(`runDurably(ctx, inputs, ['to"ken'], options, (runInputs: EvilInputs, runOptions) =>`);
    // A source name that is no identifier is a quoted member of the transports the worker passes.
    expect(text).toContain(`transports: { "order-events": MessageTransport }`);
    // Outputs typed from the function when the workflow may hand its result to another.
    expect(text).toContain("Promise<Awaited<ReturnType<typeof evil>>>");
  });
});
