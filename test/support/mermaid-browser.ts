// Renders Mermaid diagrams the way a reader's browser does: the system's Chromium (Debian's package),
// driven by playwright-core, loads the `mermaid` package from a server on 127.0.0.1; every other request
// is refused, so rendering needs no network. Each diagram becomes an SVG in the page, a list of its
// nodes, and a PNG screenshot.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

// The page's own script does the work, as plain JavaScript: functions passed from the test would be
// rewritten by the test's TypeScript transform (helpers that do not exist in the page).
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><style>body { margin: 0; background: #fff; } #out { display: inline-block; padding: 16px; }</style>
<script src="/mermaid.min.js"></script>
<script>
// useMaxWidth false: the picture at its natural size, not shrunk to the page.
mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default", flowchart: { useMaxWidth: false } });
let count = 0;
function lines(element) {
  // HTML labels break lines with <br>; SVG text labels have one <tspan> per row.
  const html = element.querySelector("foreignObject > *");
  if (html) return html.innerText.split("\\n").map((l) => l.trim()).filter((l) => l !== "");
  return [...element.querySelectorAll("text")].map((t) => t.textContent.trim()).filter((l) => l !== "");
}
async function renderDiagram(text) {
  const out = document.getElementById("out");
  out.innerHTML = "";
  const { svg } = await mermaid.render("diagram" + ++count, text);
  out.innerHTML = svg;
  const nodes = [...out.querySelectorAll("g.node")].map((node) => ({
    id: node.getAttribute("data-id") ?? node.id,
    lines: lines(node),
  }));
  const edgeLabels = [...out.querySelectorAll("g.edgeLabel")].map((l) => lines(l).join("\\n")).filter((l) => l !== "");
  const clusters = [...out.querySelectorAll("g.cluster")].map((c) => lines(c).join(" "));
  return { svg, nodes, edgeLabels, clusters };
}
</script>
</head><body><div id="out"></div></body></html>`;

export interface RenderedNode {
  /** The node's id in the diagram source (`s_runScript`). */
  readonly id: string;
  /** The text the reader sees, lines joined by newlines. */
  readonly lines: readonly string[];
}

export interface Rendered {
  readonly svg: string;
  readonly nodes: readonly RenderedNode[];
  /** Edge labels as shown. */
  readonly edgeLabels: readonly string[];
  /** Subgraph titles as shown. */
  readonly clusters: readonly string[];
}

export class MermaidBrowser {
  private constructor(
    private readonly server: Server,
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly profile: string,
  ) {}

  static async start(): Promise<MermaidBrowser> {
    const script = readFileSync(join(createRequire(import.meta.url).resolve("mermaid/package.json"), "..", "dist", "mermaid.min.js"));
    const server = createServer((req, res) => {
      if (req.url === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      else if (req.url === "/mermaid.min.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A new, empty profile per run: nothing from an earlier run (or the machine's user) leaks in.
    const profile = mkdtempSync(join(tmpdir(), "arazzoc-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1600, height: 1200 },
      deviceScaleFactor: 2,
    });
    // Only the local server is reachable.
    await context.route("**/*", (route) => (route.request().url().startsWith(`${origin}/`) ? route.continue() : route.abort()));
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof (globalThis as { mermaid?: unknown }).mermaid === "object");
    return new MermaidBrowser(server, context, page, profile);
  }

  /** Renders one diagram; Mermaid's own syntax errors reject. Saves a PNG of it when `png` is given. */
  async render(source: string, png?: string): Promise<Rendered> {
    const result = (await this.page.evaluate(`renderDiagram(${JSON.stringify(source)})`)) as Rendered;
    // Node elements are named `<diagram>-flowchart-<node id>-<n>`.
    const nodes = result.nodes.map((n) => ({ ...n, id: /^diagram\d+-flowchart-(.+)-\d+$/.exec(n.id)?.[1] ?? n.id }));
    if (png !== undefined) await this.page.locator("#out").screenshot({ path: png });
    return { ...result, nodes };
  }

  async close(): Promise<void> {
    await this.context.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.profile, { recursive: true, force: true });
  }
}
