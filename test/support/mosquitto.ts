// A real MQTT broker for the AsyncAPI end-to-end test: Debian's mosquitto (installed by ensure-debian-packages.sh),
// started on 127.0.0.1 with a port of its own and no persistence, in a fresh folder, and stopped after.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./wait-for.js";

export const MOSQUITTO = "/usr/sbin/mosquitto";

export function mosquittoInstalled(): boolean {
  return existsSync(MOSQUITTO);
}

export interface Broker {
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** What the broker printed, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/** A port free now on 127.0.0.1 (the broker binds it right after; a lost race is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function startMosquitto(): Promise<Broker> {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "arazzoc-mosquitto-"));
    const port = await freePort();
    const config = join(dir, "mosquitto.conf");
    writeFileSync(config, [`listener ${port} 127.0.0.1`, "allow_anonymous true", "persistence false", "log_dest stderr", ""].join("\n"));
    const child = spawn(MOSQUITTO, ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const stop = async () => {
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`mosquitto exited with ${child.exitCode}:\n${output}`);
          return accepts(port);
        },
        { timeoutMs: 10_000, message: `mosquitto did not listen on port ${port}:\n${output}` },
      );
      return { url: `mqtt://127.0.0.1:${port}`, port, log: () => output, stop };
    } catch (error) {
      await stop();
      if (attempt === 3) throw error;
    }
  }
}
