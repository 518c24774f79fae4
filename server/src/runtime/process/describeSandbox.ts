import { DENIED_SYSCALLS } from './seccomp.ts';
import type { RuntimeOptions } from './runtimeOptions.ts';

/**
 * One line for the server's start-up banner saying which limits are in force, e.g.
 * `sandbox: bwrap · seccomp: 52 syscalls denied · network: slirp4netns, egress filtered (allow: none) ·
 * cgroups: not available (...) · rlimits: 1024 MB memory, 600 s CPU, 32 processes, ...`.
 */
export function describeSandbox(options: RuntimeOptions): string {
  const { network, cgroups } = options;
  const parts = [
    `sandbox: ${options.sandbox === 'bwrap' ? 'bwrap' : 'NONE (PLINTH_UNSAFE_NO_SANDBOX=1)'}`,
    `seccomp: ${options.seccompFilter ? `${DENIED_SYSCALLS.length} syscalls denied` : 'off'}`,
    network.available
      ? `network: slirp4netns, egress filtered (allow: ${network.allow.join(', ') || 'none'})`
      : `network: not available (${network.reason})`,
    cgroups.available ? `cgroups: v2 under ${cgroups.root}` : `cgroups: not available (${cgroups.reason})`,
    `rlimits: ${options.memoryLimitMb} MB memory, ${options.cpuSeconds} s CPU, ${options.maxProcesses} processes, ` +
      `${Math.round(options.maxFileBytes / 1024 / 1024)} MiB files, /tmp ${options.tmpMb} MiB, /dev/shm ${options.shmMb} MiB`,
  ];
  return parts.join(' · ');
}
