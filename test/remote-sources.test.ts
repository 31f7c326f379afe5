// Sources that are not beside the document: a remote URL is diagnosed unless it is mapped to a local file
// (--source name=path, by name or by url) or network access is allowed (--allow-remote), in which case the
// description and the documents its $refs name are read over HTTP.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { startServer, type TestServer } from "./support/json-server.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-remote-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const seed = readFileSync("fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml", "utf8");
const openapiPath = resolve("fixtures/windmill/api-evangelist/openapi/windmill-api-openapi.yml");

/** The cancel-guard seed with its source at `url`. */
function documentWithSource(url: string): string {
  const path = join(temp, `doc-${Math.abs(hash(url))}.yml`);
  writeFileSync(path, seed.replace("url: ../openapi/windmill-api-openapi.yml", `url: ${url}`));
  return path;
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

describe("a remote source", () => {
  it("is an error without --source or --allow-remote, with both ways out in the fix", async () => {
    const doc = documentWithSource("https://api.example.invalid/openapi.yml");
    const result = await compile({ inputs: [doc], cwd: temp });
    const [d] = result.diagnostics.filter((x) => x.severity === "error");
    expect(d?.code).toBe("AZC1009");
    expect(d?.range?.line).toBe(16);
    expect(d?.fix).toContain("--source windmillApi=<path>");
    expect(d?.fix).toContain("--allow-remote");
    expect(result.files.size).toBe(0);
  });

  it("compiles when mapped to a local file by source name or by url (CLI)", async () => {
    const url = "https://api.example.invalid/openapi.yml";
    const doc = documentWithSource(url);
    for (const mapping of [`windmillApi=${openapiPath}`, `${url}=${openapiPath}`]) {
      const run = await execa("node", [resolve("dist/compiler/cli.js"), "compile", doc, "--out", join(temp, "out"), "--source", mapping], {
        reject: false,
        cwd: temp,
      });
      expect(run.stderr).toContain("0 errors");
      expect(run.exitCode).toBe(0);
    }
  });

  it("rejects a malformed --source mapping as a usage error", async () => {
    const run = await execa("node", [resolve("dist/compiler/cli.js"), "check", documentWithSource("x.yml"), "--source", "no-equals-sign"], {
      reject: false,
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("--source takes name=path");
  });

  it("is read over HTTP with allowRemote, together with the documents its $refs name", async () => {
    // Serve the Windmill description and the OpenFlow document its $refs point into, as a web server would.
    const root = join(temp, "site");
    cpSync("fixtures/windmill", root, { recursive: true });
    server = await startServer((r) => {
      try {
        return { status: 200, headers: { "content-type": "application/yaml" }, body: readFileSync(join(root, r.path), "utf8") };
      } catch {
        return { status: 404, body: "not found" };
      }
    });
    const doc = documentWithSource(`${server.url}/api-evangelist/openapi/windmill-api-openapi.yml`);
    const result = await compile({ inputs: [doc], cwd: temp, allowRemote: true, allowRemoteHosts: ["127.0.0.1"] });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect([...result.files.keys()].sort()).toEqual(
      [
        doc
          .split("/")
          .pop()!
          .replace(/\.yml$/, ".ts"),
        "runtime.ts",
      ].sort(),
    );
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain("/api-evangelist/openapi/windmill-api-openapi.yml");
    expect(paths).toContain("/openflow.openapi.yaml");
  });

  it("reports a remote source that cannot be read, at the url", async () => {
    server = await startServer(() => ({ status: 404, body: "gone" }));
    const doc = documentWithSource(`${server.url}/missing.yml`);
    const result = await compile({ inputs: [doc], cwd: temp, allowRemote: true, allowRemoteHosts: ["127.0.0.1"] });
    const [d] = result.diagnostics.filter((x) => x.severity === "error");
    expect(d?.code).toBe("AZC1001");
    expect(d?.message).toContain("HTTP 404");
    expect(d?.range?.line).toBe(16);
  });
});
