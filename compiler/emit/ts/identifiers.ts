// Identifiers from Arazzo ids: camelCase and PascalCase words, and a table that hands out unique names that
// are never reserved words (the naming pass, names.ts, decides which names come first).

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with as implements interface let package private " +
    "protected public static yield await async of any boolean number string symbol never unknown object undefined type declare module " +
    "namespace require arguments eval"
  ).split(" "),
);

/** Words of an id: `run-script-with-cancel-guard`, `runScript_v2`, `Ünïcode id` all split sensibly. */
function words(id: string): string[] {
  // Only characters valid in identifiers survive (a superscript digit such as ² is a number, not an ID_Continue).
  return (id.match(/[\p{ID_Continue}]+/gu) ?? [])
    .map((chunk) => chunk.replace(/_/g, " ").trim())
    .flatMap((chunk) => chunk.split(/\s+/))
    .filter((w) => w !== "")
    .flatMap((chunk) => chunk.split(/(?<=[\p{Ll}\p{Nd}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u));
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function camelCase(id: string): string {
  const parts = words(id);
  // A leading acronym is lowered whole (HTTPServer -> httpServer); later ones stay (getURL).
  const first = (w: string) => (w.length > 1 && w === w.toUpperCase() ? w.toLowerCase() : w.charAt(0).toLowerCase() + w.slice(1));
  return parts.map((w, i) => (i === 0 ? first(w) : capitalize(w))).join("");
}

export function pascalCase(id: string): string {
  return words(id).map(capitalize).join("");
}

/** Hands out identifiers within one module; the same requests in the same order give the same names. */
export class NameTable {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  /** Every name handed out or reserved so far. */
  get names(): ReadonlySet<string> {
    return this.taken;
  }

  /** A unique identifier close to `wanted`; `fallbackPrefix` fixes empty names and leading digits. */
  claim(wanted: string, fallbackPrefix: string): string {
    let base = wanted;
    if (base === "" || !/^[\p{ID_Start}_$]/u.test(base)) base = fallbackPrefix + capitalize(base);
    if (RESERVED.has(base)) base = base + capitalize(fallbackPrefix);
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}
