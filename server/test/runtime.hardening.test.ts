import { afterAll, describe, expect, it } from 'vitest';
import { chainGraph, freshKey, py, testRuntime } from './runtimeFixtures.ts';

// numpy and scikit-learn map more than the test runtime's usual 512 MB of address space.
const runtime = testRuntime({ tmpMb: 16, shmMb: 8, memoryLimitMb: 1024 });
afterAll(() => runtime.close());

async function runProbe(name: string, code: string, input: unknown = null) {
  const graph = chainGraph(name, [{ id: 'probe', code, timeoutMs: 20_000 }]);
  const trace = await runtime.run({ poolKey: freshKey(name), graph, input: input as never, version: null });
  expect(trace.error, JSON.stringify(trace.error)).toBeNull();
  return trace.output as Record<string, unknown>;
}

// Each call returns 'ok' or the errno's name, as a node would see it through ctypes.
const SYSCALLS = py(
  'import ctypes, errno, os',
  'libc = ctypes.CDLL(None, use_errno=True)',
  'def outcome(result):',
  "    return 'ok' if result == 0 else errno.errorcode[ctypes.get_errno()]",
  'def process(data, ctx):',
  '    return {',
  "        'ptrace_pid1': outcome(libc.ptrace(16, 1, None, None)),  # PTRACE_ATTACH",
  "        'unshare_user': outcome(libc.unshare(0x10000000)),  # CLONE_NEWUSER",
  "        'unshare_net': outcome(libc.unshare(0x40000000)),  # CLONE_NEWNET",
  "        'mount': outcome(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)),",
  "        'keyctl': outcome(libc.syscall(250, 0, 0, 0, 0, 0)),  # keyctl(GET_KEYRING_ID)",
  "        'bpf': outcome(libc.syscall(321, 0, None, 0)),",
  "        'userfaultfd': outcome(libc.syscall(323, 0)),",
  "        'perf_event_open': outcome(libc.syscall(298, None, 0, -1, -1, 0)),",
  "        'clone3': outcome(libc.syscall(435, None, 0)),",
  '    }',
);

describe('the system-call filter', () => {
  it('denies ptrace of the sandbox, namespaces, mounts and the kernel interfaces exploits use', async () => {
    expect(await runProbe('syscalls', SYSCALLS)).toEqual({
      ptrace_pid1: 'EPERM',
      unshare_user: 'EPERM',
      unshare_net: 'EPERM',
      mount: 'EPERM',
      keyctl: 'EPERM',
      bpf: 'EPERM',
      userfaultfd: 'EPERM',
      perf_event_open: 'EPERM',
      clone3: 'ENOSYS', // so glibc falls back to clone, whose flags the filter can read
    });
  });

  it('leaves ordinary Python alone: threads, subprocesses, asyncio, numpy and scikit-learn', async () => {
    const out = await runProbe(
      'ordinary',
      py(
        'import asyncio, subprocess, threading',
        'from concurrent.futures import ThreadPoolExecutor',
        'import numpy, sklearn.linear_model',
        'def process(data, ctx):',
        '    with ThreadPoolExecutor(4) as pool:',
        '        squares = list(pool.map(lambda x: x * x, range(8)))',
        "    true = subprocess.run(['/bin/true']).returncode",
        "    echoed = subprocess.run(['/bin/echo', 'hi'], capture_output=True, text=True).stdout.strip()",
        '    async def main():',
        '        await asyncio.sleep(0)',
        "        return 'async'",
        '    model = sklearn.linear_model.LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1])',
        '    return {',
        "        'threads': squares, 'true': true, 'echo': echoed, 'asyncio': asyncio.run(main()),",
        "        'numpy': float(numpy.arange(4).sum()), 'sklearn': int(model.predict([[3]])[0]),",
        "        'thread_alive': threading.active_count() >= 1,",
        '    }',
      ),
    );
    expect(out).toEqual({
      threads: [0, 1, 4, 9, 16, 25, 36, 49],
      true: 0,
      echo: 'hi',
      asyncio: 'async',
      numpy: 6,
      sklearn: 1,
      thread_alive: true,
    });
  });
});

describe("the sandbox's memory outside the heap", () => {
  const FILL = py(
    'def process(path, ctx):',
    '    written = 0',
    '    try:',
    "        with open(path, 'wb') as f:",
    '            for _ in range(64):',
    "                f.write(b'x' * (1 << 20))",
    '                f.flush()',
    '                written += 1',
    '    except OSError as e:',
    "        return {'mb': written, 'error': type(e).__name__}",
    "    return {'mb': written, 'error': None}",
  );

  it('caps /dev/shm (PLINTH_WORKER_SHM_MB)', async () => {
    const out = await runProbe('shm', FILL, '/dev/shm/fill');
    expect(out.error).toBe('OSError'); // ENOSPC once the 8 MiB are used
    expect(out.mb).toBeLessThanOrEqual(8);
  });

  it('keeps the rest of /dev read-only, so it holds no files', async () => {
    const out = await runProbe('dev', FILL, '/dev/fill');
    expect(out).toEqual({ mb: 0, error: 'OSError' });
  });
});
