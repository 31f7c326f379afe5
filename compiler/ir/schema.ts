// JSON Schemas normalized once, while the sources are loaded: every $ref resolved (within a file and
// across files), references to named schemas kept as names into a table, cycles kept as such references.
// One navigator (what is at this pointer of this schema) serves the response-pointer checks, the output
// types and the generated input checks.

/**
 * A schema as plain JSON Schema data, except that every `$ref` is `{ "$ref": name }` with `name` a key of
 * the schema table it travels with (ModuleIr.schemas). Plain data: JSON-serializable.
 */
export type SchemaIr = boolean | { readonly [keyword: string]: unknown };

export type SchemaTable = Readonly<Record<string, SchemaIr>>;
