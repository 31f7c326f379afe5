// Arazzo 1.1 document identity and base URIs (spec: Establishing the Base URI, Identity-Based Referencing).
// A 1.1 document's `$self` is its identity and the base its relative references resolve against (RFC 3986
// §5.1: an absolute `$self` is the base; a relative one is first resolved against the retrieval URI); without
// `$self` the retrieval URI is the base, as in 1.0. A reference to a document resolves first by identity among
// the documents of the compilation, so a document set resolves without reading what its URIs name.
import { pathToFileURL } from "node:url";
import { isRemote } from "./refs.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The URI a document was read from: its URL, or the `file:` URL of its path. */
export function retrievalUri(location: string): string {
  return isRemote(location) ? location : pathToFileURL(location).href;
}

export function isAbsoluteUri(text: string): boolean {
  return SCHEME.test(text);
}

/** `reference` resolved against `base` by RFC 3986, without its fragment; undefined when it is no URI. */
export function resolveUri(reference: string, base: string): string | undefined {
  try {
    const url = new URL(reference, base);
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** The `$self` a 1.1 document declares, when it is a usable one (a string without a fragment). */
export function declaredSelf(root: unknown): string | undefined {
  if (root === null || typeof root !== "object" || Array.isArray(root)) return undefined;
  const record = root as Record<string, unknown>;
  if (typeof record["arazzo"] !== "string" || !/^1\.1\./.test(record["arazzo"])) return undefined;
  const self = record["$self"];
  return typeof self === "string" && !self.includes("#") ? self : undefined;
}

/** The base URI of a document read from `location`: its `$self` resolved, else where it was read from. */
export function baseUriOf(root: unknown, location: string): string {
  const retrieved = retrievalUri(location);
  const self = declaredSelf(root);
  return (self !== undefined && resolveUri(self, retrieved)) || retrieved;
}

/** The documents of one compilation by identity: absolute `$self` URI → where the document was read. */
export class IdentityIndex {
  private readonly byUri = new Map<string, string>();

  /** Records a document's identity; the location that already holds it when another document does. */
  add(root: unknown, location: string): { uri?: string; clash?: string } {
    if (declaredSelf(root) === undefined) return {};
    const uri = baseUriOf(root, location);
    const held = this.byUri.get(uri);
    if (held !== undefined && held !== location) return { uri, clash: held };
    this.byUri.set(uri, location);
    return { uri };
  }

  lookup(uri: string): string | undefined {
    return this.byUri.get(uri);
  }
}
