// The measurement loop of the criteria benchmark. Subjects of one comparison are measured in the same process,
// interleaved: warm-up for each, a calibrated batch size per subject (about --sample-ms per batch), then rounds
// in which every subject runs one batch, the order alternating between rounds so that noise (GC, other
// processes) hits all alike. A subject's figure is the median over its batches.
//
// Results are consumed: each batch counts the criteria that held and checks the count against the expected
// answers, so no call can be dropped as dead code, and a subject that computes a wrong answer stops the bench.

export interface Subject<I> {
  readonly label: string;
  readonly evaluate: (input: I) => boolean;
}

export interface MeasureOptions {
  readonly samples: number;
  readonly sampleMs: number;
  readonly warmupMs: number;
}

export interface Measurement {
  readonly label: string;
  /** Median evaluations per second over the samples. */
  readonly opsPerSec: number;
  readonly minOpsPerSec: number;
  readonly maxOpsPerSec: number;
  /** Evaluations per batch. */
  readonly batch: number;
}

/** One batch: `count` evaluations over the inputs in turn; returns the time taken and how many held. */
function runBatch<I>(evaluate: (input: I) => boolean, inputs: readonly I[], count: number): { ms: number; held: number } {
  const mask = inputs.length - 1;
  let held = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (evaluate(inputs[i & mask]!)) held++;
  }
  return { ms: performance.now() - start, held };
}

/** How many of `count` evaluations over the inputs in turn must hold. */
function expectedHeld(expected: readonly boolean[], count: number): number {
  const mask = expected.length - 1;
  let held = 0;
  for (let i = 0; i < count; i++) if (expected[i & mask]) held++;
  return held;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Measures the subjects on the same inputs (a power-of-two count), whose answers are `expected`.
 * Throws when a subject's answers differ from `expected`.
 */
export function measure<I>(
  subjects: readonly Subject<I>[],
  inputs: readonly I[],
  expected: readonly boolean[],
  options: MeasureOptions,
): Measurement[] {
  if (inputs.length === 0 || (inputs.length & (inputs.length - 1)) !== 0) throw new Error("the number of inputs must be a power of two");
  const checked = (subject: Subject<I>, count: number): number => {
    const { ms, held } = runBatch(subject.evaluate, inputs, count);
    const want = expectedHeld(expected, count);
    if (held !== want) throw new Error(`${subject.label}: ${held} of ${count} evaluations held, expected ${want}`);
    return ms;
  };

  // Warm-up, interleaved so that every subject's code is optimised before any is measured.
  const warmupEnd = performance.now() + options.warmupMs * subjects.length;
  let warmupBatch = inputs.length;
  while (performance.now() < warmupEnd) {
    for (const subject of subjects) checked(subject, warmupBatch);
    warmupBatch = Math.min(warmupBatch * 2, 1 << 16);
  }

  // Calibration: double the batch until it takes a tenth of a sample, then scale to a whole sample.
  const batches = subjects.map((subject) => {
    let count = inputs.length;
    for (;;) {
      const ms = checked(subject, count);
      if (ms >= options.sampleMs / 10 || count >= 1 << 30)
        return Math.max(inputs.length, Math.round((count * options.sampleMs) / Math.max(ms, 1e-3)));
      count *= 2;
    }
  });

  const rates: number[][] = subjects.map(() => []);
  for (let round = 0; round < options.samples; round++) {
    const order = subjects.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const ms = checked(subjects[i]!, batches[i]!);
      rates[i]!.push((batches[i]! * 1000) / ms);
    }
  }
  return subjects.map((subject, i) => ({
    label: subject.label,
    opsPerSec: median(rates[i]!),
    minOpsPerSec: Math.min(...rates[i]!),
    maxOpsPerSec: Math.max(...rates[i]!),
    batch: batches[i]!,
  }));
}
