import { spawnSync } from 'node:child_process';
import { PlinthError } from '@plinth/shared';

/**
 * System calls a worker never needs and an escape would: debugging other processes, mounts and
 * namespaces, kernel keyrings, BPF, userfaultfd (a classic exploit aid), perf, io_uring (which
 * bypasses this filter), module and kexec loading, swap, reboot, clocks and raw handles. Modelled
 * on Docker's default profile; each fails with EPERM, as it would without the privilege.
 */
export const DENIED_SYSCALLS = [
  'ptrace',
  'process_vm_readv',
  'process_vm_writev',
  'kcmp',
  'pidfd_getfd',
  'mount',
  'umount2',
  'pivot_root',
  'chroot',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'move_mount',
  'open_tree',
  'mount_setattr',
  'unshare',
  'setns',
  'keyctl',
  'add_key',
  'request_key',
  'bpf',
  'userfaultfd',
  'perf_event_open',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'kexec_load',
  'kexec_file_load',
  'init_module',
  'finit_module',
  'delete_module',
  'swapon',
  'swapoff',
  'reboot',
  'acct',
  'quotactl',
  'syslog',
  'open_by_handle_at',
  'name_to_handle_at',
  'lookup_dcookie',
  'iopl',
  'ioperm',
  'settimeofday',
  'clock_settime',
  'clock_adjtime',
  'sethostname',
  'setdomainname',
  'uselib',
  'ustat',
  'sysfs',
  'vhangup',
] as const;

/** clone() flags that create namespaces (CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET). */
const NAMESPACE_CLONE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

/**
 * Builds the filter with libseccomp's own Python binding (Debian's python3-seccomp), so the BPF is
 * the library's, for this machine's architecture; system calls of another ABI (32-bit, x32) kill.
 * clone3 answers ENOSYS: its flags sit behind a pointer a filter cannot read, and glibc then falls
 * back to clone, whose flags it can.
 */
const GENERATOR = `
import errno, sys, seccomp
f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
for name in sys.argv[2].split(","):
    try:
        f.add_rule(seccomp.ERRNO(errno.EPERM), name)
    except (RuntimeError, ValueError, OSError):
        pass  # not a system call of this kernel's architecture
f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
for flag in map(int, sys.argv[3].split(",")):
    f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
with open(sys.argv[1], "wb") as out:
    f.export_bpf(out)
`;

/** The Python that has Debian's python3-seccomp; PLINTH_PYTHON may be another that lacks it. */
const SECCOMP_PYTHON = '/usr/bin/python3';

/** Writes the workers' seccomp filter as BPF to `path` (once per server start). */
export function writeSeccompFilter(path: string): void {
  const args: string[] = [
    '-I',
    '-c',
    GENERATOR,
    path,
    (DENIED_SYSCALLS as readonly string[]).join(','),
    NAMESPACE_CLONE_FLAGS.join(','),
  ];
  const result = spawnSync(SECCOMP_PYTHON, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) {
    const said = (result.error?.message ?? result.stderr).trim().split('\n').slice(-1)[0];
    throw new PlinthError(
      'sandbox_unavailable',
      `could not build the workers' seccomp filter with ${SECCOMP_PYTHON} (${said}). Install libseccomp's ` +
        'Python binding (Debian/Ubuntu: `sudo apt-get install python3-seccomp`), or set PLINTH_SECCOMP=off ' +
        'to run workers without a system-call filter.',
    );
  }
}
