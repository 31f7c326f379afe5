// ParsedFile.locateIn: offsets inside a string value map to the exact characters of the source, whatever the
// scalar's style (plain, quoted with escapes, block literal and folded) and in JSON.
import { describe, expect, it } from "vitest";
import { parseWithPositions } from "../compiler/load/yaml.js";

function place(text: string, pointer: string, needle: string, path = "doc.yaml"): string {
  const { file } = parseWithPositions(path, path, text);
  if (!file) throw new Error("not parsed");
  const value = pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], file.value) as string;
  const start = value.indexOf(needle);
  const range = file.locateIn(pointer, start, start + needle.length)!;
  const lines = text.split("\n");
  // The source text the range covers, line by line.
  if (range.line === range.endLine) return lines[range.line - 1]!.slice(range.column - 1, range.endColumn - 1);
  return [
    lines[range.line - 1]!.slice(range.column - 1),
    ...lines.slice(range.line, range.endLine - 1),
    lines[range.endLine - 1]!.slice(0, range.endColumn - 1),
  ].join("\n");
}

describe("locateIn", () => {
  it("plain and single-quoted scalars", () => {
    expect(place("a: Bearer $inputs.token\n", "/a", "$inputs.token")).toBe("$inputs.token");
    expect(place("a: 'it''s {$inputs.x}'\n", "/a", "{$inputs.x}")).toBe("{$inputs.x}");
  });

  it("double-quoted scalars with escapes before the expression", () => {
    expect(place('a: "\\t\\u00e9\\"{$inputs.x}"\n', "/a", "{$inputs.x}")).toBe("{$inputs.x}");
    expect(place('a: "\\"x"\n', "/a", '"x')).toBe('\\"x');
  });

  it("block scalars and folded lines", () => {
    const literal = 'a: |\n  {\n    "n": "{$inputs.name}"\n  }\nb: 1\n';
    expect(place(literal, "/a", "{$inputs.name}")).toBe("{$inputs.name}");
    const folded = "a: >-\n  first line\n  then {$inputs.x}\n";
    expect(place(folded, "/a", "{$inputs.x}")).toBe("{$inputs.x}");
    const plain = "a: first\n  then $inputs.x here\n";
    expect(place(plain, "/a", "$inputs.x")).toBe("$inputs.x");
  });

  it("JSON documents", () => {
    expect(place('{"a": "\\u0041 {$inputs.x}"}', "/a", "{$inputs.x}", "doc.json")).toBe("{$inputs.x}");
  });

  it("falls back to the whole node for offsets outside the value or a node that is not a string", () => {
    const { file } = parseWithPositions("d.yaml", "d.yaml", "a: 12\nb: text\n");
    expect(file!.locateIn("/a", 0, 1)).toEqual(file!.locate("/a"));
    expect(file!.locateIn("/b", 0, 99)).toEqual(file!.locate("/b"));
  });
});
