// Preloaded with `node --import` by tests that check which packages a command loads: every module
// resolved (ES modules through a resolve hook, CommonJS through Module._load) is appended, one per
// line, to the file named by ARAZZOC_MODULE_LOG.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

const log = process.env.ARAZZOC_MODULE_LOG;
if (log) {
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    appendFileSync(log, `require ${request}\n`);
    return load.call(this, request, parent, isMain);
  };
  const hook = `
    import { appendFileSync } from "node:fs";
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(${JSON.stringify(log)}, "import " + resolved.url + "\\n");
      return resolved;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
