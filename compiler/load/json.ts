// Small facts about JSON values and the document nodes that hold them, shared by every stage.
import { joinPointer } from "./pointer.js";
import type { ParsedFile } from "./yaml.js";

/** A node of some document, with the file it lives in (its $refs resolve relative to that file). */
export interface Located<T = unknown> {
  readonly file: ParsedFile;
  readonly pointer: string;
  readonly value: T;
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** application/json and the application/*+json media types. */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json(?:;|$)/i.test(mediaType);
}

/** The node `tokens` below `node` (its value undefined when absent), in the same file. */
export function childOf(node: Located, ...tokens: (string | number)[]): Located {
  let value: unknown = node.value;
  for (const t of tokens) value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[String(t)] : undefined;
  return { file: node.file, pointer: joinPointer(node.pointer, ...tokens), value };
}
