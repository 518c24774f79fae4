import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, loadConfig } from './config.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('uses the documented defaults, with SQLite in the data dir', () => {
    const dataDir = path.join(tempDir(), 'nested', 'data');
    const config = loadConfig({ PLINTH_DATA_DIR: dataDir });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', dataDir, maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
    expect(config.databaseUrl).toBe(`sqlite:${path.join(dataDir, 'plinth.db')}`);
    expect(config.clientDir).toMatch(/client\/dist$/);
  });

  it('resolves a relative data dir against the directory npm was started from', () => {
    const root = tempDir();
    expect(loadConfig({ INIT_CWD: root }).dataDir).toBe(path.join(root, '.plinth'));
    expect(loadConfig({ INIT_CWD: root, PLINTH_DATA_DIR: 'data' }).dataDir).toBe(path.join(root, 'data'));
  });

  it('generates the admin token once, mode 0600, and reuses it', () => {
    const dataDir = tempDir();
    const first = loadConfig({ PLINTH_DATA_DIR: dataDir });
    expect(first.adminTokenSource).toBe('generated');
    const file = path.join(dataDir, 'admin-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.adminToken);
    const second = loadConfig({ PLINTH_DATA_DIR: dataDir });
    expect(second).toMatchObject({ adminToken: first.adminToken, adminTokenSource: 'file' });
    const fromEnv = loadConfig({ PLINTH_DATA_DIR: dataDir, PLINTH_ADMIN_TOKEN: 'a-long-enough-token' });
    expect(fromEnv).toMatchObject({ adminToken: 'a-long-enough-token', adminTokenSource: 'env' });
  });

  it('refuses unusable settings with a message naming them', () => {
    const dataDir = tempDir();
    expect(() => loadConfig({ PLINTH_DATA_DIR: dataDir, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PLINTH_DATA_DIR: dataDir, PLINTH_MAX_BODY_BYTES: '-1' })).toThrow(
      /PLINTH_MAX_BODY_BYTES/,
    );
    expect(() => loadConfig({ PLINTH_DATA_DIR: dataDir, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(loadConfig({ PLINTH_DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@h/db' }).databaseUrl).toBe(
      'postgres://u@h/db',
    );
  });
});
