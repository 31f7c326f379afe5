// Vitest global setup: installs the TypeScript 5 of test/typescript5 (its own package.json and lock, since the
// project itself uses TypeScript 7) when it is missing or not the pinned version, so that a fresh clone's
// `npm test` type-checks generated code with both. Nothing happens when it is in place.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const TYPESCRIPT5_DIR = resolve("test/typescript5");

function installed(): boolean {
  const wanted = (JSON.parse(readFileSync(join(TYPESCRIPT5_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> })
    .dependencies;
  return Object.entries(wanted).every(([name, version]) => {
    const file = join(TYPESCRIPT5_DIR, "node_modules", name, "package.json");
    return existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version === version;
  });
}

export default function setup(): void {
  if (installed()) return;
  process.stderr.write("installing TypeScript 5 for the type-check tests (npm ci --prefix test/typescript5)\n");
  const result = spawnSync("npm", ["ci", "--prefix", TYPESCRIPT5_DIR, "--no-audit", "--no-fund"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0 || !installed()) throw new Error(`npm ci --prefix test/typescript5 failed (exit ${result.status ?? result.signal})`);
}
