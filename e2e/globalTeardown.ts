import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Remove the run's temporary data dir (made fresh by playwright.config.ts). */
export default function globalTeardown(): void {
  const dir = process.env.PLINTH_E2E_DATA_DIR;
  if (dir !== undefined && path.dirname(dir) === tmpdir() && path.basename(dir).startsWith('plinth-e2e-')) {
    rmSync(dir, { recursive: true, force: true });
  }
}
