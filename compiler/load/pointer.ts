// RFC 6901 JSON pointers: the logical address of every node, used by diagnostics and $ref resolution.

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function joinPointer(base: string, ...tokens: ReadonlyArray<string | number>): string {
  return base + tokens.map((t) => "/" + escapePointerToken(String(t))).join("");
}

/** Splits "/a/b~1c" into ["a", "b/c"]; undefined when the text is not a pointer. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer.slice(1).split("/").map(unescapePointerToken);
}

/** Walks a JSON value by pointer tokens; undefined when any step is missing. Own properties only. */
export function getAtPointer(value: unknown, tokens: readonly string[]): unknown {
  let current: unknown = value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (current !== null && typeof current === "object") {
      if (!Object.prototype.hasOwnProperty.call(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}
