export interface WaitForOptions {
  timeoutMs?: number; // default 2000
  intervalMs?: number; // default 10
  message?: string;
}

/**
 * Polls `condition` until it returns a truthy value (which is returned) or the
 * bound elapses (rejects). Tests wait on conditions, never on fixed sleeps.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (Date.now() >= deadline) {
      throw new Error(options.message ?? `waitFor: condition not met within ${timeoutMs} ms`);
    }
    await new Promise<void>((resolve) => setTimeout(resolve, intervalMs));
  }
}
