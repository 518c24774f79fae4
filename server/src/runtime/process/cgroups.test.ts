import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCgroups, PoolCgroups } from './cgroups.ts';

// A fake host: /proc/self/{cgroup,mountinfo} and a cgroupfs tree as plain files and directories.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'plinth-cgroupfs-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fakeHost(options: { unified: boolean; controllers: string; ownPath?: string }) {
  const mount = options.unified ? '/sys/fs/cgroup' : '/sys/fs/cgroup/unified';
  mkdirSync(join(root, 'proc/self'), { recursive: true });
  writeFileSync(
    join(root, 'proc/self/mountinfo'),
    [
      '22 1 0:21 / / rw,relatime - ext4 /dev/vda rw',
      `30 22 0:27 / ${mount} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate`,
      ...(options.unified ? [] : ['31 22 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory']),
    ].join('\n'),
  );
  const own = options.ownPath ?? '/system.slice/plinth.service';
  writeFileSync(join(root, 'proc/self/cgroup'), `${options.unified ? '' : '4:memory:/\n'}0::${own}\n`);
  const dir = join(root, mount, own);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cgroup.controllers'), options.controllers);
  writeFileSync(join(dir, 'cgroup.subtree_control'), '');
  writeFileSync(join(dir, 'cgroup.procs'), `${process.pid}\n`);
  return dir;
}

describe('detectCgroups', () => {
  it('says plainly that a hybrid host (controllers in cgroup v1) has none to give', () => {
    fakeHost({ unified: false, controllers: 'hugetlb' });
    const support = detectCgroups(undefined, root);
    expect(support).toEqual({
      available: false,
      reason: expect.stringMatching(/lacks the memory and cpu controllers/),
    });
  });

  it('says so when there is no cgroup v2 hierarchy at all', () => {
    mkdirSync(join(root, 'proc/self'), { recursive: true });
    writeFileSync(join(root, 'proc/self/cgroup'), '4:memory:/\n');
    writeFileSync(
      join(root, 'proc/self/mountinfo'),
      '31 22 0:28 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n',
    );
    expect(detectCgroups(undefined, root)).toEqual({ available: false, reason: expect.stringMatching(/no cgroup v2/) });
  });

  it('uses a delegated own cgroup: moves the server into a leaf and enables the controllers below', () => {
    const dir = fakeHost({ unified: true, controllers: 'cpuset cpu io memory pids' });
    expect(detectCgroups(undefined, root)).toEqual({ available: true, root: dir });
    expect(readFileSync(join(dir, 'plinth-server/cgroup.procs'), 'utf8')).toBe(String(process.pid));
    expect(readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu +pids');
  });

  it('refuses a PLINTH_CGROUP_ROOT it cannot use, naming the setting', () => {
    fakeHost({ unified: true, controllers: 'cpu pids' });
    expect(() => detectCgroups('/sys/fs/cgroup/system.slice/plinth.service', root)).toThrow(
      /PLINTH_CGROUP_ROOT=.*lacks the memory controller/,
    );
  });
});

describe('PoolCgroups', () => {
  it("gives a pool one cgroup with its limits, holds its workers' pids, and removes it after the last", () => {
    const dir = fakeHost({ unified: true, controllers: 'cpu memory pids' });
    const pools = new PoolCgroups(dir, { memoryBytes: 2 * 1024 ** 3, cpus: 1.5, maxProcesses: 72 });
    const leaveFirst = pools.enter('graph@v1', 4242);
    const [group] = readdirSync(dir).filter((name) => name.startsWith('pool-'));
    const groupDir = join(dir, group!);
    expect(group).toMatch(/^pool-\d+-graph_v1$/);
    expect(readFileSync(join(groupDir, 'memory.max'), 'utf8')).toBe(String(2 * 1024 ** 3));
    expect(readFileSync(join(groupDir, 'cpu.max'), 'utf8')).toBe('150000 100000');
    expect(readFileSync(join(groupDir, 'cgroup.procs'), 'utf8')).toBe('4242');
    const leaveSecond = pools.enter('graph@v1', 4343);
    expect(readdirSync(dir).filter((name) => name.startsWith('pool-'))).toHaveLength(1);
    leaveFirst();
    expect(existsSync(groupDir)).toBe(true);
    // A real cgroupfs directory with no processes is empty; the fake one still has its files.
    for (const file of ['memory.max', 'cpu.max', 'cgroup.procs']) rmSync(join(groupDir, file));
    leaveSecond();
    expect(existsSync(groupDir)).toBe(false);
  });
});
