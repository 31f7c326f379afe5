// The slice of an OpenAPI 3.x description that arazzoc compiles against: every operation by operationId
// and by path+method, with its parameters, request body, responses and server URL, each schema kept
// together with the file it lives in so that its $refs resolve where they were written.
import { isObject, type Located } from "./json.js";
import { joinPointer } from "./pointer.js";
import type { DocumentStore } from "./refs.js";
import type { ParsedFile } from "./yaml.js";

export type { Located };

/** `querystring`: OpenAPI 3.2's whole query string, described with `content`. */
export type ParameterLocation = "path" | "query" | "querystring" | "header" | "cookie";

export interface OperationParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  /** A parameter described by `content` instead of a schema: its value is serialized as this media type. */
  readonly contentType?: string;
  readonly schema?: Located;
}

export interface MediaTypeInfo {
  readonly mediaType: string;
  readonly schema?: Located;
}

export interface ResponseInfo {
  readonly status: string; // "200", "2XX" or "default"
  readonly content: readonly MediaTypeInfo[];
  /** Declared response headers, names in lower case. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly required: boolean }>;
}

export interface OperationInfo {
  readonly sourceName: string;
  readonly operationId?: string;
  readonly method: string; // upper case
  readonly path: string;
  readonly file: ParsedFile;
  readonly pointer: string;
  readonly summary?: string;
  readonly parameters: readonly OperationParameter[];
  readonly requestBody?: { readonly required: boolean; readonly content: readonly MediaTypeInfo[] };
  readonly responses: readonly ResponseInfo[];
  /** Effective server (operation, then path item, then document): URL as written and variable defaults. */
  readonly server?: ServerInfo;
  /** Header and cookie names (headers lower-case) that the operation's security schemes define. */
  readonly securityParameters: ReadonlyArray<{ readonly in: "header" | "cookie" | "query"; readonly name: string }>;
  /**
   * The header in which the operation accepts an idempotency key: the one its `x-idempotency-key-header`
   * extension names, else its `Idempotency-Key` (or `X-Idempotency-Key`) header parameter.
   */
  readonly idempotencyKeyHeader?: string;
}

/** The header in which an operation accepts an idempotency key, if it declares one. */
function idempotencyKeyHeader(op: Record<string, unknown>, parameters: readonly OperationParameter[]): string | undefined {
  const named = op["x-idempotency-key-header"];
  if (typeof named === "string" && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(named)) return named;
  return parameters.find((p) => p.in === "header" && /^(x-)?idempotency-key$/i.test(p.name))?.name;
}

export interface OpenApiSource {
  readonly name: string;
  readonly file: ParsedFile;
  readonly version: string;
  readonly byOperationId: LazyMap<OperationInfo>;
  /** Operations by the JSON pointer of their Operation Object, for operationPath. */
  readonly byPointer: LazyMap<OperationInfo>;
  /** Each operationId that several operations declare, with every declaration (byOperationId has the first). */
  readonly operationIdClashes: ReadonlyMap<string, readonly OperationDeclaration[]>;
}

/** Where an operation is declared: enough to name it and to point at it. */
export interface OperationDeclaration {
  readonly method: string; // upper case
  readonly path: string;
  readonly file: ParsedFile;
  /** The Operation Object's pointer in `file`. */
  readonly pointer: string;
}

const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

/** Swagger 2.0 collectionFormat as the OpenAPI 3 style and explode that serialize the same way. */
const COLLECTION_FORMATS: Record<string, Partial<Record<ParameterLocation, { style: string; explode: boolean }>>> = {
  csv: { query: { style: "form", explode: false }, path: { style: "simple", explode: false }, header: { style: "simple", explode: false } },
  ssv: { query: { style: "spaceDelimited", explode: false } },
  pipes: { query: { style: "pipeDelimited", explode: false } },
  multi: { query: { style: "form", explode: true } },
};

/** Swagger 2.0's server: scheme, host and basePath (relative when there is no host). */
function swagger2Server(root: Record<string, unknown>): ServerInfo | undefined {
  const basePath = typeof root["basePath"] === "string" ? root["basePath"] : "";
  if (typeof root["host"] !== "string") return basePath === "" ? undefined : { url: basePath, variables: {} };
  const scheme = Array.isArray(root["schemes"]) && typeof root["schemes"][0] === "string" ? root["schemes"][0] : "https";
  return { url: `${scheme}://${root["host"]}${basePath}`, variables: {} };
}

/** The parameter objects of a path item or operation, $refs followed. */
function itemParamNodes(owner: Located, indexer: OpenApiIndexer): Located[] {
  const list = isObject(owner.value) ? owner.value["parameters"] : undefined;
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw, i) => {
    const node = indexer.deref({ file: owner.file, pointer: joinPointer(owner.pointer, "parameters", i), value: raw });
    return node ? [node] : [];
  });
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** The first server: its URL as written (with {variables}) and the variables' defaults. */
function serverUrl(servers: unknown): ServerInfo | undefined {
  if (!Array.isArray(servers) || !isObject(servers[0])) return undefined;
  const server = servers[0];
  if (typeof server["url"] !== "string") return undefined;
  const declared = isObject(server["variables"]) ? server["variables"] : {};
  const variables: Record<string, string> = {};
  for (const [name, variable] of Object.entries(declared)) {
    if (isObject(variable) && typeof variable["default"] === "string") variables[name] = variable["default"];
  }
  return { url: server["url"], variables };
}

export interface ServerInfo {
  readonly url: string;
  readonly variables: Readonly<Record<string, string>>;
}

/** A map whose values are computed on first lookup; the first key added wins. */
export class LazyMap<T> {
  private readonly entries = new Map<string, () => T>();
  add(key: string, compute: () => T): void {
    if (!this.entries.has(key)) this.entries.set(key, compute);
  }
  get(key: string): T | undefined {
    return this.entries.get(key)?.();
  }
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}

export class OpenApiIndexer {
  constructor(private readonly store: DocumentStore) {}

  /** Follows a Reference Object to its target (in whatever file); the node itself when it is not one. */
  deref(node: Located): Located | undefined {
    return this.store.deref(node);
  }

  /**
   * Indexes a description's operations by operationId and by JSON pointer. Only the operations a document
   * uses are worked out in full (parameters, bodies, responses): a large description has hundreds.
   */
  index(name: string, file: ParsedFile): OpenApiSource {
    const root = file.value as Record<string, unknown>;
    const version = String(root["openapi"] ?? root["swagger"] ?? "");
    // Swagger 2.0: host/basePath for servers, body and formData parameters for request bodies,
    // consumes/produces for media types, securityDefinitions for schemes.
    const v2 = root["openapi"] === undefined && /^2(\.|$)/.test(version);
    const rootServer = v2 ? swagger2Server(root) : serverUrl(root["servers"]);
    const schemes = v2
      ? isObject(root["securityDefinitions"])
        ? root["securityDefinitions"]
        : {}
      : isObject(root["components"]) && isObject(root["components"]["securitySchemes"])
        ? root["components"]["securitySchemes"]
        : {};
    const mediaTypes = (op: Record<string, unknown>, key: "consumes" | "produces"): string[] => {
      const list = Array.isArray(op[key]) ? op[key] : Array.isArray(root[key]) ? root[key] : ["application/json"];
      return list.filter((m): m is string => typeof m === "string");
    };

    const build = (path: string, method: string, item: Located<Record<string, unknown>>, op: Record<string, unknown>): OperationInfo => {
      const opNode: Located<Record<string, unknown>> = { file: item.file, pointer: joinPointer(item.pointer, method), value: op };
      const own = this.parameters(opNode, op["parameters"], "parameters");
      // Operation parameters override path-item ones with the same (name, in).
      const merged = new Map<string, OperationParameter>();
      for (const p of [...this.parameters(item, item.value["parameters"], "parameters"), ...own]) {
        merged.set(`${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`, p);
      }
      const requestBody = v2
        ? this.swagger2RequestBody(opNode, [...itemParamNodes(item, this), ...itemParamNodes(opNode, this)], mediaTypes(op, "consumes"))
        : this.requestBody(opNode);
      const server = v2 ? rootServer : (serverUrl(op["servers"]) ?? serverUrl(item.value["servers"]) ?? rootServer);
      const idempotencyHeader = idempotencyKeyHeader(op, [...merged.values()]);
      return {
        sourceName: name,
        ...(typeof op["operationId"] === "string" ? { operationId: op["operationId"] } : {}),
        method: method.toUpperCase(),
        path,
        file: opNode.file,
        pointer: opNode.pointer,
        ...(typeof op["summary"] === "string" ? { summary: op["summary"] } : {}),
        parameters: [...merged.values()],
        ...(requestBody ? { requestBody } : {}),
        responses: v2 ? this.swagger2Responses(opNode, mediaTypes(op, "produces")) : this.responses(opNode),
        ...(server !== undefined ? { server } : {}),
        securityParameters: this.securityParameters(file, op["security"] ?? root["security"], schemes),
        ...(idempotencyHeader !== undefined ? { idempotencyKeyHeader: idempotencyHeader } : {}),
      };
    };

    const byOperationId = new LazyMap<OperationInfo>();
    const byPointer = new LazyMap<OperationInfo>();
    const declarations = new Map<string, OperationDeclaration[]>();
    const paths = isObject(root["paths"]) ? root["paths"] : {};
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = this.deref({ file, pointer: joinPointer("/paths", path), value: rawItem });
      if (!item || !isObject(item.value)) continue;
      const itemNode = item as Located<Record<string, unknown>>;
      for (const method of METHODS) {
        const op = itemNode.value[method];
        if (!isObject(op)) continue;
        let info: OperationInfo | undefined;
        const get = () => (info ??= build(path, method, itemNode, op));
        if (typeof op["operationId"] === "string") {
          byOperationId.add(op["operationId"], get);
          const declaration = { method: method.toUpperCase(), path, file: itemNode.file, pointer: joinPointer(itemNode.pointer, method) };
          declarations.set(op["operationId"], [...(declarations.get(op["operationId"]) ?? []), declaration]);
        }
        byPointer.add(joinPointer("/paths", path, method), get);
      }
    }
    const operationIdClashes = new Map([...declarations].filter(([, list]) => list.length > 1));
    return { name, file, version, byOperationId, byPointer, operationIdClashes };
  }

  /** Where the security requirements put credentials: http and oauth schemes use Authorization. */
  private securityParameters(
    file: ParsedFile,
    requirements: unknown,
    schemes: Record<string, unknown>,
  ): OperationInfo["securityParameters"] {
    if (!Array.isArray(requirements)) return [];
    const out: { in: "header" | "cookie" | "query"; name: string }[] = [];
    for (const requirement of requirements) {
      if (!isObject(requirement)) continue;
      for (const name of Object.keys(requirement)) {
        const scheme = this.deref({ file, pointer: joinPointer("/components/securitySchemes", name), value: schemes[name] })?.value;
        if (!isObject(scheme)) continue;
        if (
          scheme["type"] === "apiKey" &&
          typeof scheme["name"] === "string" &&
          (scheme["in"] === "header" || scheme["in"] === "cookie" || scheme["in"] === "query")
        ) {
          out.push({ in: scheme["in"], name: scheme["in"] === "header" ? scheme["name"].toLowerCase() : scheme["name"] });
        } else if (scheme["type"] === "http" || scheme["type"] === "oauth2" || scheme["type"] === "openIdConnect") {
          out.push({ in: "header", name: "authorization" });
        }
      }
    }
    return out;
  }

  private parameters(owner: Located, list: unknown, key: string): OperationParameter[] {
    if (!Array.isArray(list)) return [];
    const out: OperationParameter[] = [];
    list.forEach((raw, i) => {
      const node = this.deref({ file: owner.file, pointer: joinPointer(owner.pointer, key, i), value: raw });
      if (!node || !isObject(node.value)) return;
      const p = node.value;
      const location = p["in"];
      if (
        typeof p["name"] !== "string" ||
        (location !== "path" && location !== "query" && location !== "querystring" && location !== "header" && location !== "cookie")
      )
        return;
      // OpenAPI: header parameters named Accept, Content-Type or Authorization "SHALL be ignored".
      if (location === "header" && IGNORED_HEADERS.has(p["name"].toLowerCase())) return;
      // Swagger 2.0 describes a non-body parameter's value on the parameter itself (type, items, enum).
      const schema =
        p["schema"] !== undefined
          ? { file: node.file, pointer: joinPointer(node.pointer, "schema"), value: p["schema"] }
          : typeof p["type"] === "string"
            ? { file: node.file, pointer: node.pointer, value: p }
            : undefined;
      const collection = typeof p["collectionFormat"] === "string" ? COLLECTION_FORMATS[p["collectionFormat"]]?.[location] : undefined;
      out.push({
        name: p["name"],
        in: location,
        required: p["required"] === true || location === "path",
        ...(typeof p["style"] === "string" ? { style: p["style"] } : collection ? { style: collection.style } : {}),
        ...(typeof p["explode"] === "boolean" ? { explode: p["explode"] } : collection ? { explode: collection.explode } : {}),
        ...(typeof p["allowReserved"] === "boolean" ? { allowReserved: p["allowReserved"] } : {}),
        ...(isObject(p["content"]) && Object.keys(p["content"])[0] !== undefined ? { contentType: Object.keys(p["content"])[0]! } : {}),
        ...(schema ? { schema } : {}),
      });
    });
    return out;
  }

  /** Swagger 2.0: the body parameter, or the formData parameters as one object, as a request body. */
  private swagger2RequestBody(op: Located, params: Located[], consumes: string[]): OperationInfo["requestBody"] {
    const body = params.find((p) => isObject(p.value) && p.value["in"] === "body");
    if (body && isObject(body.value)) {
      const schema = { file: body.file, pointer: joinPointer(body.pointer, "schema"), value: body.value["schema"] };
      return { required: body.value["required"] === true, content: consumes.map((mediaType) => ({ mediaType, schema })) };
    }
    const form = params.filter((p) => isObject(p.value) && p.value["in"] === "formData");
    if (form.length === 0) return undefined;
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const p of form) {
      const value = p.value as Record<string, unknown>;
      if (typeof value["name"] !== "string") continue;
      properties[value["name"]] = value;
      if (value["required"] === true) required.push(value["name"]);
    }
    const multipart = form.some((p) => (p.value as Record<string, unknown>)["type"] === "file");
    const mediaType =
      consumes.find((m) => /multipart|urlencoded/i.test(m)) ?? (multipart ? "multipart/form-data" : "application/x-www-form-urlencoded");
    const schema = { file: op.file, pointer: op.pointer, value: { type: "object", properties, required } };
    return { required: required.length > 0, content: [{ mediaType, schema }] };
  }

  /** Swagger 2.0 responses: one schema, served as each media type the operation produces. */
  private swagger2Responses(op: Located<Record<string, unknown>>, produces: string[]): ResponseInfo[] {
    return this.eachResponse(op, (status, node) => {
      const schema =
        node.value["schema"] !== undefined
          ? { file: node.file, pointer: joinPointer(node.pointer, "schema"), value: node.value["schema"] }
          : undefined;
      const headers = isObject(node.value["headers"])
        ? Object.keys(node.value["headers"]).map((h) => ({ name: h.toLowerCase(), required: false }))
        : [];
      return { status, content: schema ? produces.map((mediaType) => ({ mediaType, schema })) : [], headers };
    });
  }

  /** Each response of an operation, its $ref followed, as `build` describes it. */
  private eachResponse(
    op: Located<Record<string, unknown>>,
    build: (status: string, node: Located<Record<string, unknown>>) => ResponseInfo,
  ): ResponseInfo[] {
    const responses = op.value["responses"];
    if (!isObject(responses)) return [];
    return Object.entries(responses).flatMap(([status, raw]) => {
      const node = this.deref({ file: op.file, pointer: joinPointer(op.pointer, "responses", status), value: raw });
      return node && isObject(node.value) ? [build(status, node as Located<Record<string, unknown>>)] : [];
    });
  }

  private content(owner: Located, value: unknown): MediaTypeInfo[] {
    if (!isObject(value)) return [];
    return Object.entries(value).map(([mediaType, media]) => {
      const schema =
        isObject(media) && media["schema"] !== undefined
          ? { file: owner.file, pointer: joinPointer(owner.pointer, "content", mediaType, "schema"), value: media["schema"] }
          : undefined;
      return schema ? { mediaType, schema } : { mediaType };
    });
  }

  private requestBody(op: Located<Record<string, unknown>>): OperationInfo["requestBody"] {
    if (op.value["requestBody"] === undefined) return undefined;
    const node = this.deref({ file: op.file, pointer: joinPointer(op.pointer, "requestBody"), value: op.value["requestBody"] });
    if (!node || !isObject(node.value)) return undefined;
    return { required: node.value["required"] === true, content: this.content(node, node.value["content"]) };
  }

  private responses(op: Located<Record<string, unknown>>): ResponseInfo[] {
    return this.eachResponse(op, (status, node) => {
      const headers = isObject(node.value["headers"])
        ? Object.entries(node.value["headers"]).map(([name, header]) => {
            const resolved = this.deref({ file: node.file, pointer: joinPointer(node.pointer, "headers", name), value: header })?.value;
            return { name: name.toLowerCase(), required: isObject(resolved) && resolved["required"] === true };
          })
        : [];
      return { status, content: this.content(node, node.value["content"]), headers };
    });
  }
}
