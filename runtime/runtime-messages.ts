// arazzoc in-memory message transport: copied as runtime-messages.ts next to generated modules that have message
// steps (AsyncAPI sources). A broker in this process, for tests and examples: what one step sends, the
// subscriptions open on the same address receive, in order. No dependencies, no Node-only APIs.
import type { IncomingMessage, MessageChannel, MessageSubscription, MessageTransport, OutgoingMessage } from "./runtime.js";

/** A message the in-memory transport was given to send, with the channel it was sent on. */
export interface SentMessage {
  readonly channel: MessageChannel;
  readonly message: OutgoingMessage;
}

export interface MemoryTransport extends MessageTransport {
  /** Publishes a message on an address, as another application would: each subscription open there receives it. */
  deliver(address: string, message: IncomingMessage): void;
  /** Every message sent through the transport, in order. */
  readonly sent: readonly SentMessage[];
  /** Subscriptions open now, per address. */
  subscribers(address: string): number;
}

export interface MemoryTransportOptions {
  /**
   * Called after each message sent (and after it reached the subscriptions of its address): a test's stand-in
   * for the application on the other side, which may `deliver` a reply. An error it throws fails the send.
   */
  readonly respond?: (sent: SentMessage, transport: MemoryTransport) => void | Promise<void>;
}

/** A channel's address, or its key when the description gives no address: where its messages meet. */
function addressOf(channel: MessageChannel): string {
  return channel.address ?? channel.channel;
}

/** An in-process transport: sends reach the subscriptions open on the same address; nothing leaves the process. */
export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const subscriptions = new Map<string, Set<(message: IncomingMessage) => void>>();
  const sent: SentMessage[] = [];
  const transport: MemoryTransport = {
    sent,
    subscribers: (address) => subscriptions.get(address)?.size ?? 0,
    deliver(address, message) {
      // A copy per delivery, as a broker hands each subscriber its own message.
      for (const deliver of [...(subscriptions.get(address) ?? [])]) deliver(structuredClone(message));
    },
    async send(channel, message, signal) {
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
      const record = { channel, message: structuredClone(message) };
      sent.push(record);
      transport.deliver(addressOf(channel), {
        headers: message.headers,
        payload: message.payload,
        contentType: message.contentType,
        ...(message.message !== undefined ? { message: message.message } : {}),
      });
      await options.respond?.(record, transport);
    },
    subscribe(channel, _filter, deliver, signal): MessageSubscription {
      const address = addressOf(channel);
      const set = subscriptions.get(address) ?? new Set();
      subscriptions.set(address, set);
      const cancel = () => {
        set.delete(deliver);
        if (set.size === 0) subscriptions.delete(address);
      };
      if (!signal.aborted) set.add(deliver);
      signal.addEventListener("abort", cancel, { once: true });
      return { cancel };
    },
  };
  return transport;
}
