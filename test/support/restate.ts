// A real Restate server and worker processes for the durable tests, the demo and the benchmark. The server
// is the binary of the npm package @restatedev/restate-server (a dev dependency), started on random ports in
// a fresh base folder; workers are Node processes serving the generated Restate workflows (restate-worker.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./wait-for.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

/** The restate-server binary of the platform package that npm installed with @restatedev/restate-server. */
export function restateServerBinary(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = `@restatedev/restate-server-${process.platform}-${process.arch}`;
  try {
    return join(dirname(require.resolve(`${platformPackage}/package.json`)), "bin", "restate-server");
  } catch {
    throw new Error(
      `${platformPackage} is not installed: run npm ci (the Restate server is a dev dependency for ${process.platform}-${process.arch})`,
    );
  }
}

/** Text without the terminal colour codes of the server's log. */
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

export interface RestateServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** Registers (or re-registers) a worker's endpoint as a deployment. */
  register(workerUrl: string, options?: { http1?: boolean }): Promise<void>;
  /** Restate's SQL introspection (sys_journal, sys_invocation, state, ...): the rows as objects. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Everything the server printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

async function expectOk(response: Response, what: string): Promise<string> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text}`);
  return text;
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within the bound. */
async function stopProcess(child: ChildProcess, boundMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), boundMs);
  await exited;
  clearTimeout(timer);
}

export async function startRestateServer(): Promise<RestateServer> {
  const baseDir = mkdtempSync(join(tmpdir(), "arazzoc-restate-"));
  const child = spawn(restateServerBinary(), [], {
    env: {
      ...process.env,
      RESTATE_USE_RANDOM_PORTS: "true",
      RESTATE_BIND_IP: "127.0.0.1",
      RESTATE_BASE_DIR: baseDir,
      // No telemetry from tests.
      RESTATE_DISABLE_TELEMETRY: "true",
      DO_NOT_TRACK: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const portOf = (serverName: string) => new RegExp(`server_name: ${serverName}[\\s\\S]*?server\\.port: (\\d+)`).exec(plain(output))?.[1];
  try {
    const [ingressPort, adminPort] = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`restate-server exited with ${child.exitCode}:\n${plain(output)}`);
        const ports = [portOf("http-ingress-server"), portOf("admin-api-server")];
        return ports.every((p) => p !== undefined) ? (ports as [string, string]) : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50, message: "restate-server did not print its ports" },
    );
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const ingressUrl = `http://127.0.0.1:${ingressPort}`;
    await waitFor(async () => (await fetch(`${adminUrl}/health`).catch(() => undefined))?.ok, { timeoutMs: 60_000, intervalMs: 50 });
    await waitFor(async () => (await fetch(`${ingressUrl}/restate/health`).catch(() => undefined))?.ok, {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    return {
      ingressUrl,
      adminUrl,
      async register(workerUrl, options = {}) {
        const response = await fetch(`${adminUrl}/deployments`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ uri: workerUrl, force: true, ...(options.http1 ? { use_http_11: true } : {}) }),
        });
        await expectOk(response, `registering ${workerUrl}`);
      },
      async query(sql) {
        const response = await fetch(`${adminUrl}/query`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query: sql }),
        });
        return (JSON.parse(await expectOk(response, `query ${sql}`)) as { rows: Record<string, unknown>[] }).rows;
      },
      log: () => plain(output),
      async stop() {
        await stopProcess(child);
        rmSync(baseDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(baseDir, { recursive: true, force: true });
    throw error;
  }
}

export interface WorkerOptions {
  /** The Windmill API base URL the workflows call. */
  readonly apiUrl: string;
  /** 0 (default): a free port. Give the port of a killed worker to take its place at the same address. */
  readonly port?: number;
  /** Worker processes behind the one port (node:cluster). Default 1. */
  readonly processes?: number;
  /** Serve HTTP/1.1 (Restate's request-response mode: a request per invocation attempt) instead of HTTP/2. */
  readonly http1?: boolean;
  /** Hold the token on the worker (restateWorkflows({ secrets })) instead of taking it from invocations. */
  readonly token?: string;
  readonly pollIntervalMs?: number;
  /** Also serve the payments fixture's workflows against this API. */
  readonly paymentsUrl?: string;
  /** Also serve the shop fixture's message workflow against this API, its broker in memory in the worker. */
  readonly shopUrl?: string;
  /** The shop's API token, held by the worker. */
  readonly shopToken?: string;
}

/** A message of the worker's in-memory transport, as the IPC channel carries it. */
export interface WorkerMessage {
  readonly headers: Record<string, unknown>;
  readonly payload: unknown;
  readonly contentType?: string;
  readonly message?: string;
}

/** What the test asks of a worker over IPC: deliver a message on an address, or count its subscriptions there. */
export interface WorkerRequest {
  readonly id?: number;
  readonly deliver?: { readonly address: string; readonly message: WorkerMessage };
  readonly subscribers?: string;
}

export interface Worker {
  readonly url: string;
  readonly port: number;
  /** The worker's process (the cluster's primary when there are several). */
  readonly pid: number;
  /** Ends the process abruptly, as a crash does. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
  /** Publishes a message on an address of the worker's in-memory transport (the shop's broker). */
  deliver(address: string, message: WorkerMessage): void;
  /** Subscriptions open on an address of the worker's in-memory transport. */
  subscribers(address: string): Promise<number>;
  /** The messages the worker's workflows sent through its in-memory transport, in order. */
  readonly sent: ReadonlyArray<{ readonly address: string | null; readonly message: WorkerMessage }>;
}

/** Starts a worker process serving out/durable's Restate workflows against the given API. */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", join(here, "restate-worker.ts")], {
    cwd: root,
    env: {
      ...process.env,
      WORKER_PORT: String(options.port ?? 0),
      WORKER_PROCESSES: String(options.processes ?? 1),
      WORKER_HTTP1: options.http1 ? "1" : "0",
      WINDMILL_API_URL: options.apiUrl,
      WORKER_POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 50),
      ...(options.token !== undefined ? { WINDMILL_TOKEN: options.token } : {}),
      ...(options.paymentsUrl !== undefined ? { PAYMENTS_API_URL: options.paymentsUrl } : {}),
      ...(options.shopUrl !== undefined ? { SHOP_API_URL: options.shopUrl } : {}),
      ...(options.shopToken !== undefined ? { SHOP_TOKEN: options.shopToken } : {}),
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const sent: { address: string | null; message: WorkerMessage }[] = [];
  const answers = new Map<number, (count: number) => void>();
  let nextId = 1;
  child.on("message", (reply: { sent?: { address: string | null; message: WorkerMessage }; id?: number; subscribers?: number }) => {
    if (reply.sent !== undefined) sent.push(reply.sent);
    if (reply.id !== undefined && reply.subscribers !== undefined) answers.get(reply.id)?.(reply.subscribers);
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const port = Number(
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}:\n${output}`);
        return /worker ready on port (\d+)/.exec(output)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 20, message: "the worker did not start" },
    ),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGKILL");
      await exited;
    },
    stop: () => stopProcess(child),
    output: () => output,
    deliver(address, message) {
      child.send({ deliver: { address, message } } satisfies WorkerRequest);
    },
    subscribers(address) {
      const id = nextId++;
      return new Promise<number>((resolve, reject) => {
        if (!child.connected) return reject(new Error("the worker has exited"));
        answers.set(id, (count) => {
          answers.delete(id);
          resolve(count);
        });
        child.send({ id, subscribers: address } satisfies WorkerRequest);
      });
    },
    sent,
  };
}
