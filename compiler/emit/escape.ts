// The one path by which text from documents reaches generated code. Every string literal, comment and
// identifier the emitter prints goes through one of these functions, so no document can inject code.

/** A TypeScript string literal (double-quoted) whose value is exactly `value`. */
export function stringLiteral(value: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; U+2028/2029 are escaped as well
  // so the literal stays on one line in every editor and older parser.
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Text safe inside a `/* ... *\/` or JSDoc comment: the comment can never be closed early. */
export function commentText(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/g, " ");
}

/** A TypeScript property name: bare when it is a valid identifier, else a string literal. */
export function propertyName(name: string): string {
  // `__proto__: x` in an object literal would set the prototype; a computed key defines an own property.
  if (name === "__proto__") return `[${stringLiteral(name)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** Text for the literal part of a template literal: backslashes, backticks and `${` escaped. */
export function templateChunk(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$\{/g, "\\${")
    .replace(/\r/g, "\\r")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** `base.name` when name is an identifier, else `base["name"]`; `?.` variants when `optional`. */
export function memberAccess(base: string, name: string, optional = false): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) return `${base}${optional ? "?." : "."}${name}`;
  return `${base}${optional ? "?." : ""}[${stringLiteral(name)}]`;
}

/** A member name in an interface or type literal. */
export function typeMemberName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}
