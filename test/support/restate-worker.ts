// A Restate worker: serves the generated Restate workflows of out/durable against a Windmill API. Started by
// startWorker (restate.ts) with its settings in the environment; prints "worker ready on port N".
// With WORKER_PROCESSES > 1, that many processes share the port (node:cluster) and serve HTTP/1.1, where
// each invocation is a request of its own and so spreads over the processes.
import cluster from "node:cluster";
import { createServer as createHttp1Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { restateWorkflows as cleanupWorkflows } from "../../out/durable/windmill-run-script-and-cleanup-job-workflow.restate.js";
import { restateWorkflows as cancelWorkflows } from "../../out/durable/windmill-run-script-with-timeout-cancel-workflow.restate.js";

const port = Number(process.env["WORKER_PORT"] ?? 0);
const processes = Number(process.env["WORKER_PROCESSES"] ?? 1);
const token = process.env["WINDMILL_TOKEN"];
const options = {
  servers: { windmillApi: process.env["WINDMILL_API_URL"]! },
  poll: { intervalMs: Number(process.env["WORKER_POLL_INTERVAL_MS"] ?? 50), backoff: 1 },
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
  const services = [...Object.values(cleanupWorkflows(options)), ...Object.values(cancelWorkflows(options))];
  const handler = restate.createEndpointHandler({ services });
  const server = processes > 1 ? createHttp1Server(handler) : createHttp2Server(handler);
  server.listen(port, "127.0.0.1", () => {
    const address = server.address();
    const bound = typeof address === "object" && address !== null ? address.port : port;
    if (cluster.isWorker) process.send!({ listening: bound });
    else console.log(`worker ready on port ${bound}`);
  });
  process.on("SIGTERM", () => process.exit(0));
}
