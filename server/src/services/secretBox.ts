import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../settings.ts';

const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals secret values with AES-256-GCM under a key kept apart from the database: `PLINTH_SECRET_KEY`
 * (32 bytes as 64 hex digits or base64), else `<data dir>/secret-key` (mode 0600), made on first start.
 * A copy of the database alone reveals nothing.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromSettings(env: NodeJS.ProcessEnv, dataDir: string): SecretBox {
    const raw = env.PLINTH_SECRET_KEY?.trim();
    if (raw) return new SecretBox(decodeKey(raw, 'PLINTH_SECRET_KEY'));
    const file = path.join(dataDir, 'secret-key');
    if (existsSync(file)) return new SecretBox(decodeKey(readFileSync(file, 'utf8').trim(), file));
    const key = randomBytes(32);
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    return new SecretBox(key);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plaintext; throws when the value was sealed under another key (or tampered with). */
  open(sealed: string): string {
    const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

function decodeKey(raw: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) {
    throw new ConfigError(
      `${where} must hold a 32-byte key, as 64 hex digits or base64 (e.g. \`openssl rand -hex 32\`)`,
    );
  }
  return key;
}
