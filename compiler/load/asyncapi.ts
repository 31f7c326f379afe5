// The slice of an AsyncAPI description (2.x and 3.0) that message steps compile against: its channels (by
// key and by the JSON pointer a channelPath names), its operations (by key in 3.0, by operationId in 2.x),
// and each message with its payload and headers schemas, content type and correlation ID location. Schemas
// stay nodes of the file they are written in (Located), so the one schema normalizer reads them as it reads
// OpenAPI schemas. AsyncAPI 2.x speaks of publish/subscribe from the application's side (publish: others
// publish to it, so it receives); both versions are given here in 3.0's words, send and receive.
import { isObject, type Located } from "./json.js";
import { LazyMap } from "./openapi.js";
import { escapePointerToken, joinPointer } from "./pointer.js";
import type { DocumentStore } from "./refs.js";
import type { ParsedFile } from "./yaml.js";

export interface AsyncApiMessage {
  /** The message's key: under the channel's `messages` (3.0), else its `messageId`, `name` or component key. */
  readonly key: string;
  /** Where the Message Object is written (after $refs), for diagnostics and the schema names. */
  readonly pointer: string;
  readonly file: ParsedFile;
  /** The message's contentType, else the document's defaultContentType. */
  readonly contentType?: string;
  /** The payload schema; absent when the message declares none. */
  readonly payload?: Located;
  /** The headers schema (an object schema). */
  readonly headers?: Located;
  /** A schemaFormat that is not JSON Schema or AsyncAPI Schema (Avro, Protobuf...): its payload types as unknown. */
  readonly foreignSchemaFormat?: string;
  /** The Correlation ID Object's location, AsyncAPI's own syntax: `$message.header#/id`, `$message.payload#/a/b`. */
  readonly correlationLocation?: string;
}

export interface AsyncApiServer {
  readonly name: string;
  readonly host: string;
  readonly protocol: string;
  readonly pathname?: string;
}

/** A channel parameter as its Parameter Object declares it (3.0 directly, 2.x in its `schema`). */
export interface AsyncApiParameter {
  /** Where the Parameter Object is written (after $refs), for diagnostics. */
  readonly pointer: string;
  readonly file: ParsedFile;
  /** The value used when a step gives none: 3.0's `default`, 2.x's `schema.default`, as text. */
  readonly default?: string;
  /** The values allowed: 3.0's `enum`, 2.x's `schema.enum`, as text. */
  readonly enum?: readonly string[];
  /** Where a message carries the value, AsyncAPI's own syntax: `$message.payload#/user/id`. */
  readonly location?: string;
}

export interface AsyncApiChannel {
  /** The key under #/channels (in 2.x, also the address). */
  readonly key: string;
  /** The channel's JSON pointer in its file, `/channels/<key>`. */
  readonly pointer: string;
  /** The address with `{parameter}` placeholders; null when the channel has none (3.0: not known until run time). */
  readonly address: string | null;
  /** Names of the channel's parameters (placeholders in the address). */
  readonly parameters: readonly string[];
  /** The Parameter Objects the channel declares, by name. */
  readonly parameterObjects: ReadonlyMap<string, AsyncApiParameter>;
  /** Every message the channel may carry. */
  readonly messages: readonly AsyncApiMessage[];
  /** The channel's servers, or every server of the document when it names none. */
  readonly servers: readonly AsyncApiServer[];
  /** The channel's bindings, untouched. */
  readonly bindings?: unknown;
}

export interface AsyncApiOperation {
  /** The operation's key (3.0) or operationId (2.x): what a step's operationId names. */
  readonly id: string;
  readonly pointer: string;
  /** What the documented application does, in 3.0's words (2.x publish = receive, subscribe = send). */
  readonly action: "send" | "receive";
  readonly channel: AsyncApiChannel;
  /** The messages the operation carries; all the channel's when it lists none. */
  readonly messages: readonly AsyncApiMessage[];
  readonly summary?: string;
  readonly bindings?: unknown;
  /** The 3.0 Operation Reply Object, read for the transport's information (request/reply is written as two steps). */
  readonly reply?: AsyncApiReply;
}

/** Where the reply to an operation goes (AsyncAPI 3.0 Operation Reply Object). */
export interface AsyncApiReply {
  /** The reply channel's key under #/channels, when the reply names one. */
  readonly channel?: string;
  /** The reply channel's address, `{name}` placeholders unfilled; null when no channel, or one without an address. */
  readonly address: string | null;
  /** Where a request carries the address to reply to (`$message.header#/replyTo`): the reply address's location. */
  readonly location?: string;
}

export interface AsyncApiSource {
  readonly kind: "asyncapi";
  readonly name: string;
  readonly file: ParsedFile;
  /** The `asyncapi` field: 2.x or 3.0.x. */
  readonly version: string;
  readonly byOperationId: LazyMap<AsyncApiOperation>;
  /** Channels by the JSON pointer a channelPath names (`/channels/<key>`). */
  readonly byPointer: LazyMap<AsyncApiChannel>;
}

/** `2.0.0` ... `2.6.0`, `3.0.0`: the versions read; anything else is refused with the reason. */
export function asyncApiVersionProblem(version: unknown): string | undefined {
  if (typeof version !== "string") return "its asyncapi field is not a version string";
  if (/^2\.[0-6]\.\d+$/.test(version) || /^3\.0\.\d+$/.test(version)) return undefined;
  return `version ${version} is not AsyncAPI 2.0 to 2.6 or 3.0`;
}

/** schemaFormat values whose schemas are JSON Schema (AsyncAPI Schema is a superset of draft 7). */
const JSON_SCHEMA_FORMAT = /^application\/(?:vnd\.aai\.asyncapi(?:\+json|\+yaml)?|schema\+json|schema\+yaml)(?:;\s*version=[\w.-]+)?$/i;

export class AsyncApiIndexer {
  constructor(private readonly store: DocumentStore) {}

  private deref(node: Located): Located | undefined {
    return this.store.deref(node);
  }

  index(name: string, file: ParsedFile): AsyncApiSource {
    const root = file.value as Record<string, unknown>;
    const version = String(root["asyncapi"]);
    const v2 = version.startsWith("2.");
    const defaultContentType = typeof root["defaultContentType"] === "string" ? root["defaultContentType"] : undefined;
    const allServers = this.servers(file, root["servers"], v2);

    const message = (node: Located, fallbackKey: string): AsyncApiMessage | undefined => {
      const resolved = this.deref(node);
      if (!resolved || !isObject(resolved.value)) return undefined;
      const m = this.withTraits(resolved as Located<Record<string, unknown>>);
      const value = m.value;
      const key =
        typeof value["messageId"] === "string" ? value["messageId"] : v2 && typeof value["name"] === "string" ? value["name"] : fallbackKey;
      const contentType = typeof value["contentType"] === "string" ? value["contentType"] : defaultContentType;
      // 3.0: payload may be a Multi Format Schema Object ({ schemaFormat, schema }); 2.x: schemaFormat beside payload.
      let payload: Located | undefined;
      let format = v2 && typeof value["schemaFormat"] === "string" ? value["schemaFormat"] : undefined;
      if (value["payload"] !== undefined) {
        payload = { file: m.file, pointer: joinPointer(m.pointer, "payload"), value: value["payload"] };
        const multi = this.deref(payload);
        if (!v2 && multi && isObject(multi.value) && typeof multi.value["schemaFormat"] === "string" && "schema" in multi.value) {
          format = multi.value["schemaFormat"];
          payload = { file: multi.file, pointer: joinPointer(multi.pointer, "schema"), value: multi.value["schema"] };
        }
      }
      const headers =
        value["headers"] !== undefined ? { file: m.file, pointer: joinPointer(m.pointer, "headers"), value: value["headers"] } : undefined;
      const correlation =
        value["correlationId"] !== undefined
          ? this.deref({ file: m.file, pointer: joinPointer(m.pointer, "correlationId"), value: value["correlationId"] })
          : undefined;
      const location =
        correlation && isObject(correlation.value) && typeof correlation.value["location"] === "string"
          ? correlation.value["location"]
          : undefined;
      return {
        key,
        pointer: m.pointer,
        file: m.file,
        ...(contentType !== undefined ? { contentType } : {}),
        ...(payload ? { payload } : {}),
        ...(headers ? { headers } : {}),
        ...(format !== undefined && !JSON_SCHEMA_FORMAT.test(format) ? { foreignSchemaFormat: format } : {}),
        ...(location !== undefined ? { correlationLocation: location } : {}),
      };
    };

    /** 2.x: an operation's `message`, one Message Object or `oneOf` a list of them. */
    const v2Messages = (owner: Located<Record<string, unknown>>, label: string): AsyncApiMessage[] => {
      const raw = owner.value["message"];
      if (raw === undefined) return [];
      const node = this.deref({ file: owner.file, pointer: joinPointer(owner.pointer, "message"), value: raw });
      if (!node || !isObject(node.value)) return [];
      if (Array.isArray(node.value["oneOf"]))
        return node.value["oneOf"].flatMap(
          (m, i) => message({ file: node.file, pointer: joinPointer(node.pointer, "oneOf", i), value: m }, `${label}.${i}`) ?? [],
        );
      const single = message(node, componentKey(node.pointer) ?? label);
      return single ? [single] : [];
    };

    const channels = isObject(root["channels"]) ? root["channels"] : {};
    const channelCache = new Map<string, AsyncApiChannel | undefined>();
    const channelAt = (key: string): AsyncApiChannel | undefined => {
      if (channelCache.has(key)) return channelCache.get(key);
      channelCache.set(key, undefined); // a channel whose messages lead back to it is read once
      const pointer = joinPointer("/channels", key);
      const node = this.deref({ file, pointer, value: channels[key] });
      let channel: AsyncApiChannel | undefined;
      if (node && isObject(node.value)) {
        const c = node as Located<Record<string, unknown>>;
        const address = v2 ? key : typeof c.value["address"] === "string" ? c.value["address"] : null;
        const parameterObjects = this.parameters(c, v2);
        const declared = [...parameterObjects.keys()];
        const placeholders = [...(address ?? "").matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        const messages: AsyncApiMessage[] = [];
        if (v2) {
          for (const side of ["publish", "subscribe"] as const) {
            const op = c.value[side];
            if (isObject(op))
              messages.push(...v2Messages({ file: c.file, pointer: joinPointer(c.pointer, side), value: op }, `${key}.${side}`));
          }
        } else if (isObject(c.value["messages"])) {
          for (const [messageKey, raw] of Object.entries(c.value["messages"])) {
            const m = message({ file: c.file, pointer: joinPointer(c.pointer, "messages", messageKey), value: raw }, messageKey);
            if (m) messages.push({ ...m, key: messageKey });
          }
        }
        channel = {
          key,
          pointer,
          address,
          parameters: [...new Set([...placeholders, ...declared])],
          parameterObjects,
          messages,
          servers: this.channelServers(c, allServers, v2),
          ...(c.value["bindings"] !== undefined
            ? { bindings: this.deref({ file: c.file, pointer: joinPointer(c.pointer, "bindings"), value: c.value["bindings"] })?.value }
            : {}),
        };
      }
      channelCache.set(key, channel);
      return channel;
    };

    const byOperationId = new LazyMap<AsyncApiOperation>();
    const byPointer = new LazyMap<AsyncApiChannel>();
    for (const key of Object.keys(channels)) {
      byPointer.add(joinPointer("/channels", key), () => channelAt(key)!);
      if (!v2) continue;
      const raw = this.deref({ file, pointer: joinPointer("/channels", key), value: channels[key] });
      if (!raw || !isObject(raw.value)) continue;
      for (const side of ["publish", "subscribe"] as const) {
        const op = raw.value[side];
        if (!isObject(op) || typeof op["operationId"] !== "string") continue;
        const pointer = joinPointer(raw.pointer, side);
        byOperationId.add(op["operationId"], () => {
          const channel = channelAt(key)!;
          const messages = v2Messages({ file: raw.file, pointer, value: op }, `${key}.${side}`);
          return {
            id: op["operationId"] as string,
            pointer,
            action: side === "publish" ? "receive" : "send",
            channel,
            messages: messages.length > 0 ? messages : channel.messages,
            ...(typeof op["summary"] === "string" ? { summary: op["summary"] } : {}),
            ...(op["bindings"] !== undefined ? { bindings: op["bindings"] } : {}),
          };
        });
      }
    }
    if (!v2 && isObject(root["operations"])) {
      for (const [id, raw] of Object.entries(root["operations"])) {
        const pointer = joinPointer("/operations", id);
        byOperationId.add(id, () => {
          const node = this.deref({ file, pointer, value: raw });
          const op = node && isObject(node.value) ? (node as Located<Record<string, unknown>>) : undefined;
          const channelRef = op && isObject(op.value["channel"]) ? op.value["channel"]["$ref"] : undefined;
          const channelKey = typeof channelRef === "string" ? channelKeyOf(channelRef) : undefined;
          const channel = channelKey !== undefined ? channelAt(channelKey) : undefined;
          // An operation whose channel cannot be found carries nothing; the binder reports it.
          const empty: AsyncApiChannel = {
            key: channelKey ?? "",
            pointer: "",
            address: null,
            parameters: [],
            parameterObjects: new Map(),
            messages: [],
            servers: allServers,
          };
          const listed = op && Array.isArray(op.value["messages"]) ? op.value["messages"] : undefined;
          const messages = listed
            ? listed.flatMap((m, i) => {
                const ref = isObject(m) && typeof m["$ref"] === "string" ? m["$ref"] : undefined;
                // A reference into the channel's messages names one of them: the channel's key is the message key.
                const known =
                  ref !== undefined ? channel?.messages.find((c) => ref.endsWith(`/messages/${escapePointerToken(c.key)}`)) : undefined;
                return known ?? message({ file: op!.file, pointer: joinPointer(op!.pointer, "messages", i), value: m }, `${id}.${i}`) ?? [];
              })
            : (channel?.messages ?? []);
          return {
            id,
            pointer,
            action: op?.value["action"] === "send" ? "send" : "receive",
            channel: channel ?? empty,
            messages,
            ...(op && typeof op.value["summary"] === "string" ? { summary: op.value["summary"] } : {}),
            ...(op?.value["bindings"] !== undefined ? { bindings: op.value["bindings"] } : {}),
            ...(op?.value["reply"] !== undefined ? { reply: this.reply(op, channelAt) } : {}),
          };
        });
      }
    }
    return { kind: "asyncapi", name, file, version, byOperationId, byPointer };
  }

  /** An operation's reply (itself, and its address, possibly references): its channel and where its address is. */
  private reply(op: Located<Record<string, unknown>>, channelAt: (key: string) => AsyncApiChannel | undefined): AsyncApiReply {
    const node = this.deref({ file: op.file, pointer: joinPointer(op.pointer, "reply"), value: op.value["reply"] });
    const reply = node && isObject(node.value) ? (node as Located<Record<string, unknown>>) : undefined;
    const channelRef = reply && isObject(reply.value["channel"]) ? reply.value["channel"]["$ref"] : undefined;
    const key = typeof channelRef === "string" ? channelKeyOf(channelRef) : undefined;
    const channel = key !== undefined ? channelAt(key) : undefined;
    const address =
      reply && reply.value["address"] !== undefined
        ? this.deref({ file: reply.file, pointer: joinPointer(reply.pointer, "address"), value: reply.value["address"] })
        : undefined;
    const location = address && isObject(address.value) ? address.value["location"] : undefined;
    return {
      ...(channel !== undefined ? { channel: channel.key } : {}),
      address: channel?.address ?? null,
      ...(typeof location === "string" ? { location } : {}),
    };
  }

  /** 3.0 message traits: each trait's fields apply where the message does not set them itself. */
  private withTraits(node: Located<Record<string, unknown>>): Located<Record<string, unknown>> {
    const traits = node.value["traits"];
    if (!Array.isArray(traits) || traits.length === 0) return node;
    const merged: Record<string, unknown> = {};
    traits.forEach((raw, i) => {
      const trait = this.deref({ file: node.file, pointer: joinPointer(node.pointer, "traits", i), value: raw });
      if (trait && isObject(trait.value)) for (const [k, v] of Object.entries(trait.value)) if (!(k in merged)) merged[k] = v;
    });
    return { ...node, value: { ...merged, ...node.value } };
  }

  /** A channel's Parameter Objects: 3.0 keeps default and enum on the object, 2.x in its schema. */
  private parameters(channel: Located<Record<string, unknown>>, v2: boolean): Map<string, AsyncApiParameter> {
    const out = new Map<string, AsyncApiParameter>();
    const raw = channel.value["parameters"];
    if (!isObject(raw)) return out;
    const node = this.deref({ file: channel.file, pointer: joinPointer(channel.pointer, "parameters"), value: raw });
    if (!node || !isObject(node.value)) return out;
    for (const [name, value] of Object.entries(node.value)) {
      const parameter = this.deref({ file: node.file, pointer: joinPointer(node.pointer, name), value });
      if (!parameter || !isObject(parameter.value)) {
        out.set(name, { pointer: joinPointer(node.pointer, name), file: node.file });
        continue;
      }
      let values: Record<string, unknown> = parameter.value;
      if (v2) {
        const schema = isObject(parameter.value["schema"])
          ? this.deref({ file: parameter.file, pointer: joinPointer(parameter.pointer, "schema"), value: parameter.value["schema"] })
          : undefined;
        values = schema && isObject(schema.value) ? schema.value : {};
      }
      const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
      const fallback = text(values["default"]);
      const allowed = Array.isArray(values["enum"]) ? values["enum"].flatMap((v) => text(v) ?? []) : undefined;
      const location = parameter.value["location"];
      out.set(name, {
        pointer: parameter.pointer,
        file: parameter.file,
        ...(fallback !== undefined ? { default: fallback } : {}),
        ...(allowed !== undefined ? { enum: allowed } : {}),
        ...(typeof location === "string" ? { location } : {}),
      });
    }
    return out;
  }

  private servers(file: ParsedFile, raw: unknown, v2: boolean): AsyncApiServer[] {
    if (!isObject(raw)) return [];
    return Object.entries(raw).flatMap(([name, value]) => {
      const node = this.deref({ file, pointer: joinPointer("/servers", name), value });
      return node ? (serverOf(name, node.value, v2) ?? []) : [];
    });
  }

  private channelServers(channel: Located<Record<string, unknown>>, all: readonly AsyncApiServer[], v2: boolean): AsyncApiServer[] {
    const listed = channel.value["servers"];
    if (!Array.isArray(listed) || listed.length === 0) return [...all];
    // 2.x names servers; 3.0 references them.
    const names = listed.flatMap((s) =>
      v2
        ? typeof s === "string"
          ? [s]
          : []
        : isObject(s) && typeof s["$ref"] === "string"
          ? [s["$ref"].replace(/^#\/servers\//, "")]
          : [],
    );
    return all.filter((s) => names.includes(s.name));
  }
}

function serverOf(name: string, value: unknown, v2: boolean): AsyncApiServer | undefined {
  if (!isObject(value) || typeof value["protocol"] !== "string") return undefined;
  if (v2) return typeof value["url"] === "string" ? { name, host: value["url"], protocol: value["protocol"] } : undefined;
  if (typeof value["host"] !== "string") return undefined;
  return {
    name,
    host: value["host"],
    protocol: value["protocol"],
    ...(typeof value["pathname"] === "string" ? { pathname: value["pathname"] } : {}),
  };
}

/** `#/channels/place-order` -> `place-order`. */
function channelKeyOf(ref: string): string | undefined {
  const match = /^#\/channels\/([^/]+)$/.exec(ref);
  return match ? match[1]!.replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
}

/** `/components/messages/OrderRequest` -> `OrderRequest`: a referenced message's component key. */
function componentKey(pointer: string): string | undefined {
  const match = /^\/components\/messages\/([^/]+)$/.exec(pointer);
  return match ? match[1]!.replace(/~1/g, "/").replace(/~0/g, "~") : undefined;
}
