// Documents written by an attacker: what they name is read only inside the project folder, only as regular
// files of bounded size, YAML aliases and schema walks are bounded, remote reads go only to public
// addresses under one time budget, and diagnostics print no control characters and no code frame of a
// file outside the project. Each case is one attack; each must end in a diagnostic, quickly, never in a
// crash, a hang or a leak.
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { compile, formatDiagnostic, type CompileOptions, type Diagnostic } from "../compiler/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PETS = join(ROOT, "fixtures/cases/diagnostics/pets.openapi.yaml");
const CLI = join(ROOT, "dist/compiler/cli.js");

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-hostile-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** An Arazzo document whose one source is `url` and whose one step reads `output` from the body. */
function arazzo(url: string, output = "$response.body#/name"): string {
  return `arazzo: 1.0.1
info:
  title: hostile
  version: 1.0.0
sourceDescriptions:
  - name: pets
    url: ${JSON.stringify(url)}
    type: openapi
workflows:
  - workflowId: get-pet
    inputs:
      type: object
      properties:
        petId: { type: string }
    steps:
      - stepId: getPet
        operationId: getPet
        parameters:
          - name: petId
            in: path
            value: $inputs.petId
        outputs:
          name: ${output}
`;
}

/** A project folder with the document `doc.arazzo.yaml`, a secret beside the project, and the pets description. */
function project(url: string): { dir: string; project: string; doc: string; secret: string } {
  const dir = tempDir();
  const projectDir = join(dir, "project");
  mkdirSync(projectDir);
  const secret = join(dir, "credentials.yaml");
  // Parses as YAML but is no OpenAPI description: were it read, a diagnostic would frame its first line.
  writeFileSync(secret, "aws_secret_access_key: TOP-SECRET-VALUE\n");
  copyFileSync(PETS, join(projectDir, "pets.openapi.yaml"));
  const doc = join(projectDir, "doc.arazzo.yaml");
  writeFileSync(doc, arazzo(url));
  return { dir, project: projectDir, doc, secret };
}

const errors = (list: readonly Diagnostic[]) => list.filter((d) => d.severity === "error");

async function compileCli(args: readonly string[], cwd: string) {
  return execa("node", [CLI, ...args], { reject: false, cwd });
}

describe("reads stay inside the project folder", () => {
  const escapes: [string, (p: { secret: string }) => string][] = [
    ["a relative url with ../", () => "../credentials.yaml"],
    ["an absolute path", (p) => p.secret],
    ["a file:// url", (p) => `file://${p.secret}`],
  ];
  for (const [what, url] of escapes) {
    it(`refuses ${what} as a source url, without reading or printing the file`, async () => {
      const p = project("placeholder");
      writeFileSync(p.doc, arazzo(url(p)));
      const result = await compile({ inputs: [p.doc], cwd: p.project });
      const [d] = errors(result.diagnostics);
      expect(d?.code).toBe("AZC1050");
      expect(d?.file).toBe("doc.arazzo.yaml");
      expect(d?.range?.line).toBe(7);
      expect(JSON.stringify(result.diagnostics)).not.toContain("TOP-SECRET");
      // The CLI prints the code frame of the document, never of the secret.
      const run = await compileCli(["check", p.doc], p.project);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("AZC1050");
      expect(run.stderr).not.toContain("TOP-SECRET");
    });
  }

  it("refuses a symbolic link inside the project whose target is outside", async () => {
    const p = project("./link.yaml");
    symlinkSync(p.secret, join(p.project, "link.yaml"));
    const result = await compile({ inputs: [p.doc], cwd: p.project });
    expect(errors(result.diagnostics).map((d) => d.code)).toEqual(["AZC1050"]);
    expect(JSON.stringify(result.diagnostics)).not.toContain("TOP-SECRET");
  });

  it("refuses a $ref in a description that leads outside, and says so at the $ref", async () => {
    const p = project("./pets.openapi.yaml");
    const described = join(p.project, "pets.openapi.yaml");
    const text = execFileSync("cat", [described], { encoding: "utf8" });
    // The response schema of getPet now points at the secret.
    writeFileSync(
      described,
      text.replace(/\$ref: ["']?#\/components\/schemas\/Pet["']?/g, `$ref: "../credentials.yaml#/aws_secret_access_key"`),
    );
    const result = await compile({ inputs: [p.doc], cwd: p.project, emit: false });
    const refs = result.diagnostics.filter((d) => d.code === "AZC1010" || d.code === "AZC1007");
    expect(refs.length).toBeGreaterThan(0);
    expect(refs[0]!.message).toContain("outside the project folder");
    expect(JSON.stringify(result.diagnostics)).not.toContain("TOP-SECRET");
  });

  it("reads outside with --root naming a folder that holds both, or with --allow-outside-root", async () => {
    const p = project("../pets-outside.openapi.yaml");
    copyFileSync(PETS, join(p.dir, "pets-outside.openapi.yaml"));
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project, emit: false })).diagnostics).map((d) => d.code)).toEqual(["AZC1050"]);
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project, emit: false, root: p.dir })).diagnostics)).toEqual([]);
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project, emit: false, allowOutsideRoot: true })).diagnostics)).toEqual([]);
    const run = await compileCli(["check", p.doc, "--root", p.dir], p.project);
    expect(run.exitCode).toBe(0);
  });

  it("prints no code frame of a file outside the project folder, even one the user named", async () => {
    const p = project("placeholder");
    // A description given with --source (trusted, so read) that lies outside the project and has a syntax error.
    const outside = join(p.dir, "broken.openapi.yaml");
    writeFileSync(outside, "openapi: 3.1.0\npaths: {\n  SECRET-LINE: [\n");
    writeFileSync(p.doc, arazzo("https://example.invalid/pets.yaml"));
    const run = await compileCli(["check", p.doc, "--source", `pets=${outside}`], p.project);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("AZC1002");
    expect(run.stderr).not.toContain("SECRET-LINE");
  });
});

describe("special files are refused by type, before reading", () => {
  const specials = ["/dev/zero", "/dev/urandom", "/dev/stdin"];
  for (const special of specials) {
    it(`refuses ${special} as a source (with reads outside the project allowed)`, async () => {
      const p = project(special);
      const result = await compile({ inputs: [p.doc], cwd: p.project, allowOutsideRoot: true });
      const [d] = errors(result.diagnostics);
      // /dev/stdin is a link to whatever stdin is (a pipe, a terminal, /dev/null): never a regular file.
      expect(["AZC1051", "AZC1001"]).toContain(d?.code);
      if (special !== "/dev/stdin") expect(d?.message).toMatch(/it is a device, not a regular file/);
    });
  }

  it("refuses a FIFO inside the project (opening it would wait for a writer forever)", async () => {
    const p = project("./pipe.yaml");
    execFileSync("mkfifo", [join(p.project, "pipe.yaml")]);
    const result = await compile({ inputs: [p.doc], cwd: p.project });
    const [d] = errors(result.diagnostics);
    expect(d?.code).toBe("AZC1051");
    expect(d?.message).toContain("it is a pipe");
  });

  it("refuses a folder as a $ref target and as an input file found in a folder", async () => {
    const p = project("./schemas");
    mkdirSync(join(p.project, "schemas"));
    const [d] = errors((await compile({ inputs: [p.doc], cwd: p.project })).diagnostics);
    expect(d?.code).toBe("AZC1051");
    expect(d?.message).toContain("it is a folder");
  });

  it("refuses /dev/zero as a $ref target", async () => {
    const p = project("./pets.openapi.yaml");
    const described = join(p.project, "pets.openapi.yaml");
    const text = execFileSync("cat", [described], { encoding: "utf8" });
    writeFileSync(described, text.replace(/\$ref: ["']?#\/components\/schemas\/Pet["']?/g, `$ref: "/dev/zero"`));
    const result = await compile({ inputs: [p.doc], cwd: p.project, emit: false, allowOutsideRoot: true });
    const ref = result.diagnostics.find((d) => d.code === "AZC1010");
    expect(ref?.message).toContain("not a regular file");
  });

  it("refuses a file over the size limit before reading it, and reads it once the limit is raised", async () => {
    const p = project("./big.openapi.yaml");
    // A sparse file: 1 GiB by its size, no disk used, and never read.
    execFileSync("truncate", ["-s", "1G", join(p.project, "big.openapi.yaml")]);
    const [d] = errors((await compile({ inputs: [p.doc], cwd: p.project })).diagnostics);
    expect(d?.code).toBe("AZC1052");
    expect(d?.message).toContain(`limit of ${64 * 1024 * 1024} bytes`);
    const small = project("./pets.openapi.yaml");
    expect(errors((await compile({ inputs: [small.doc], cwd: small.project, maxFileBytes: 100 })).diagnostics)[0]?.code).toBe("AZC1052");
    const run = await compileCli(["check", small.doc, "--max-file-size", "1KiB"], small.project);
    expect(run.stderr).toContain("AZC1052");
    expect((await compileCli(["check", small.doc, "--max-file-size", "lots"], small.project)).exitCode).toBe(2);
  });
});

describe("YAML aliases are counted, not expanded", () => {
  const bomb = (levels: number): string => {
    const lines = ["a0: &a0 [lol, lol]"];
    for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    return lines.join("\n");
  };

  it("refuses a 2 KB billion-laughs Arazzo document (40 levels)", async () => {
    const dir = tempDir();
    const doc = join(dir, "laughs.arazzo.yaml");
    writeFileSync(doc, `${arazzo("./pets.openapi.yaml")}x-${bomb(40).replace(/\n/g, "\nx-")}\n`);
    const result = await compile({ inputs: [doc], cwd: dir });
    expect(errors(result.diagnostics).map((d) => d.code)).toEqual(["AZC1053"]);
  });

  it("refuses a billion-laughs description (the fast parser's path)", async () => {
    const p = project("./laughs.openapi.yaml");
    writeFileSync(join(p.project, "laughs.openapi.yaml"), `openapi: 3.1.0\npaths: {}\n${bomb(40)}\n`);
    const result = await compile({ inputs: [p.doc], cwd: p.project });
    const [d] = errors(result.diagnostics);
    expect(d?.code).toBe("AZC1053");
    expect(d?.file).toBe("doc.arazzo.yaml");
  });

  it("refuses an alias inside the node it names (a cycle), in a document and in a description", async () => {
    const p = project("./cycle.openapi.yaml");
    writeFileSync(join(p.project, "cycle.openapi.yaml"), "openapi: 3.1.0\npaths: {}\nx-loop: &loop [*loop]\n");
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project })).diagnostics)[0]?.message).toContain("cycle");
    writeFileSync(p.doc, `${arazzo("./pets.openapi.yaml")}x-loop: &loop [*loop]\n`);
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project })).diagnostics)[0]?.code).toMatch(/AZC1002|AZC1053/);
  });

  it("accepts aliases that expand modestly", async () => {
    const p = project("./pets.openapi.yaml");
    writeFileSync(p.doc, `${arazzo("./pets.openapi.yaml")}x-a: &a { k: [1, 2, 3] }\nx-b: [*a, *a, *a]\n`);
    expect(errors((await compile({ inputs: [p.doc], cwd: p.project, emit: false })).diagnostics)).toEqual([]);
  });
});

describe("schema walks are bounded", () => {
  /** A description whose body schema branches in two at every level and leads back to itself. */
  function recursive(combinator: "anyOf" | "allOf" | "oneOf"): string {
    return `openapi: 3.1.0
info: { title: recursive, version: 1.0.0 }
paths:
  /nodes/{petId}:
    get:
      operationId: getPet
      parameters:
        - { name: petId, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: a node
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Node" }
components:
  schemas:
    Node:
      ${combinator}:
        - $ref: "#/components/schemas/Branch"
        - $ref: "#/components/schemas/Branch"
    Branch:
      type: object
      properties:
        a: { $ref: "#/components/schemas/Node" }
        name: { type: string }
`;
  }

  for (const combinator of ["anyOf", "allOf", "oneOf"] as const) {
    it(`types and checks a read 40 levels deep into a recursive ${combinator} (2^40 paths) without walking each`, async () => {
      const dir = tempDir();
      writeFileSync(join(dir, "pets.openapi.yaml"), recursive(combinator));
      const doc = join(dir, "doc.arazzo.yaml");
      writeFileSync(doc, arazzo("./pets.openapi.yaml", `$response.body#/${"a/".repeat(40)}name`));
      // Inputs schema recursive too: the generated input check is bounded as well.
      const result = await compile({ inputs: [doc], cwd: dir });
      expect(errors(result.diagnostics)).toEqual([]);
      expect(result.files.has("doc.arazzo.ts")).toBe(true);
    });
  }

  it("generates a bounded input check for a recursive, branching inputs schema", async () => {
    const dir = tempDir();
    copyFileSync(PETS, join(dir, "pets.openapi.yaml"));
    const doc = join(dir, "doc.arazzo.yaml");
    const branches = Array.from({ length: 6 }, () => "          - $ref: '#/components/inputs/tree'").join("\n");
    writeFileSync(
      doc,
      arazzo("./pets.openapi.yaml").replace(
        "    inputs:\n      type: object\n      properties:\n        petId: { type: string }\n",
        "    inputs:\n      $ref: '#/components/inputs/tree'\n",
      ) +
        `components:
  inputs:
    tree:
      type: object
      properties:
        petId: { type: string }
        child:
          anyOf:
${branches}
`,
    );
    const result = await compile({ inputs: [doc], cwd: dir });
    expect(errors(result.diagnostics)).toEqual([]);
    // 6 branches 6 levels deep would be 50,000 checks; the budget keeps the module small.
    expect(result.files.get("doc.arazzo.ts")!.length).toBeLessThan(300_000);
  });
});

describe("diagnostics print no control characters from a document", () => {
  it("escapes terminal escape sequences in messages and code frames", async () => {
    const dir = tempDir();
    copyFileSync(PETS, join(dir, "pets.openapi.yaml"));
    const doc = join(dir, "doc.arazzo.yaml");
    // An unknown operationId that would clear the screen and retitle the terminal.
    writeFileSync(
      doc,
      arazzo("./pets.openapi.yaml").replace("operationId: getPet", 'operationId: "\\e[2J\\e]0;pwned\\a\\u202eevil\\u009b31m"'),
    );
    const result = await compile({ inputs: [doc], cwd: dir, emit: false });
    const [d] = errors(result.diagnostics);
    expect(d).toBeDefined();
    const text = formatDiagnostic(d!, result.sourceText(d!.file));
    expect(text).toContain("\\x1b[2J");
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const run = await compileCli(["check", doc], dir);
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    const json = await compileCli(["check", doc, "--format", "json"], dir);
    expect(json.stdout).not.toMatch(/[\u007f-\u009f\u202e]/);
  });

  it("escapes raw control bytes written into the document's lines", async () => {
    const dir = tempDir();
    copyFileSync(PETS, join(dir, "pets.openapi.yaml"));
    const doc = join(dir, "doc.arazzo.yaml");
    // A raw ESC in a comment on the line a diagnostic frames.
    writeFileSync(doc, arazzo("./pets.openapi.yaml").replace("operationId: getPet", "operationId: nosuch # \u001b[2J\u001b[31mred"));
    const run = await compileCli(["check", doc], dir);
    expect(run.stderr).toContain("AZC4001");
    expect(run.stderr).toContain("\\x1b[2J");
    expect(run.stderr).not.toContain("\u001b");
  });
});

/** A raw HTTP server: each test says what every request gets. */
async function rawServer(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
});
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const { url, server } = await rawServer(handler);
  servers.push(server);
  return url;
}

describe("remote reads (--allow-remote) reach only public addresses, bounded", () => {
  const petsText = execFileSync("cat", [PETS], { encoding: "utf8" });
  const remote = (url: string, options: Partial<CompileOptions> = {}) => {
    const dir = tempDir();
    const doc = join(dir, "doc.arazzo.yaml");
    writeFileSync(doc, arazzo(url));
    return compile({ inputs: [doc], cwd: dir, allowRemote: true, emit: false, ...options });
  };

  it("refuses loopback (by address and by name), link-local and private addresses, before connecting", async () => {
    let requests = 0;
    const url = await serve((_, res) => {
      requests++;
      res.end(petsText);
    });
    for (const target of [
      url,
      url.replace("127.0.0.1", "localhost"),
      "http://169.254.169.254/latest/",
      "http://10.0.0.1/x.yaml",
      "http://[::1]:1/x",
      "http://[::ffff:127.0.0.1]:1/x",
    ]) {
      const [d] = errors((await remote(target)).diagnostics);
      expect(d?.code, target).toBe("AZC1054");
    }
    expect(requests).toBe(0);
  });

  it("reads 127.0.0.1 when allowed explicitly", async () => {
    const url = await serve((_, res) => res.end(petsText));
    expect(errors((await remote(`${url}/pets.yaml`, { allowRemoteHosts: ["127.0.0.1"] })).diagnostics)).toEqual([]);
    const dir = tempDir();
    const doc = join(dir, "doc.arazzo.yaml");
    writeFileSync(doc, arazzo(`${url}/pets.yaml`));
    expect((await compileCli(["check", doc, "--allow-remote", "--allow-remote-host", "127.0.0.1"], dir)).exitCode).toBe(0);
    expect((await compileCli(["check", doc, "--allow-remote"], dir)).stderr).toContain("AZC1054");
  });

  it("checks every redirect: to a link-local address, to a file: URL, and no more than five", async () => {
    let hops = 0;
    const url = await serve((req, res) => {
      if (req.url === "/metadata") return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
      if (req.url === "/file") return res.writeHead(302, { location: "file:///etc/passwd" }).end();
      hops++;
      res.writeHead(302, { location: `/loop${hops}` }).end();
    });
    const allowed = { allowRemoteHosts: ["127.0.0.1"] };
    expect(errors((await remote(`${url}/metadata`, allowed)).diagnostics)[0]?.code).toBe("AZC1054");
    expect(errors((await remote(`${url}/file`, allowed)).diagnostics)[0]?.message).toContain("only http(s) is read");
    expect(errors((await remote(`${url}/loop`, allowed)).diagnostics)[0]?.message).toContain("more than 5 redirects");
    expect(hops).toBe(6);
  });

  it("stops reading a body at the size limit instead of buffering it", async () => {
    let sent = 0;
    let closed = false;
    const url = await serve((_, res) => {
      res.writeHead(200, { "content-type": "application/yaml" });
      const chunk = Buffer.alloc(64 * 1024, "#");
      const pump = (): void => {
        // An endless body; the reader must hang up.
        while (!closed && sent < 512 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (!closed && sent < 512 * 1024 * 1024) res.once("drain", pump);
      };
      res.on("close", () => (closed = true));
      pump();
    });
    const [d] = errors((await remote(`${url}/huge.yaml`, { allowRemoteHosts: ["127.0.0.1"], maxFileBytes: 1024 * 1024 })).diagnostics);
    expect(d?.code).toBe("AZC1052");
    expect(sent).toBeLessThan(512 * 1024 * 1024);
  });

  it("spends one time budget on all remote reads: a server that never answers ends the compile", async () => {
    const url = await serve(() => {
      // Never answers: the headers never come.
    });
    const result = await remote(`${url}/slow.yaml`, { allowRemoteHosts: ["127.0.0.1"], remoteTimeoutMs: 300 });
    const [d] = errors(result.diagnostics);
    expect(d?.code).toBe("AZC1001");
    expect(d?.message).toContain("took more than 300 ms in all");
  });

  it("shares the budget between documents: once a slow one has spent it, a fast one is not read", async () => {
    const slow = await serve(() => {
      // Never answers.
    });
    let fastRequests = 0;
    const fast = await serve((_, res) => {
      fastRequests++;
      res.end(petsText);
    });
    const dir = tempDir();
    const doc = join(dir, "doc.arazzo.yaml");
    const text = arazzo(`${slow}/slow.yaml`).replace(
      "    type: openapi\n",
      `    type: openapi\n  - name: other\n    url: "${fast}/fast.yaml"\n    type: openapi\n`,
    );
    writeFileSync(doc, text);
    const result = await compile({
      inputs: [doc],
      cwd: dir,
      allowRemote: true,
      emit: false,
      allowRemoteHosts: ["127.0.0.1"],
      remoteTimeoutMs: 300,
    });
    const budget = errors(result.diagnostics).filter((d) => d.message.includes("took more than 300 ms in all"));
    // Per-document time limits would have read the fast one; one budget per compilation does not.
    expect(budget.map((d) => d.range?.line)).toEqual([7, 10]);
    expect(fastRequests).toBe(0);
  });
});

describe("large documents", () => {
  it("compiles an Arazzo document beyond the source-map limit, and still says where a mistake is (by JSON pointer)", async () => {
    const dir = tempDir();
    copyFileSync(PETS, join(dir, "pets.openapi.yaml"));
    const doc = join(dir, "doc.arazzo.yaml");
    const filler: string[] = ["x-filler:"];
    // 9 MB of extension data: above the 8 MiB source-map limit, where the positional parser needed ~80x the text.
    for (let i = 0; filler.length < 110_000; i++)
      filler.push(`  - { id: ${i}, note: "lorem ipsum dolor sit amet, consectetur adipiscing elit" }`);
    writeFileSync(doc, `${arazzo("./pets.openapi.yaml").replace("operationId: getPet", "operationId: getPett")}${filler.join("\n")}\n`);
    const result = await compile({ inputs: [doc], cwd: dir, emit: false });
    const [d] = errors(result.diagnostics);
    expect(d?.code).toBe("AZC4001");
    expect(d?.pointer).toBe("/workflows/0/steps/0/operationId");
    expect(d?.range).toBeUndefined();
  });
});
