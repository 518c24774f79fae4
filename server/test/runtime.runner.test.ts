import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, encodeFrames, FrameReader } from '../src/runtime/process/frames.ts';
import { PROTOCOL_VERSION } from '../src/runtime/protocol.ts';
import { DEFAULT_RUNNER_PATH } from '../src/runtime/index.ts';
import { py } from './runtimeFixtures.ts';

/** The runner speaking its framed protocol directly, without the sandbox around it. */
class RunnerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly replies: unknown[] = [];
  private waiting: ((reply: unknown) => void) | null = null;

  constructor() {
    this.child = spawn('/usr/bin/python3', [DEFAULT_RUNNER_PATH], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reader = new FrameReader(
      (m) => this.deliver(m),
      1 << 26,
      () => {},
    );
    this.child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
  }

  send(frame: object): void {
    this.child.stdin.write(encodeFrame(frame));
  }

  next(): Promise<unknown> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private deliver(message: unknown): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(message);
    } else this.replies.push(message);
  }
}

let runner: RunnerProcess | undefined;
afterEach(() => runner?.child.kill());

describe('plinth_runner.py framed protocol', () => {
  it('loads once and serves many calls; user output never corrupts the stream', async () => {
    runner = new RunnerProcess();
    runner.send({
      op: 'load',
      protocol: PROTOCOL_VERSION,
      nodes: [
        {
          id: 'noisy',
          code: py(
            'import os, sys',
            "os.write(1, b'\\x00\\x00\\x00\\x05garbage')", // straight to fd 1 at import time
            'def process(data, ctx):',
            "    print('to stdout')",
            "    os.write(1, b'raw fd write')",
            "    sys.__stdout__.write('via __stdout__')",
            "    ctx.state['n'] = ctx.state.get('n', 0) + 1",
            "    return {'echo': data, 'n': ctx.state['n'], 'text': 'ünïcödé ✓'}",
          ),
        },
      ],
    });
    expect(await runner.next()).toEqual({ ok: true, protocol: PROTOCOL_VERSION });
    runner.send({
      op: 'call',
      id: 1,
      run: 'r1',
      node: 'noisy',
      data: [1],
      ctx: { run_id: 'r1', graph: 'g', version: null, secrets: {} },
    });
    runner.send({ op: 'call', id: 2, run: 'r1', node: 'noisy', data: { big: 'x'.repeat(200_000) } });
    const first = (await runner.next()) as {
      id: number;
      ok: boolean;
      output: { n: number; text: string };
      logs: unknown[];
    };
    expect(first).toMatchObject({ id: 1, ok: true, output: { echo: [1], n: 1, text: 'ünïcödé ✓' } });
    expect(first.logs).toContainEqual({ stream: 'stdout', text: 'to stdout' });
    const second = (await runner.next()) as { id: number; output: { n: number; echo: { big: string } } };
    expect(second.id).toBe(2);
    expect(second.output.n).toBe(2);
    expect(second.output.echo.big).toHaveLength(200_000);
    // After `end`, the run's state is gone: a call in the same run id starts from scratch.
    runner.send({ op: 'end', run: 'r1' });
    runner.send({
      op: 'call',
      id: 3,
      run: 'r1',
      node: 'noisy',
      data: null,
      ctx: { run_id: 'r1', graph: 'g', version: null, secrets: {} },
    });
    expect(await runner.next()).toMatchObject({ id: 3, ok: true, output: { n: 1 } });
  });

  it('refuses a load frame of another protocol version, saying which it speaks', async () => {
    runner = new RunnerProcess();
    runner.send({ op: 'load', protocol: 1, nodes: [], follow: {} });
    expect(await runner.next()).toMatchObject({
      ok: false,
      protocol: PROTOCOL_VERSION,
      error: {
        code: 'protocol_mismatch',
        message: `this runner speaks protocol ${PROTOCOL_VERSION}, the server sent 1`,
      },
    });
  });

  it('answers a frame it cannot decode (nested too deeply) as a failed call, and serves on', async () => {
    runner = new RunnerProcess();
    runner.send({
      op: 'load',
      protocol: PROTOCOL_VERSION,
      nodes: [{ id: 'x', code: py('def process(data, ctx):', '    return data') }],
      follow: {},
    });
    await runner.next();
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    runner.child.stdin.write(encodeFrames([`{"op":"call","id":3,"run":"r","node":"x","data":${deep}}`]));
    expect(await runner.next()).toMatchObject({
      id: 3,
      ok: false,
      error: { code: 'node_failed', type: 'RecursionError', message: expect.stringContaining('nested too deeply') },
    });
    runner.send({ op: 'call', id: 4, run: 'r', node: 'x', data: [[1]] });
    expect(await runner.next()).toMatchObject({ id: 4, ok: true, output: [[1]] });
  });

  it('exits cleanly when its input closes', async () => {
    runner = new RunnerProcess();
    const exited = new Promise<number | null>((resolve) => runner!.child.on('exit', resolve));
    runner.child.stdin.end();
    expect(await exited).toBe(0);
  });

  it("passes the runner's own Python unit tests (its API as the browser calls it)", () => {
    const result = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', dirname(DEFAULT_RUNNER_PATH)], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(result.stderr).toMatch(/\nOK\s*$/);
    expect(result.status).toBe(0);
  });
});
