import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame lives, short: a repo file, an npm package, a node: module, or V8's own label. */
function place(url: string, fn: string): string {
  if (!url) return fn || '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  return url.replace(/^file:\/\/.*?\/(server|shared)\//, '$1/');
}

function top(counts: Map<string, number>, total: number, n: number): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => `    ${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
}

/**
 * Self time of the Plinth server's main thread during the timed windows, by file and by function.
 * Windows are in `process.hrtime` microseconds: V8 profiles use the same monotonic clock on Linux.
 */
export function summarizeProfile(dir: string, windows: { fromUs: number; toUs: number }[]): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // The main thread's profile is the biggest one (tsx's loader thread writes another).
  const biggest = files
    .map((f) => path.join(dir, f))
    .sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0];
  if (!biggest) return '  (no CPU profile was written)';
  const profile = JSON.parse(readFileSync(biggest, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const inclusive = new Map<string, number>();
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let time = profile.startTime;
  let counted = 0;
  profile.samples.forEach((id, i) => {
    time += profile.timeDeltas[i] ?? 0;
    if (!windows.some((w) => time >= w.fromUs && time <= w.toUs)) return;
    const frame = byId.get(id)!;
    const where = place(frame.url, frame.functionName);
    byPlace.set(where, (byPlace.get(where) ?? 0) + 1);
    const fn = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1);
    // Inclusive time of our own code (server/, shared/), each function once per sample.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const f = byId.get(at)!;
      const own = place(f.url, f.functionName);
      if (/^(server|shared)\//.test(own)) onStack.add(`${f.functionName || '(anonymous)'} ${own}:${f.lineNumber + 1}`);
    }
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
    counted++;
  });
  if (counted === 0) return `  (no samples of ${path.basename(biggest)} fall in the timed window)`;
  return [
    `  Plinth main thread during the timed run (${counted} samples of ${biggest}), self time by file:`,
    top(byPlace, counted, 15),
    '  by function:',
    top(byFunction, counted, 15),
    "  Plinth's own functions, inclusive time:",
    top(inclusive, counted, 15),
  ].join('\n');
}
