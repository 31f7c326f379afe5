// A MessageTransport for MQTT 5 brokers (the `mqtt` package): the adapter docs/transports.md shows. A channel's
// address is the topic; message headers travel as MQTT 5 user properties (text, as brokers carry them), the
// content type as the MQTT 5 content type; JSON payloads are encoded and decoded here. Generated code never
// sees the client: it calls send and subscribe.
import type { IClientPublishOptions, MqttClient } from "mqtt";
import type {
  IncomingMessage,
  MessageChannel,
  MessageFilter,
  MessageSubscription,
  MessageTransport,
  OutgoingMessage,
} from "../../runtime/runtime.js";

const isJson = (contentType: string | undefined) =>
  contentType === undefined || /^[\w.+-]+\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType);

function topicOf(channel: MessageChannel): string {
  if (channel.address === null) throw new Error(`channel ${channel.channel} has no address to use as an MQTT topic`);
  return channel.address;
}

/** An MQTT 5 transport over a connected client; subscriptions to one topic share the broker's subscription. */
export function mqttTransport(client: MqttClient): MessageTransport {
  /** Listeners per topic: the broker subscription lives while one is open. */
  const listeners = new Map<string, Set<(message: IncomingMessage) => void>>();
  client.on("message", (topic, bytes, packet) => {
    const set = listeners.get(topic);
    if (!set) return;
    const contentType = packet.properties?.contentType;
    const text = bytes.toString("utf8");
    let payload: unknown = text;
    if (isJson(contentType) && text.trim() !== "") {
      try {
        payload = JSON.parse(text);
      } catch {
        // not JSON after all: handed on as text, and the step's criteria judge it
      }
    }
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(packet.properties?.userProperties ?? {})) headers[name] = value;
    for (const deliver of [...set]) deliver({ headers, payload, ...(contentType !== undefined ? { contentType } : {}) });
  });

  return {
    async send(channel: MessageChannel, message: OutgoingMessage, signal: AbortSignal): Promise<void> {
      signal.throwIfAborted();
      const body =
        message.payload === undefined ? "" : isJson(message.contentType) ? JSON.stringify(message.payload) : String(message.payload);
      const userProperties: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.headers))
        if (value !== undefined) userProperties[name] = typeof value === "string" ? value : JSON.stringify(value);
      const options: IClientPublishOptions = { qos: 1, properties: { contentType: message.contentType, userProperties } };
      await client.publishAsync(topicOf(channel), body, options);
    },

    async subscribe(
      channel: MessageChannel,
      filter: MessageFilter,
      deliver: (message: IncomingMessage) => void,
      signal: AbortSignal,
    ): Promise<MessageSubscription> {
      const topic = topicOf(channel);
      // The broker cannot filter on user properties: the filter is applied here, and by the runtime again.
      const listener = (message: IncomingMessage) => {
        if (filter.accepts(message)) deliver(message);
      };
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
        await client.subscribeAsync(topic, { qos: 1 });
      }
      set.add(listener);
      let cancelled = false;
      const cancel = async () => {
        if (cancelled) return;
        cancelled = true;
        set.delete(listener);
        if (set.size === 0 && listeners.get(topic) === set) {
          listeners.delete(topic);
          await client.unsubscribeAsync(topic);
        }
      };
      signal.addEventListener("abort", () => void cancel(), { once: true });
      return { cancel };
    },
  };
}
