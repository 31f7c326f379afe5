// `arazzoc upgrade`: rewrites an Arazzo 1.0.x document to 1.1.0. The document is composed with the yaml
// package (its nodes keep their source tokens); each rewrite edits the tokens of the nodes it changes, and the
// file is written back from the token stream, so comments, blank lines, quoting and indentation stay as the
// author had them and the diff holds only the rewrites. What changed meaning between 1.0.1 and 1.1.0 is pinned
// (the version, the nested criterion type, braces around a whole condition, bare expressions the compiler
// interpolated); what cannot be pinned is reported as a diagnostic for a hand fix (docs/upgrade.md).
import { Composer, CST, isMap, isPair, isScalar, isSeq, Parser, type Document, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from "yaml";
import { makeDiagnostic, type Diagnostic, type DiagnosticCode, type SourceRange } from "./diagnostics.js";
import { parseCondition } from "./expressions/condition.js";
import { findBareExpressions } from "./expressions/template.js";
import { getAtPointer, joinPointer, parsePointer } from "./load/pointer.js";

/** One rewrite the upgrade made (or, with --check, would make). */
export interface UpgradeChange {
  /** JSON pointer of the node rewritten. */
  readonly pointer: string;
  /** Where it is in the original document, 1-based. */
  readonly line: number;
  readonly column: number;
  /** What was rewritten, and why. */
  readonly what: string;
}

export interface UpgradedDocument {
  /** The file as diagnostics name it. */
  readonly file: string;
  /** The `arazzo` version the document declared, when it declared one. */
  readonly from?: string;
  /** The upgraded text; the original when nothing changed. */
  readonly text: string;
  readonly changed: boolean;
  readonly changes: readonly UpgradeChange[];
  /** Hand fixes and problems: the upgrade cannot pin these. */
  readonly diagnostics: readonly Diagnostic[];
}

/** A bare runtime expression the 1.0 compiler interpolates inside a string (AZC3002): wrapped in braces. */
export interface BareExpression {
  readonly pointer: string;
  readonly expression: string;
}

export const UPGRADE_TARGET = "1.1.0";
const VERSION_1_0 = /^1\.0\.\d+(-.+)?$/;
const VERSION_1_1 = /^1\.1\.\d+(-.+)?$/;
/** The 1.1 grammar's identifier-strict: step, workflow and source ids inside expressions. */
const IDENTIFIER_STRICT = /^[A-Za-z0-9_-]+$/;

type Map_ = YAMLMap<unknown, unknown>;

/** The pair of a mapping whose key is the plain string `key`. */
function pairOf(map: Map_, key: string): Pair<Scalar, unknown> | undefined {
  return map.items.find((p): p is Pair<Scalar, unknown> => isScalar(p.key) && p.key.value === key);
}

function mapAt(map: Map_, key: string): Map_ | undefined {
  const value = pairOf(map, key)?.value;
  return isMap(value) ? (value as Map_) : undefined;
}

function listAt(map: Map_, key: string): YamlNode[] {
  const value = pairOf(map, key)?.value;
  return isSeq(value) ? (value.items as YamlNode[]) : [];
}

function stringAt(map: Map_, key: string): Scalar | undefined {
  const value = pairOf(map, key)?.value;
  return isScalar(value) && typeof value.value === "string" ? value : undefined;
}

class Upgrade {
  readonly changes: UpgradeChange[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly file: string,
    readonly json: boolean,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }

  range(node: { range?: [number, number, number] | null | undefined }): SourceRange | undefined {
    if (!node.range) return undefined;
    const start = this.position(node.range[0]);
    const end = this.position(node.range[1]);
    return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  change(node: { range?: [number, number, number] | null | undefined }, pointer: string, what: string): void {
    const at = this.position(node.range?.[0] ?? 0);
    this.changes.push({ pointer, ...at, what });
  }

  report(code: DiagnosticCode, args: Record<string, string>, node: { range?: [number, number, number] | null | undefined }, pointer: string): void {
    this.diagnostics.push(makeDiagnostic(code, args, { file: this.file, pointer, range: this.range(node) }));
  }

  /** Each string rewritten, by pointer: the rewritten document must read back so. */
  readonly strings = new Map<string, string>();

  /** A string scalar's new value, written into its own token in its own style where the style can hold it. */
  setString(node: Scalar, value: string, pointer: string): void {
    this.strings.set(pointer, value);
    const token = node.srcToken as CST.FlowScalar | CST.BlockScalar | undefined;
    if (!token) throw new Error("upgrade: a scalar without its source token");
    if (this.json) (token as CST.FlowScalar).source = JSON.stringify(value);
    else CST.setScalarValue(token, value, { afterKey: true, inFlow: false, implicitKey: false });
  }

  /** Puts `source` in place of a value's token: text the upgrade built as a whole (a flow mapping). */
  replaceSource(node: YamlNode, source: string): void {
    const token = node.srcToken as CST.FlowScalar | undefined;
    if (!token || !("source" in token)) throw new Error("upgrade: a value without a scalar source token");
    token.source = source;
  }

  /** Removes a pair from its mapping's tokens, with the separator a flow mapping needs then. */
  removePair(map: Map_, pair: Pair): void {
    const mapToken = map.srcToken as CST.BlockMap | CST.FlowCollection | undefined;
    const item = pair.srcToken as CST.CollectionItem | undefined;
    if (!mapToken || !item || !("items" in mapToken)) throw new Error("upgrade: a pair without its source tokens");
    const items = mapToken.items as CST.CollectionItem[];
    const index = items.indexOf(item);
    if (index < 0) throw new Error("upgrade: a pair outside its mapping's tokens");
    if (mapToken.type === "flow-collection") {
      // Each item after the first starts with the comma before it; the first one's follower loses its comma.
      // (An item without key or value only holds the whitespace before the closing brace.)
      const next = items.slice(index + 1).find((i) => i.key || i.value);
      if (index === 0 && next) next.start = next.start.filter((t) => t.type !== "comma");
      // The last item's value carries the line break before the closing brace: the item before keeps it.
      const previous = items[index - 1]?.value as { end?: CST.SourceToken[] } | undefined;
      const removed = item.value as { end?: CST.SourceToken[] } | undefined;
      if (!next && previous && removed?.end?.length) previous.end = [...(previous.end ?? []), ...removed.end];
    }
    items.splice(index, 1);
  }
}

/**
 * Upgrades the text of one document. `file` names it in diagnostics; `bare` lists the bare expressions the
 * 1.0 compiler interpolates (from `check`), which are wrapped in braces. Never throws for bad input: a text
 * that is not an Arazzo 1.0.x document gives a diagnostic and no change.
 */
export function upgradeText(text: string, file: string, bare: readonly BareExpression[] = []): UpgradedDocument {
  const json = /\.json$/i.test(file) || /^\s*[{[]/.test(text);
  const unchanged = (diagnostics: Diagnostic[], from?: string): UpgradedDocument => ({
    file,
    ...(from !== undefined ? { from } : {}),
    text,
    changed: false,
    changes: [],
    diagnostics,
  });
  const tokens = [...new Parser().parse(text)];
  const documents = [...new Composer({ keepSourceTokens: true }).compose(tokens)] as Document.Parsed[];
  const document = documents[0];
  const problem = document?.errors[0] ?? (documents.length > 1 ? { message: "more than one YAML document in the file", pos: [0] } : undefined);
  if (!document || problem) {
    const upgrade = new Upgrade(text, file, json);
    const at = upgrade.position(problem?.pos[0] ?? 0);
    return unchanged([
      makeDiagnostic(
        "AZC1002",
        { format: json ? "JSON" : "YAML", reason: problem?.message.split("\n", 1)[0] ?? "the file is empty" },
        { file, pointer: "", range: { ...at, endLine: at.line, endColumn: at.column + 1 } },
      ),
    ]);
  }
  const root = document.contents;
  const upgrade = new Upgrade(text, file, json);
  const versionNode = isMap(root) ? pairOf(root as Map_, "arazzo")?.value : undefined;
  const version = isScalar(versionNode) ? String(versionNode.value) : undefined;
  if (version !== undefined && VERSION_1_1.test(version)) return unchanged([], version);
  if (!isMap(root) || !isScalar(versionNode) || version === undefined || !VERSION_1_0.test(version)) {
    upgrade.report(
      "AZC7020",
      { version: version === undefined ? "no arazzo version" : `arazzo: ${version}` },
      isScalar(versionNode) ? versionNode : (root ?? {}),
      isScalar(versionNode) ? "/arazzo" : "",
    );
    return unchanged(upgrade.diagnostics, version);
  }
  const map = root as Map_;

  upgrade.setString(versionNode as Scalar, UPGRADE_TARGET, "/arazzo");
  upgrade.change(versionNode, "/arazzo", `arazzo: ${version} -> ${UPGRADE_TARGET}`);
  const declared = declaredIds(map);
  walkDocument(map, upgrade);
  walkStrings(map, "", upgrade, bare, declared);

  const out = tokens.map((token) => CST.stringify(token)).join("");
  // The rewrite must give a document whose parse is what the rewrites meant; anything else is a bug here.
  const reparsed = [...new Composer().compose(new Parser().parse(out))];
  if (reparsed.length !== 1 || reparsed[0]!.errors.length > 0) throw new Error(`upgrade: the rewritten ${file} does not parse: ${reparsed[0]?.errors[0]?.message ?? ""}`);
  const value = reparsed[0]!.toJS() as unknown;
  for (const [pointer, expected] of upgrade.strings) {
    const tokens = parsePointer(pointer) ?? [];
    if (getAtPointer(value, tokens) !== expected) throw new Error(`upgrade: the rewritten ${file} does not read back at ${pointer}`);
  }
  upgrade.changes.sort((a, b) => a.line - b.line || a.column - b.column);
  return { file, from: version, text: out, changed: out !== text, changes: upgrade.changes, diagnostics: upgrade.diagnostics };
}

/** Step, workflow and source ids the document declares (for the 1.1 identifier rule). */
function declaredIds(root: Map_): { steps: Set<string>; workflows: Set<string>; sources: Set<string> } {
  const ids = { steps: new Set<string>(), workflows: new Set<string>(), sources: new Set<string>() };
  for (const source of listAt(root, "sourceDescriptions")) if (isMap(source)) addString(ids.sources, stringAt(source as Map_, "name"));
  for (const workflow of listAt(root, "workflows")) {
    if (!isMap(workflow)) continue;
    addString(ids.workflows, stringAt(workflow as Map_, "workflowId"));
    for (const step of listAt(workflow as Map_, "steps")) if (isMap(step)) addString(ids.steps, stringAt(step as Map_, "stepId"));
  }
  return ids;
}

function addString(set: Set<string>, node: Scalar | undefined): void {
  if (node) set.add(node.value as string);
}

/** The objects whose meaning 1.1 changed: criteria (in steps, actions and components) and parameter values. */
function walkDocument(root: Map_, upgrade: Upgrade): void {
  const criteriaOf = (owner: Map_, key: string, pointer: string) =>
    listAt(owner, key).forEach((criterion, i) => {
      if (isMap(criterion)) upgradeCriterion(criterion as Map_, joinPointer(pointer, key, i), upgrade);
    });
  const actions = (owner: Map_, key: string, pointer: string) =>
    listAt(owner, key).forEach((action, i) => {
      if (isMap(action)) criteriaOf(action as Map_, "criteria", joinPointer(pointer, key, i));
    });
  const parameters = (owner: Map_, pointer: string) =>
    listAt(owner, "parameters").forEach((parameter, i) => {
      if (isMap(parameter)) checkParameterValue(parameter as Map_, joinPointer(pointer, "parameters", i), upgrade);
    });
  listAt(root, "workflows").forEach((workflow, w) => {
    if (!isMap(workflow)) return;
    const wf = workflow as Map_;
    const at = joinPointer("/workflows", w);
    actions(wf, "successActions", at);
    actions(wf, "failureActions", at);
    parameters(wf, at);
    listAt(wf, "steps").forEach((step, s) => {
      if (!isMap(step)) return;
      const st = step as Map_;
      const stepAt = joinPointer(at, "steps", s);
      criteriaOf(st, "successCriteria", stepAt);
      actions(st, "onSuccess", stepAt);
      actions(st, "onFailure", stepAt);
      parameters(st, stepAt);
    });
  });
  const components = mapAt(root, "components");
  if (!components) return;
  for (const kind of ["successActions", "failureActions"]) {
    const named = mapAt(components, kind);
    for (const pair of named?.items ?? []) {
      if (isScalar(pair.key) && isMap(pair.value)) criteriaOf(pair.value as Map_, "criteria", joinPointer("/components", kind, String(pair.key.value)));
    }
  }
  for (const pair of mapAt(components, "parameters")?.items ?? []) {
    if (isScalar(pair.key) && isMap(pair.value)) checkParameterValue(pair.value as Map_, joinPointer("/components/parameters", String(pair.key.value)), upgrade);
  }
}

function upgradeCriterion(criterion: Map_, pointer: string, upgrade: Upgrade): void {
  const typePair = pairOf(criterion, "type");
  const versionPair = pairOf(criterion, "version");
  const type = isScalar(typePair?.value) ? typePair!.value.value : undefined;
  // Δ27: the 1.0 JSON Schema takes `version` beside `type: jsonpath`; 1.1 nests both in an Expression Type Object.
  if (typePair && versionPair && (type === "jsonpath" || type === "xpath") && isScalar(versionPair.value)) {
    const version = String(versionPair.value.value);
    const nested = upgrade.json
      ? `{ "type": ${JSON.stringify(type)}, "version": ${JSON.stringify(version)} }`
      : `{ type: ${type}, version: ${flowScalar(version)} }`;
    upgrade.replaceSource(typePair.value as YamlNode, nested);
    upgrade.removePair(criterion, versionPair);
    upgrade.change(typePair.value as YamlNode, joinPointer(pointer, "type"), `criterion type: ${type} with version ${version} nested as { type: ${type}, version: ${version} } (the 1.1 Expression Type Object)`);
  }
  const condition = stringAt(criterion, "condition");
  if (!condition) return;
  const text = condition.value as string;
  const conditionPointer = joinPointer(pointer, "condition");
  const kind = type === undefined ? "simple" : typeof type === "string" ? type : isMap(typePair?.value) ? String((typePair!.value as Map_).get("type")) : "simple";
  if (kind === "simple") {
    // The 1.0.1 components example wraps a whole condition in braces, which arazzoc strips; 1.1 reads braces
    // as an embedded expression, so the condition is written without them.
    const trimmed = text.trim();
    const inner = trimmed.slice(1, -1).trim();
    if (trimmed.startsWith("{") && trimmed.endsWith("}") && !/[{}]/.test(inner) && parseCondition(inner).ok) {
      upgrade.setString(condition, inner, conditionPointer);
      upgrade.change(condition, conditionPointer, `condition: braces around the whole condition removed (${inner})`);
    }
    return;
  }
  if (!text.includes("{$")) return;
  if (kind === "regex") upgrade.report("AZC7021", { text }, condition, conditionPointer);
  else if (kind === "jsonpath") upgrade.report("AZC7022", { text }, condition, conditionPointer);
}

/** A YAML flow scalar for a version string: plain when it reads back as that string. */
function flowScalar(value: string): string {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(value) ? value : JSON.stringify(value);
}

/** Δ45 and A-13: a parameter value that is a plain object, which 1.1 rejects or reads as a Selector Object. */
function checkParameterValue(parameter: Map_, pointer: string, upgrade: Upgrade): void {
  const value = pairOf(parameter, "value")?.value;
  if (!isMap(value)) return;
  const keys = (value as Map_).items.map((p) => (isScalar(p.key) ? String(p.key.value) : "")).filter((k) => !k.startsWith("x-"));
  const selectorLike = keys.length === 3 && ["context", "selector", "type"].every((k) => keys.includes(k));
  upgrade.report(
    "AZC7023",
    {
      reason: selectorLike
        ? "it has exactly the fields of a Selector Object (context, selector, type), which 1.1 evaluates instead of passing the object"
        : "the 1.1 schema accepts no object as a parameter value, only a Selector Object",
    },
    value as YamlNode,
    joinPointer(pointer, "value"),
  );
}

/**
 * Every string of the document: bare expressions the compiler interpolates are wrapped in braces, and the
 * expression forms the 1.1 grammar no longer has are reported.
 */
function walkStrings(node: unknown, pointer: string, upgrade: Upgrade, bare: readonly BareExpression[], declared: ReturnType<typeof declaredIds>): void {
  if (isMap(node) || isSeq(node)) {
    (node.items as unknown[]).forEach((item, i) => {
      if (isPair(item)) {
        if (isScalar(item.key)) walkStrings(item.value, joinPointer(pointer, String(item.key.value)), upgrade, bare, declared);
      } else walkStrings(item, joinPointer(pointer, i), upgrade, bare, declared);
    });
    return;
  }
  if (!isScalar(node) || typeof node.value !== "string") return;
  let value = node.value;
  const expressions = bare.filter((b) => b.pointer === pointer).map((b) => b.expression);
  if (expressions.length > 0) {
    let out = "";
    let index = 0;
    const wrapped: string[] = [];
    for (const candidate of findBareExpressions(value)) {
      if (candidate.start < index) continue;
      const expression = expressions.filter((e) => candidate.text.startsWith(e)).sort((a, b) => b.length - a.length)[0];
      if (expression === undefined) continue;
      out += value.slice(index, candidate.start) + "{" + expression + "}";
      index = candidate.start + expression.length;
      wrapped.push(expression);
    }
    if (wrapped.length > 0) {
      value = out + value.slice(index);
      upgrade.setString(node, value, pointer);
      upgrade.change(node, pointer, `${wrapped.map((e) => `${e} -> {${e}}`).join(", ")}: a bare expression inside a string is literal text in 1.1`);
    }
  }
  for (const reason of removedForms(value, declared)) upgrade.report("AZC7024", { reason }, node, pointer);
}

/** Expression forms of 1.0.1 that the 1.1 grammar (Δ38, Δ41, A-30) no longer has, found in a string. */
function removedForms(value: string, declared: ReturnType<typeof declaredIds>): string[] {
  const reasons: string[] = [];
  if (/^\$[^\s{}]*[{}]/.test(value) && !value.includes("{$"))
    reasons.push("a { or } inside an expression ends it in 1.1 (braces delimit embedded expressions)");
  if (/\$components\.inputs\./.test(value)) reasons.push("$components.inputs is not an expression in 1.1 (inputs are reached with a JSON Schema $ref)");
  if (/\$steps\.[^.\s{}]+\.outputs(?![.#\w-])/.test(value)) reasons.push("$steps.<id>.outputs needs an output name in 1.1");
  if (/\$workflows\.[^.\s{}]+\.steps\./.test(value)) reasons.push("$workflows.<id>.steps is not an expression in 1.1");
  const roots = [
    ["$steps.", declared.steps],
    ["$workflows.", declared.workflows],
    ["$sourceDescriptions.", declared.sources],
  ] as const;
  for (const [root, ids] of roots) {
    for (const id of ids) {
      if (!IDENTIFIER_STRICT.test(id) && value.includes(`${root}${id}.`))
        reasons.push(`'${id}' has characters other than letters, digits, - and _, which a 1.1 expression cannot name (${root}${id}.…)`);
    }
  }
  return reasons;
}
