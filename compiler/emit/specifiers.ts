// How one generated file names another in an import: a relative specifier from the importing module's
// place in the output folder, with the extension the project's module resolution expects.
import { posix } from "node:path";

/** `.js` (Node's ESM and TypeScript's nodenext), `.ts` (Node's type stripping, Deno, Bun) or none (bundlers). */
export type ImportExtension = ".js" | ".ts" | "none";

export const IMPORT_EXTENSIONS: readonly ImportExtension[] = [".js", ".ts", "none"];

/**
 * The specifier by which the module at `from` imports the file at `to` (both `/`-separated paths inside
 * the output folder, ending in `.ts`). Output file names never hold `#`, `?`, `%` or quotes (see
 * modulePath), so the relative path is also a valid relative URL.
 */
export function moduleSpecifier(from: string, to: string, extension: ImportExtension): string {
  let path = posix.relative(posix.dirname(from), to);
  if (!path.startsWith("../")) path = `./${path}`;
  const stem = path.replace(/\.ts$/, "");
  return extension === "none" ? stem : `${stem}${extension}`;
}
