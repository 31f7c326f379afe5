import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { Rule } from "./rule.js";

/** Each source description name is declared once; a repeat names the first declaration. */
export const uniqueSourceNames: Rule = {
  name: "unique-source-names",
  check({ symbols }) {
    return symbols.sourceDescriptions.flatMap((source) => {
      const first = symbols.sourcesByName.get(source.name)!;
      if (first === source) return [];
      const related = relatedAt(symbols.file, "The first declaration", { pointer: joinPointer(first.pointer, "name") });
      const at = { pointer: joinPointer(source.pointer, "name") };
      return [diagnosticAt(symbols.file, "AZC4010", { what: "source description name", name: source.name }, at, [related])];
    });
  },
};
