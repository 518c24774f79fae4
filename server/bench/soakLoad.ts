/**
 * The soak's load generator, run as its own process: POSTs to one URL at a fixed rate for a fixed
 * time (open loop: a slow answer does not slow the sending), then prints one JSON line with every
 * status seen and the latencies. Usage: node --import tsx soakLoad.ts <url> <token> <rate/s> <seconds>
 */
import { Agent, request } from 'node:http';

const [url = '', token = '', rateText = '100', secondsText = '60'] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const bodies = [
  JSON.stringify({ amount: 1234.5, country: 'XX', customer_age_days: 3 }),
  JSON.stringify({ amount: 12, country: 'DE', customer_age_days: 900 }),
];

const statuses: Record<string, number> = {};
const latencies: number[] = [];
let sent = 0;
let inFlight = 0;

function send(): void {
  sent++;
  inFlight++;
  const body = bodies[sent % bodies.length]!;
  const started = performance.now();
  const done = (status: string) => {
    inFlight--;
    statuses[status] = (statuses[status] ?? 0) + 1;
    latencies.push(performance.now() - started);
  };
  const req = request(
    url,
    {
      method: 'POST',
      agent,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
      timeout: 30_000,
    },
    (res) => {
      res.resume();
      res.on('end', () => done(String(res.statusCode)));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  req.end(body);
}

const started = Date.now();
const interval = 1000 / rate;
let next = performance.now();
const tick = () => {
  const now = performance.now();
  while (next <= now && Date.now() - started < seconds * 1000) {
    send();
    next += interval;
  }
  if (Date.now() - started < seconds * 1000) setTimeout(tick, Math.max(0, next - performance.now()));
  else finish();
};

function finish(): void {
  const wait = setInterval(() => {
    if (inFlight > 0 && Date.now() - started < (seconds + 35) * 1000) return;
    clearInterval(wait);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    process.stdout.write(
      `${JSON.stringify({ sent, answered: latencies.length, statuses, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: at(1) })}\n`,
    );
    agent.destroy();
  }, 100);
}

tick();
