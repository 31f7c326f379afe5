// I-Regexp (RFC 9485) → ECMAScript translation. The build translates the literal patterns of match() and
// search() with it; generated code calls the same function for patterns only known at run time
// (`match(@.a, $.pattern)`). It lives in the runtime so that there is one copy: the compiler may import
// the runtime (never the reverse).
export { jpIRegexp as iRegexpToECMAScript } from "../../../runtime/runtime-jsonpath.js";
