// Text from documents inside Mermaid labels. Labels are always written in double quotes, and each
// character that Mermaid or its HTML labels would read as syntax becomes a numeric entity code (`#35;`),
// which Mermaid turns back into the character when it renders. Line breaks are only ever the emitter's
// own `<br/>`: a newline in a document's text becomes a space.

const ENTITIES: Readonly<Record<string, string>> = {
  '"': "#34;",
  "#": "#35;",
  // Mermaid reads `%%{...}%%` anywhere in the text as a configuration directive.
  "%": "#37;",
  "&": "#38;",
  "<": "#60;",
  ">": "#62;",
  "`": "#96;",
  "|": "#124;",
};

/** One line of a label: safe inside `"..."` in any Mermaid position (node, edge, subgraph title). */
export function labelText(text: string): string {
  let out = "";
  for (const char of text) {
    const entity = ENTITIES[char];
    if (entity !== undefined) out += entity;
    // Control characters (newlines included) would end the statement or break the layout.
    else if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(char)) out += " ";
    else out += char;
  }
  return out;
}

/** A quoted label of several lines, each escaped. */
export function label(lines: readonly string[]): string {
  return `"${lines.map(labelText).join("<br/>")}"`;
}

/**
 * Text for a Mermaid comment line (`%% ...`). It ends at the newline, and a `%%{` anywhere would be read as
 * a directive: comments have no escapes, so `%` becomes the fullwidth ％.
 */
export function commentText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ").replace(/%/g, "\uff05");
}
