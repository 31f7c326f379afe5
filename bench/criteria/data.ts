// Response bodies for the criteria benchmark: deterministic (a seeded generator), shaped like real API answers.
// Each case has four variants of the same size, passed in turn so that neither side sees one constant input;
// where a variant passes a scanning query, the first match is the last item, so that stopping at the first
// match (which the compiled code does and jsonpath-rfc9535's query() does not) gains nothing.
import type { CriterionResponse } from "./interpreter.js";

/** mulberry32: a small seeded generator, so every run measures the same documents. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
const isoDate = (ms: number): string => new Date(Date.UTC(2025, 0, 1) + ms).toISOString();

/** A job list (array root), as a job queue API returns it. */
export function jobList(size: number, variant: number): unknown[] {
  const next = random(1000 + size * 10 + variant);
  const statuses = ["running", "queued", "failed", "done"] as const;
  const jobs: unknown[] = [];
  for (let i = 0; i < size; i++) {
    let status: string = statuses[Math.floor(next() * statuses.length)]!;
    let attempts = Math.floor(next() * 6);
    if (i < size - 1) {
      // No match before the last item: a done job here has used up its attempts.
      if (status === "done") attempts = 3 + Math.floor(next() * 3);
    } else {
      // The last item decides: variants 0 and 2 match, 1 and 3 do not.
      [status, attempts] = [
        ["done", 1],
        ["done", 4],
        ["done", 2],
        ["running", 0],
      ][variant] as [string, number];
    }
    const started = Math.floor(next() * 86_400_000);
    jobs.push({
      id: `job-${pad(i, 6)}`,
      workspace: "acme",
      scriptPath: `f/etl/load_${i % 17}`,
      status,
      attempts,
      createdAt: isoDate(started - 5000),
      startedAt: isoDate(started),
      durationMs: status === "done" ? Math.floor(next() * 60_000) : null,
      tags: ["etl", i % 2 === 0 ? "nightly" : "hourly"],
      worker: { host: `worker-${i % 8}`, pid: 4000 + (i % 97) },
      result: status === "done" ? { rows: Math.floor(next() * 10_000), bytes: Math.floor(next() * 1e7) } : null,
      error: status === "failed" ? { code: "E_TIMEOUT", message: "the script ran longer than its timeout" } : null,
    });
  }
  return jobs;
}

/** The SKU that the descendant query looks for: present (as the last product) in variants 0 and 1. */
export const TARGET_SKU = "SKU-TARGET";

/**
 * A buy-now-pay-later checkout (object root), as in the Arazzo bnpl example: a customer and `size` products.
 * Variants 0 and 2 list them under `products`, 1 and 3 under `items`.
 */
export function checkout(size: number, variant: number): Record<string, unknown> {
  const next = random(2000 + size * 10 + variant);
  const products: unknown[] = [];
  let total = 0;
  for (let i = 0; i < size; i++) {
    const price = Math.round(next() * 50_000) / 100;
    const quantity = 1 + Math.floor(next() * 3);
    total += price * quantity;
    products.push({
      id: `prod-${pad(i, 5)}`,
      sku: i === size - 1 && variant < 2 ? TARGET_SKU : `SKU-${pad(i, 5)}-${variant}`,
      name: `Product ${i}`,
      merchantId: `merchant-${i % 13}`,
      category: ["home", "garden", "toys", "books"][i % 4],
      price,
      quantity,
      attributes: { color: ["red", "green", "blue"][i % 3], size: ["S", "M", "L", "XL"][i % 4] },
    });
  }
  return {
    id: `checkout-${size}-${variant}`,
    customer: {
      id: "cust-7731",
      firstName: "Ann",
      lastName: "Example",
      email: "ann@example.com",
      dateOfBirth: "1990-04-12",
      address: { line1: "1 Main Street", city: "Dublin", postcode: "D01 X2Y3", country: "IE" },
    },
    [variant % 2 === 0 ? "products" : "items"]: products,
    totalAmount: Math.round(total * 100) / 100,
    currency: "EUR",
    eligibilityCheckRequired: variant % 2 === 0,
    createdAt: isoDate(next() * 86_400_000),
  };
}

/** A job status response, as a polling step reads it, with four combinations of status code and body. */
export function jobResponse(variant: number): CriterionResponse {
  const [status, jobStatus, attempts, canceled] = [
    [200, "Done", 1, false],
    [200, "running", 4, false],
    [202, "failed", 2, false],
    [200, "DONE", 0, true],
  ][variant] as [number, string, number, boolean];
  const headers: Record<string, string> = { "content-type": "application/json", "x-request-id": `req-${variant}` };
  return {
    status,
    url: `https://api.example.com/jobs/job-00004${variant}`,
    method: "GET",
    body: {
      id: `job-00004${variant}`,
      status: jobStatus,
      attempts,
      canceled,
      result: jobStatus.toLowerCase() === "done" ? { rows: 120 + variant, location: "s3://bucket/out.parquet" } : null,
      worker: { host: "worker-2", pid: 4021 },
    },
    header: (name: string) => headers[name.toLowerCase()],
  };
}
