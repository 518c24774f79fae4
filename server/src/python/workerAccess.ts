import { chmodSync, chownSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PlinthError } from '@plinth/shared';

const NOBODY = 65534;

/**
 * When the server runs as root its sandboxes run as nobody (see sandboxCommand.ts), and bwrap,
 * as nobody, must be able to walk to a venv to mount it. The data dir is private (0700), so it
 * is handed to group nogroup with search-only permission (0710: pass through, never list);
 * any other directory on the way must already let nobody pass, or this says which does not.
 */
export function makeReachableByWorkers(dir: string, dataDir: string, log: (message: string) => void): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() !== 0) return;
  chmodSync(dir, 0o755);
  const data = statSync(dataDir);
  if (!passable(data)) {
    chownSync(dataDir, data.uid, NOBODY);
    chmodSync(dataDir, (data.mode & 0o7777) | 0o010);
    log(`${dataDir}: group nogroup may now pass through (mode 0710), so sandboxed builds and workers reach venvs/`);
  }
  for (let current = path.dirname(dataDir); ; current = path.dirname(current)) {
    if (!passable(statSync(current))) {
      throw new PlinthError(
        'sandbox_unavailable',
        `virtualenvs live in ${dir}, but sandboxed processes run as nobody and cannot pass through ${current}. ` +
          'Set PLINTH_DATA_DIR to a directory whose parents everyone may enter (such as /var/lib/plinth).',
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function passable(stat: { mode: number; gid: number }): boolean {
  return (stat.mode & 0o001) !== 0 || (stat.gid === NOBODY && (stat.mode & 0o010) !== 0);
}
