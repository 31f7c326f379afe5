// A Restate worker: serves the generated Restate workflows of out/durable against a Windmill API. Started by
// startWorker (restate.ts) with its settings in the environment; prints "worker ready on port N".
// With SHOP_API_URL, it also serves the shop fixture's message workflow over an in-memory transport that lives in
// this process: the test delivers messages into it, asks how many subscriptions are open, and is told of each
// message sent, over the IPC channel (WorkerMessage below).
// With WORKER_PROCESSES > 1, that many processes share the port (node:cluster), which hands each incoming
// connection to one of them. WORKER_HTTP1=1 serves HTTP/1.1 (Restate's request-response mode) instead of HTTP/2.
import cluster from "node:cluster";
import { createServer as createHttp1Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { restateWorkflows as cleanupWorkflows } from "../../out/durable/windmill-run-script-and-cleanup-job-workflow.restate.js";
import { restateWorkflows as cancelWorkflows } from "../../out/durable/windmill-run-script-with-timeout-cancel-workflow.restate.js";
import { restateWorkflows as paymentWorkflows } from "../../out/durable/payments.arazzo.restate.js";
import { restateWorkflows as shopWorkflows } from "../../out/durable/shop.arazzo.restate.js";
import { createMemoryTransport } from "../../out/durable/runtime-messages.js";
import type { WorkerRequest } from "./restate.js";
import { restateWorkflows as deadlineWorkflows } from "../../out/durable/deadlines.arazzo.restate.js";

const port = Number(process.env["WORKER_PORT"] ?? 0);
const processes = Number(process.env["WORKER_PROCESSES"] ?? 1);
const token = process.env["WINDMILL_TOKEN"];
const options = {
  servers: { windmillApi: process.env["WINDMILL_API_URL"]! },
  poll: { intervalMs: Number(process.env["WORKER_POLL_INTERVAL_MS"] ?? 50), backoff: 1 },
  // Which process sent each request: the simulator records it (the benchmark counts the work per process).
  headers: { "x-worker-pid": String(process.pid) },
  ...(token !== undefined ? { secrets: { token } } : {}),
};

if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
  let ready = 0;
  cluster.on("message", (_worker, message: { listening?: number }) => {
    if (message.listening !== undefined && ++ready === processes) console.log(`worker ready on port ${message.listening}`);
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const payments = process.env["PAYMENTS_API_URL"];
  const shop = process.env["SHOP_API_URL"];
  const shopToken = process.env["SHOP_TOKEN"];
  // The shop's broker, in this process: what it sends is reported to the test, what the test delivers reaches the
  // subscriptions open here.
  const events = createMemoryTransport({
    respond: ({ channel, message }) => void process.send?.({ sent: { address: channel.address, message } }),
  });
  process.on("message", (request: WorkerRequest) => {
    if (request.deliver !== undefined) events.deliver(request.deliver.address, request.deliver.message);
    else if (request.subscribers !== undefined) process.send?.({ id: request.id, subscribers: events.subscribers(request.subscribers) });
  });
  const services = [
    ...Object.values(cleanupWorkflows(options)),
    ...Object.values(cancelWorkflows(options)),
    ...(payments !== undefined ? Object.values(paymentWorkflows({ servers: { payments } })) : []),
    ...(shop !== undefined
      ? Object.values(
          shopWorkflows({
            servers: { shop },
            transports: { shopEvents: events },
            ...(shopToken !== undefined ? { secrets: { apiToken: shopToken } } : {}),
          }),
        )
      : []),
    ...(payments !== undefined ? Object.values(deadlineWorkflows({ servers: { payments } })) : []),
  ];
  const handler = restate.createEndpointHandler({ services });
  // HTTP/2 streams are capped per connection, so that many concurrent invocations open several connections,
  // which node:cluster spreads over the processes.
  const server =
    process.env["WORKER_HTTP1"] === "1"
      ? createHttp1Server(handler)
      : createHttp2Server({ settings: { maxConcurrentStreams: 32 } }, handler);
  server.listen(port, "127.0.0.1", () => {
    const address = server.address();
    const bound = typeof address === "object" && address !== null ? address.port : port;
    if (cluster.isWorker) process.send!({ listening: bound });
    else console.log(`worker ready on port ${bound}`);
  });
  process.on("SIGTERM", () => process.exit(0));
}
