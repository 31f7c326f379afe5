// The Mermaid emitter on hand-written IR: every kind of node and edge, the escaping of document strings,
// generated node ids, and output that depends on nothing but the IR.

import { describe, expect, it } from "vitest";
import { label, labelText } from "../compiler/emit/mermaid/escape.js";
import { moduleFlowchart, workflowFlowchart } from "../compiler/emit/mermaid/flowchart.js";
import { NodeIds } from "../compiler/emit/mermaid/names.js";
import type { ModuleIr } from "../compiler/ir/program.js";
import { JOBS, request, workflow } from "./support/ir-samples.js";

describe("workflowFlowchart", () => {
  it("draws steps, terminals, ordered exits, polls through a wait, retries, transfers, calls and dependsOn", () => {
    expect(workflowFlowchart(JOBS)).toBe(
      [
        "flowchart TD",
        '  d_setup[["depends on<br/>setup"]]',
        '  d__sourceDescriptions_other_warm_up[["depends on<br/>$sourceDescriptions.other.warm-up"]]',
        '  wf_start(["start"])',
        '  s_submit["submit<br/>submitJob: POST /jobs<br/>success: $statusCode == 200"]',
        '  s_poll["poll<br/>GET /jobs/{id}<br/>success: $statusCode == 200"]',
        '  s_notify[["notify<br/>workflow: send-mail"]]',
        '  s_login["login<br/>POST /login<br/>success: $statusCode == 200"]',
        '  wf_end(["end"])',
        '  wf_fail(["failed"])',
        '  v_reset_queue[["workflow<br/>reset-queue"]]',
        '  t__sourceDescriptions_archiver_archive[/"transfer to<br/>$sourceDescriptions.archiver.archive"/]',
        '  p_poll_poll(("wait"))',
        "  d_setup --> d__sourceDescriptions_other_warm_up",
        "  d__sourceDescriptions_other_warm_up --> wf_start",
        "  wf_start --> s_submit",
        "  s_submit --> s_poll",
        '  s_submit -.->|"busy<br/>$statusCode == 503<br/>retry at most 3 times, after 5 s"| s_submit',
        '  s_submit -.->|"relogin<br/>$statusCode == 401<br/>retry once<br/>runs this first"| s_login',
        '  s_login -.->|"back to submit"| s_submit',
        '  s_submit -.->|"reset<br/>$statusCode == 409<br/>retry at most 2 times<br/>runs this first"| v_reset_queue',
        '  v_reset_queue -.->|"back to submit"| s_submit',
        '  s_submit -.->|"otherwise"| wf_fail',
        '  s_poll ==>|"stillRunning<br/>$[?@.done == false]"| p_poll_poll',
        '  p_poll_poll ==>|"poll again"| s_poll',
        '  s_poll -->|"handOver<br/>$statusCode == 200"| t__sourceDescriptions_archiver_archive',
        '  s_poll -->|"otherwise"| s_notify',
        "  s_poll -.-> wf_fail",
        '  s_notify -->|"finished"| wf_end',
        "  s_notify -.-> wf_fail",
        "  s_login --> wf_end",
        "  s_login -.-> wf_fail",
        "  classDef terminal fill:#eef2ff,stroke:#4f5b93",
        "  classDef success fill:#e3f6e5,stroke:#2e7d32",
        "  classDef failure fill:#fdecea,stroke:#c62828",
        "  classDef external fill:#fff8e1,stroke:#a67c00",
        "  classDef wait fill:#f3e5f5,stroke:#7b1fa2",
        "  classDef unreachable fill:#f4f4f4,stroke:#9e9e9e,stroke-dasharray:4 3,color:#757575",
        "  class wf_start terminal",
        "  class wf_end success",
        "  class wf_fail failure",
        "  class d_setup,d__sourceDescriptions_other_warm_up,v_reset_queue,t__sourceDescriptions_archiver_archive external",
        "  class p_poll_poll wait",
        "  linkStyle 4,5,7,9,14,16,18 stroke:#c62828",
        "",
      ].join("\n"),
    );
  });

  it("greys out steps the flow facts find unreachable", () => {
    const chart = workflowFlowchart({ ...JOBS, dependsOn: [], flow: { ...JOBS.flow, reachable: ["submit", "poll", "notify"] } });
    expect(chart).toContain("  class s_login unreachable\n");
  });

  it("escapes every document string and never uses one as a node id", () => {
    const hostile = '"]; click x "javascript:alert(1)" %%{init}%% <img src=x onerror=alert(1)> #35; a|b `md` end\nsubgraph';
    const chart = workflowFlowchart(
      workflow("w", [
        {
          ...request("end", "GET", `/a/{b}/[c]/(d)/${hostile}`, {
            onSuccess: [{ when: [], action: hostile, to: { kind: "transfer", workflow: { workflowId: hostile } } }],
          }, hostile),
        },
      ]),
    );
    // Statements: one per line, each ends where the emitter ended it.
    const lines = chart.split("\n");
    for (const line of lines) {
      expect(line).not.toMatch(/<img|[\n\r`]/);
      // Only the emitter's own comment lines hold a percent sign (Mermaid reads %%{...}%% anywhere).
      if (!line.startsWith("%%")) expect(line).not.toContain("%");
      // Quotes come in label pairs only: the text between a pair never holds another quote.
      expect((line.match(/"/g) ?? []).length % 2).toBe(0);
    }
    expect(chart).toContain('#34;]; click x #34;javascript:alert(1)#34; #37;#37;{init}#37;#37; #60;img src=x onerror=alert(1)#62; #35;35; a#124;b #96;md#96; end subgraph');
    // The step called `end` (a Mermaid keyword) and the hostile names get generated ids.
    expect(chart).toContain('  s_end["end<br/>');
    expect(lines.filter((l) => /^\s*(click|subgraph|end)\b/.test(l))).toEqual([]);
    expect(chart).toMatch(/ s_end -->\|"[^"]*"\| t__+click_x__javascript_alert_1___/);
  });

  it("is a function of the IR alone: the same IR gives the same text", () => {
    expect(workflowFlowchart(structuredClone(JOBS))).toBe(workflowFlowchart(JOBS));
  });
});

describe("moduleFlowchart", () => {
  it("puts each workflow of a document in its own subgraph with ids scoped per workflow", () => {
    const module: ModuleIr = {
      sourcePath: "docs/jobs.arazzo.yaml",
      name: "jobs",
      title: "Jobs\n%%{init: {}}%%",
      workflows: [JOBS, workflow("run-job-2", [request("submit", "POST", "/jobs", { onSuccess: [{ when: [], to: { kind: "end" } }] })])],
      externals: [],
      schemas: {},
      types: {},
    };
    const chart = moduleFlowchart(module);
    expect(chart.split("\n").slice(0, 4)).toEqual([
      "%% docs/jobs.arazzo.yaml: Jobs \uff05\uff05{init: {}}\uff05\uff05",
      "%% Generated by arazzoc graph; edit the Arazzo document instead.",
      "flowchart TD",
      '  subgraph w_run_job["run-job"]',
    ]);
    expect(chart).toContain('  subgraph w_run_job_2["run-job-2"]\n    direction TB\n    w2_wf_start(["start"])\n    w2_s_submit[');
    expect(chart).toContain("    w1_s_submit --> w1_s_poll\n");
    expect(chart).toContain("    w2_s_submit --> w2_wf_end\n");
    // Edge styles are indexed over the whole chart: the second workflow's failure edge is the last one.
    const edges = chart.split("\n").filter((l) => / (-->|-\.->|==>)/.test(l));
    expect(edges.at(-1)).toBe("    w2_s_submit -.-> w2_wf_fail");
    expect(chart).toContain(`linkStyle 4,5,7,9,14,16,18,${edges.length - 1} stroke:#c62828`);
  });
});

describe("escape and names", () => {
  it("turns syntax characters into entity codes and newlines into spaces", () => {
    expect(labelText('a"b#c&d<e>f`g|h\ni\u2028j%%{x}')).toBe("a#34;b#35;c#38;d#60;e#62;f#96;g#124;h i j#37;#37;{x}");
    expect(label(["one", "<br/>"])).toBe('"one<br/>#60;br/#62;"');
  });

  it("gives distinct, stable ids to names that reduce to the same characters", () => {
    const ids = new NodeIds();
    expect([ids.id("s", "a-b"), ids.id("s", "a_b"), ids.id("s", "a.b"), ids.id("s", "a-b"), ids.id("t", "a-b")]).toEqual([
      "s_a_b",
      "s_a_b_2",
      "s_a_b_3",
      "s_a_b",
      "t_a_b",
    ]);
    expect(new NodeIds("w2_").id("s", "Ünïcode")).toBe("w2_s__n_code");
  });
});
