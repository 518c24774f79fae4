// shared/ runs in browsers and in Node alike; it uses only these two globals that both provide.
declare const performance: { now(): number };
declare const crypto: { randomUUID(): string };
