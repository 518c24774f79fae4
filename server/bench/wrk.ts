import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkTarget {
  url: string;
  apiKey: string;
  /** JSON bodies, sent in turn, so every branch of the graph gets traffic. */
  bodies: string[];
}

export interface WrkResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  non2xx: number;
  socketErrors: string | null;
  raw: string;
}

/** A wrk script that POSTs the bodies in turn with the key; written to `dir`. */
export function writeScript(dir: string, name: string, target: WrkTarget): string {
  const file = path.join(dir, `${name}.lua`);
  // Long brackets need no escaping; pick a level that no body contains.
  const quote = (s: string) => (s.includes(']==]') ? JSON.stringify(s) : `[==[${s}]==]`);
  writeFileSync(
    file,
    [
      `local bodies = { ${target.bodies.map(quote).join(', ')} }`,
      `local headers = { ["Content-Type"] = "application/json", ["Authorization"] = ${quote(`Bearer ${target.apiKey}`)} }`,
      'local i = 0',
      'request = function()',
      '  i = i + 1',
      '  return wrk.format("POST", nil, headers, bodies[(i % #bodies) + 1])',
      'end',
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs wrk (one thread, `connections` keep-alive connections) for `seconds` and parses its `--latency` report. */
export async function runWrk(script: string, url: string, connections: number, seconds: number): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '30s', '--latency', '-s', script, url];
  const { stdout } = await run('wrk', args, { timeout: (seconds + 60) * 1000 });
  return parseWrk(stdout);
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function percentile(raw: string, label: string): number {
  const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(raw);
  if (!match) throw new Error(`wrk printed no ${label}% latency:\n${raw}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** Reads requests/sec, p50, p99 and the error counts from wrk's report. */
export function parseWrk(raw: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(raw);
  const requests = /^\s*(\d+) requests in/m.exec(raw);
  if (!rps || !requests) throw new Error(`could not read wrk's report:\n${raw}`);
  return {
    rps: Number(rps[1]),
    p50_ms: percentile(raw, '50'),
    p99_ms: percentile(raw, '99'),
    requests: Number(requests[1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(raw)?.[1] ?? 0),
    socketErrors: /Socket errors:\s*(.*)$/m.exec(raw)?.[1]?.trim() ?? null,
    raw,
  };
}
