// The installed bin on a BusyBox system (Alpine): the kernel runs a shebang `#!<interpreter> <argument>` as
// `<interpreter> <argument> <script> <args>`, with everything after the interpreter passed as one argument. On
// BusyBox, /usr/bin/env is BusyBox's env, which has no -S to split that argument. This runs the bin's shebang
// exactly so, through BusyBox's sh and env, and shows that a shebang needing -S would fail there.
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "dist/compiler/bin.js");
const SEED = "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml";

/** Debian's busybox, installed by test/support/ensure-debian-packages.sh (npm's pretest). */
const BUSYBOX = ["/usr/bin/busybox", "/bin/busybox"].find((path) => existsSync(path));
const required = process.env["CI"] === "true";
if (!BUSYBOX && !required) console.warn("bin-busybox: skipped, busybox is missing (install it with: apt-get install -y busybox); CI runs it.");

beforeAll(async () => {
  if (!existsSync(BIN)) await execa("npm", ["run", "build"], { cwd: ROOT });
}, 300_000);

/** The shebang as the kernel splits it: the interpreter, and the rest of the line as one argument. */
function shebang(file: string): { interpreter: string; argument?: string } {
  const line = readFileSync(file, "utf8").split("\n", 1)[0]!;
  expect(line.startsWith("#!")).toBe(true);
  const [interpreter, ...rest] = line.slice(2).trim().split(/[ \t]+/);
  const argument = line.slice(2).trim().slice(interpreter!.length).trim();
  return { interpreter: interpreter!, ...(rest.length > 0 ? { argument } : {}) };
}

/**
 * Runs `script args` the way a BusyBox system runs it from its shebang: BusyBox's sh executes BusyBox's env
 * (standing for /usr/bin/env) with the shebang's argument, the script and the arguments. Only node's folder
 * is on PATH, so nothing of GNU's is found.
 */
function runAsBusyBox(line: { interpreter: string; argument?: string }, script: string, args: readonly string[]) {
  const command = 'exec "$BUSYBOX" env "$@"';
  const argv = [...(line.argument !== undefined ? [line.argument] : []), script, ...args];
  return execa(BUSYBOX!, ["sh", "-c", command, "sh", ...argv], {
    reject: false,
    cwd: ROOT,
    env: { PATH: dirname(process.execPath), BUSYBOX: BUSYBOX!, ARAZZOC_DEBUG: "" },
    extendEnv: false,
  });
}

describe.skipIf(!BUSYBOX && !required)("the bin under BusyBox", () => {
  it("its shebang is /usr/bin/env with a single word, which BusyBox's env runs", async () => {
    const line = shebang(BIN);
    expect(line).toEqual({ interpreter: "/usr/bin/env", argument: "node" });
    const version = await runAsBusyBox(line, BIN, ["--version"]);
    expect(version.stderr).toBe("");
    expect(version.stdout).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    expect(version.exitCode).toBe(0);
  });

  it("compile and check, which start a second node with V8 flags, run too", async () => {
    const checked = await runAsBusyBox(shebang(BIN), BIN, ["check", SEED, "--no-config"]);
    expect(checked.stderr).toMatch(/arazzoc: 1 document; checked; 0 errors, \d+ warnings\.$/);
    expect(checked.exitCode).toBe(0);
  });

  it("a shebang that needs env -S fails under BusyBox: the check above has teeth", async () => {
    const split = await runAsBusyBox({ interpreter: "/usr/bin/env", argument: "-S node --max-semi-space-size=2" }, BIN, ["--version"]);
    expect(split.exitCode).not.toBe(0);
    expect(split.stdout).toBe("");
    expect(split.stderr).toMatch(/env: (unrecognized|invalid) option/);
  });
});
