// The naming pass of the Mermaid target: node ids are generated, never taken raw from documents. An id
// is a prefix for the node's kind plus the document's name reduced to [A-Za-z0-9_], so the text stays
// readable, and a number where two names reduce to the same id. Ids are claimed in document order, so
// the same document always gives the same ids.

export class NodeIds {
  private readonly taken = new Set<string>();
  private readonly byKey = new Map<string, string>();

  /** `scope` namespaces the ids of one chart inside another (a workflow inside a document's chart). */
  constructor(private readonly scope = "") {}

  /**
   * The id of the node of kind `prefix` named `name`: the same id for the same pair, a new one otherwise.
   * Prefixes are short lower-case words (`s` for steps); `wf_` ones are kept for the terminals.
   */
  id(prefix: string, name: string): string {
    const key = `${prefix}\u0000${name}`;
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const base = `${this.scope}${prefix}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
    let id = base;
    for (let n = 2; this.taken.has(id); n++) id = `${base}_${n}`;
    this.taken.add(id);
    this.byKey.set(key, id);
    return id;
  }
}
