// Reading remote documents (--allow-remote). A document names the URLs, so each read is treated as an
// attacker's request: only http(s), never to loopback, private, link-local or otherwise special addresses
// unless the user allowed that host, redirects followed by hand under the same checks, the body streamed
// and cut off past the size limit, and one time budget for all the remote reads of a compilation.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";

export interface RemotePolicy {
  /** Host names or addresses read even though they are loopback, private or link-local (--allow-remote-host). */
  readonly allowHosts: readonly string[];
  /** One budget, in ms, for every remote read of a compilation together. */
  readonly timeoutMs: number;
  /** Largest body read, in bytes. */
  readonly maxBytes: number;
  /** Redirects followed per document. */
  readonly maxRedirects: number;
}

export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 5;

export type RemoteRead =
  | { ok: true; text: string }
  | { ok: false; kind: "refused-address"; url: string; host: string; address: string; what: string }
  | { ok: false; kind: "too-large"; size: number; limit: number }
  | { ok: false; kind: "unreadable"; reason: string };

/** Address ranges that are not the public internet, with what each is called in a diagnostic. */
const SPECIAL: readonly [string, number, "ipv4" | "ipv6", string][] = [
  ["0.0.0.0", 8, "ipv4", "an unspecified address"],
  ["10.0.0.0", 8, "ipv4", "a private address"],
  ["100.64.0.0", 10, "ipv4", "a shared (carrier-grade NAT) address"],
  ["127.0.0.0", 8, "ipv4", "a loopback address"],
  ["169.254.0.0", 16, "ipv4", "a link-local address"],
  ["172.16.0.0", 12, "ipv4", "a private address"],
  ["192.0.0.0", 24, "ipv4", "a reserved address"],
  ["192.0.2.0", 24, "ipv4", "a documentation address"],
  ["192.168.0.0", 16, "ipv4", "a private address"],
  ["198.18.0.0", 15, "ipv4", "a benchmarking address"],
  ["198.51.100.0", 24, "ipv4", "a documentation address"],
  ["203.0.113.0", 24, "ipv4", "a documentation address"],
  ["224.0.0.0", 4, "ipv4", "a multicast address"],
  ["240.0.0.0", 4, "ipv4", "a reserved address"],
  ["::", 128, "ipv6", "an unspecified address"],
  ["::1", 128, "ipv6", "a loopback address"],
  ["64:ff9b::", 96, "ipv6", "a translated (NAT64) address"],
  ["100::", 64, "ipv6", "a discard address"],
  ["2001:db8::", 32, "ipv6", "a documentation address"],
  ["fc00::", 7, "ipv6", "a private (unique local) address"],
  ["fe80::", 10, "ipv6", "a link-local address"],
  ["ff00::", 8, "ipv6", "a multicast address"],
];

const RANGES = SPECIAL.map(([network, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, what };
});

/** What kind of non-public address `address` is, or undefined for a public one. */
export function specialAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return "not an IP address";
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) reaches the IPv4 host it embeds.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped !== undefined) return specialAddress(mapped);
  const hex = family === 6 ? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) : null;
  if (hex) {
    const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
    return specialAddress(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  const type = family === 4 ? "ipv4" : "ipv6";
  return RANGES.find((r) => r.family === type && r.list.check(address, type))?.what;
}

function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

class RefusedAddress extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly what: string,
  ) {
    super(`${host} is ${what} (${address})`);
  }
}

/**
 * A dns.lookup that refuses special addresses. It runs when the connection is made, so the address
 * checked is the address connected to (a name that resolves differently on a second lookup gains nothing).
 */
function checkedLookup(allowed: (host: string, address: string) => boolean) {
  return (
    hostname: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      for (const { address } of addresses) {
        const what = specialAddress(address);
        if (what !== undefined && !allowed(hostname, address)) return callback(new RefusedAddress(hostname, address, what), "");
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
      callback(null, first.address, first.family);
    });
  };
}

/** Reads remote documents for one compilation: the time budget starts with the first read. */
export class RemoteReader {
  private deadline: number | undefined;
  constructor(readonly policy: RemotePolicy) {}

  private allowed = (host: string, address: string): boolean => {
    const hosts = this.policy.allowHosts.map(bareHost);
    return hosts.includes(bareHost(host)) || hosts.includes(bareHost(address));
  };

  async read(url: string): Promise<RemoteRead> {
    this.deadline ??= Date.now() + this.policy.timeoutMs;
    let current = url;
    for (let redirects = 0; ; redirects++) {
      let parsed: URL;
      try {
        parsed = new URL(current);
      } catch {
        return { ok: false, kind: "unreadable", reason: `'${current}' is not a URL` };
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
        return { ok: false, kind: "unreadable", reason: `a redirect leads to '${parsed.protocol}', and only http(s) is read` };
      const host = bareHost(parsed.hostname);
      if (isIP(host) !== 0) {
        const what = specialAddress(host);
        if (what !== undefined && !this.allowed(host, host))
          return { ok: false, kind: "refused-address", url: current, host, address: host, what };
      }
      const answer = await this.fetchOnce(parsed);
      if (answer.kind !== "redirect") return answer.result;
      if (redirects >= this.policy.maxRedirects)
        return { ok: false, kind: "unreadable", reason: `more than ${this.policy.maxRedirects} redirects` };
      current = new URL(answer.location, parsed).href;
    }
  }

  private fetchOnce(url: URL): Promise<{ kind: "redirect"; location: string } | { kind: "done"; result: RemoteRead }> {
    const remaining = (this.deadline ?? Date.now()) - Date.now();
    const budget = this.policy.timeoutMs;
    if (remaining <= 0)
      return Promise.resolve({
        kind: "done",
        result: { ok: false, kind: "unreadable", reason: `remote reads took more than ${budget} ms in all` },
      });
    return new Promise((resolvePromise) => {
      let settled = false;
      const finish = (value: { kind: "redirect"; location: string } | { kind: "done"; result: RemoteRead }): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolvePromise(value);
      };
      const done = (result: RemoteRead): void => finish({ kind: "done", result });
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const request = send(
        url,
        { method: "GET", lookup: checkedLookup(this.allowed), headers: { accept: "application/yaml, application/json, */*" } },
        (response) => this.receive(response, finish, done),
      );
      const timer = setTimeout(
        () => done({ ok: false, kind: "unreadable", reason: `remote reads took more than ${budget} ms in all` }),
        remaining,
      );
      request.on("error", (error: Error) => {
        if (error instanceof RefusedAddress)
          done({ ok: false, kind: "refused-address", url: url.href, host: error.host, address: error.address, what: error.what });
        else done({ ok: false, kind: "unreadable", reason: error.message });
      });
      request.end();
    });
  }

  private receive(
    response: IncomingMessage,
    finish: (value: { kind: "redirect"; location: string }) => void,
    done: (result: RemoteRead) => void,
  ): void {
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if ([301, 302, 303, 307, 308].includes(status) && typeof location === "string") return finish({ kind: "redirect", location });
    if (status < 200 || status > 299) return done({ ok: false, kind: "unreadable", reason: `HTTP ${status}` });
    const limit = this.policy.maxBytes;
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) return done({ ok: false, kind: "too-large", size: declared, limit });
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Stop reading at the limit: the rest of the body is never buffered.
      if (size > limit) return done({ ok: false, kind: "too-large", size, limit });
      chunks.push(chunk);
    });
    response.on("error", (error) => done({ ok: false, kind: "unreadable", reason: error.message }));
    response.on("end", () => {
      try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
        done({ ok: true, text: text.startsWith("\uFEFF") ? text.slice(1) : text });
      } catch {
        done({ ok: false, kind: "unreadable", reason: "it is not UTF-8 text" });
      }
    });
  }
}
