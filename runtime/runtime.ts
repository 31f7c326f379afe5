// arazzoc runtime: copied as runtime.ts next to the generated workflow modules. No dependencies and no
// Node-only APIs, so the generated clients run in Node, Deno, Bun and browsers.

// --- JSONPath support (begin) ---
// --- JSONPath support (end) ---
