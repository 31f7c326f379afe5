// I-Regexp (RFC 9485) → ECMAScript translation, done at build time for the literal patterns of match() and
// search(). The runtime holds a copy (`jpIRegexp` in runtime/runtime.ts) for patterns only known at run time
// (`match(@.a, $.pattern)`); test/jsonpath-iregexp.test.ts keeps the two in step.

/**
 * The ECMAScript source (for the `u` flag, unanchored) equivalent to the I-Regexp `pattern`, or undefined when
 * `pattern` is not a valid I-Regexp. Literal characters are re-escaped for ECMAScript, `.` becomes `[^\n\r]`
 * (I-Regexp's dot excludes only LF and CR) and groups become non-capturing. The result may still be rejected
 * by `new RegExp` (`^*`: nothing to repeat); callers treat that as an invalid pattern too.
 */
export function iRegexpToECMAScript(pattern: string): string | undefined {
  const cps: number[] = [];
  for (const ch of pattern) cps.push(ch.codePointAt(0) ?? 0);
  let i = 0;
  let out = "";

  // Literal characters are re-escaped for ECMAScript (syntax characters, and "-" in classes).
  const literal = (cp: number, inClass: boolean): string => {
    const ch = String.fromCodePoint(cp);
    return "^$\\.*+?()[]{}|/".includes(ch) || (inClass && ch === "-") ? "\\" + ch : ch;
  };
  // SingleCharEsc: \n \r \t and the escaped metacharacters ( ) * + - . ? [ \ ] ^ { | }.
  const singleCharEscape = (cp: number | undefined): number | undefined => {
    if (cp === 0x6e) return 0x0a;
    if (cp === 0x72) return 0x0d;
    if (cp === 0x74) return 0x09;
    if (cp !== undefined && "()*+-.?[\\]^{|}".includes(String.fromCodePoint(cp))) return cp;
    return undefined;
  };
  // catEsc / complEsc at cps[i] === "p" | "P": \p{IsCategory}; ECMAScript accepts the same General_Category names.
  const categoryEscape = (): boolean => {
    const negated = cps[i] === 0x50;
    if (cps[i + 1] !== 0x7b) return false;
    let j = i + 2;
    let name = "";
    while (j < cps.length && cps[j] !== 0x7d) name += String.fromCodePoint(cps[j++] ?? 0);
    if (j >= cps.length) return false;
    if (!/^(?:L[lmotu]?|M[cen]?|N[dlo]?|P[cdefios]?|Z[lps]?|S[ckmo]?|C[cfno]?)$/.test(name)) return false;
    out += `\\${negated ? "P" : "p"}{${name}}`;
    i = j + 1;
    return true;
  };
  // CCchar: a class character or SingleCharEsc; undefined if none at cps[i].
  const classChar = (): number | undefined => {
    const cp = cps[i];
    if (cp === undefined) return undefined;
    if (cp === 0x5c) {
      const escaped = singleCharEscape(cps[i + 1]);
      if (escaped !== undefined) i += 2;
      return escaped;
    }
    const ok = cp <= 0x2c || (cp >= 0x2e && cp <= 0x5a) || (cp >= 0x5e && cp <= 0xd7ff) || cp >= 0xe000;
    if (!ok) return undefined;
    i++;
    return cp;
  };
  // CCE1 = ( CCchar [ "-" CCchar ] ) / charClassEsc
  const classEntry = (): boolean => {
    if (cps[i] === 0x5c && (cps[i + 1] === 0x70 || cps[i + 1] === 0x50)) {
      i++;
      return categoryEscape();
    }
    const from = classChar();
    if (from === undefined) return false;
    if (cps[i] === 0x2d && cps[i + 1] !== 0x5d && i + 1 < cps.length) {
      i++;
      const to = classChar();
      if (to === undefined || to < from) return false;
      out += `${literal(from, true)}-${literal(to, true)}`;
      return true;
    }
    out += literal(from, true);
    return true;
  };
  // charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
  const charClass = (): boolean => {
    i++;
    out += "[";
    if (cps[i] === 0x5e) {
      out += "^";
      i++;
    }
    if (cps[i] === 0x2d) {
      out += "\\-";
      i++;
    } else if (!classEntry()) {
      return false;
    }
    for (;;) {
      const cp = cps[i];
      if (cp === undefined) return false;
      if (cp === 0x5d) {
        out += "]";
        i++;
        return true;
      }
      if (cp === 0x2d) {
        if (cps[i + 1] !== 0x5d) return false;
        out += "\\-";
        i++;
        continue;
      }
      if (!classEntry()) return false;
    }
  };
  const atom = (): boolean => {
    const cp = cps[i];
    if (cp === undefined) return false;
    if (cp === 0x28) {
      i++;
      out += "(?:";
      if (!alternatives() || cps[i] !== 0x29) return false;
      i++;
      out += ")";
      return true;
    }
    if (cp === 0x2e) {
      i++;
      out += "[^\\n\\r]";
      return true;
    }
    if (cp === 0x5b) return charClass();
    if (cp === 0x5c) {
      const next = cps[i + 1];
      if (next === 0x70 || next === 0x50) {
        i++;
        return categoryEscape();
      }
      const escaped = singleCharEscape(next);
      if (escaped === undefined) return false;
      i += 2;
      out += literal(escaped, false);
      return true;
    }
    // NormalChar: anything but the metacharacters ( ) * + . ? [ \ ] { | } and surrogates.
    const normal =
      cp <= 0x27 ||
      cp === 0x2c ||
      cp === 0x2d ||
      (cp >= 0x2f && cp <= 0x3e) ||
      (cp >= 0x40 && cp <= 0x5a) ||
      (cp >= 0x5e && cp <= 0x7a) ||
      (cp >= 0x7e && cp <= 0xd7ff) ||
      cp >= 0xe000;
    if (!normal) return false;
    i++;
    // An unescaped ^ or $ is a NormalChar in the grammar, but RFC 9485 §5.3 maps it unchanged to ECMAScript,
    // where it is an anchor; the compliance suite expects that (`match(@, '^ab.*')` matches "ab").
    out += cp === 0x5e || cp === 0x24 ? String.fromCodePoint(cp) : literal(cp, false);
    return true;
  };
  // quantifier = "*" / "+" / "?" / "{" QuantExact [ "," [ QuantExact ] ] "}"
  const quantifier = (): boolean => {
    const cp = cps[i];
    if (cp === 0x2a || cp === 0x2b || cp === 0x3f) {
      out += String.fromCodePoint(cp);
      i++;
      return true;
    }
    if (cp !== 0x7b) return true;
    const digits = (): string => {
      let text = "";
      while ((cps[i] ?? 0) >= 0x30 && (cps[i] ?? 0) <= 0x39) text += String.fromCodePoint(cps[i++] ?? 0);
      return text;
    };
    i++;
    const min = digits();
    if (min === "") return false;
    let max: string | undefined;
    if (cps[i] === 0x2c) {
      i++;
      max = digits();
    }
    if (cps[i] !== 0x7d) return false;
    i++;
    // {n,m} with m < n is an error in ECMAScript; I-Regexp inherits it from XSD.
    if (max !== undefined && max !== "" && BigInt(max) < BigInt(min)) return false;
    out += max === undefined ? `{${min}}` : `{${min},${max}}`;
    return true;
  };
  const branch = (): boolean => {
    while (i < cps.length && cps[i] !== 0x7c && cps[i] !== 0x29) {
      if (!atom() || !quantifier()) return false;
    }
    return true;
  };
  const alternatives = (): boolean => {
    if (!branch()) return false;
    while (cps[i] === 0x7c) {
      i++;
      out += "|";
      if (!branch()) return false;
    }
    return true;
  };

  if (!alternatives() || i !== cps.length) return undefined;
  return out;
}
