import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { extract, list, type ReadEntry } from 'tar';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { PlinthError, readModelConfig, type ModelConfig, type Problem } from '@plinth/shared';

/** An uploaded package, unpacked into `dir` and read; it may be deployed when `problems` is empty. */
export interface UnpackedPackage {
  dir: string;
  /** The archive was safe and is unpacked (its files can be checked). */
  readable: boolean;
  config: ModelConfig | null;
  problems: Problem[];
}

/** Entry types a package may hold; links and devices are refused. */
const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory']);

/** Writes an upload to `file`, refusing more than `limit` bytes with 413 (setting PLINTH_MODEL_MAX_BYTES). */
export async function receiveUpload(body: Readable, file: string, limit: number): Promise<void> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) done(tooLarge(limit, 'uploaded'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(file));
  } catch (error) {
    if (error instanceof PlinthError) {
      body.resume(); // let the client finish sending, so it can read our 413
      throw error;
    }
    throw new PlinthError('bad_request', `the upload could not be read: ${(error as Error).message}`);
  }
}

/**
 * Checks an archive's entries without unpacking it (absolute paths, `..`, links, devices, total
 * size), then unpacks it into `dir` and reads config.yaml. One top-level folder (`tar czf x.tgz
 * my-model/`) is stripped. Nothing of the package runs here.
 */
export async function unpackPackage(archive: string, dir: string, limit: number): Promise<UnpackedPackage> {
  const listing = await listArchive(archive, limit);
  if (listing.tooLarge) throw tooLarge(limit, 'unpacked');
  if (listing.problems.length > 0) return { dir, readable: false, config: null, problems: listing.problems };
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await extract({
    file: archive,
    cwd: dir,
    strip: listing.strip,
    preserveOwner: false,
    // Readable by the sandbox's user whatever the archive says; never executable bits from outside.
    filter: (_path, entry) => ALLOWED_TYPES.has((entry as ReadEntry).type),
  });
  await readableByAll(dir);
  return { dir, readable: true, ...(await readConfig(dir)) };
}

interface Listing {
  problems: Problem[];
  strip: number;
  tooLarge: boolean;
}

function listArchive(archive: string, limit: number): Promise<Listing> {
  const problems: Problem[] = [];
  const paths: string[] = [];
  let total = 0;
  let over = false;
  return new Promise((resolve) => {
    const input = createReadStream(archive);
    const finish = () => resolve({ problems, strip: commonFolder(paths) ? 1 : 0, tooLarge: over });
    const parser = list({
      onReadEntry: (entry: ReadEntry) => {
        const where = entry.path;
        paths.push(where);
        if (where.startsWith('/') || /^[A-Za-z]:/.test(where)) {
          problems.push({
            path: where,
            message: 'an absolute path; archive the package with paths relative to its folder',
          });
        } else if (where.split('/').includes('..')) {
          problems.push({ path: where, message: 'a path with ".." that would land outside the package' });
        }
        if (!ALLOWED_TYPES.has(entry.type)) {
          const what = entry.type === 'SymbolicLink' || entry.type === 'Link' ? 'a link' : `a ${entry.type}`;
          problems.push({
            path: where,
            message: `${what}; a package holds only files and folders (copy the file in instead)`,
          });
        }
        total += entry.size ?? 0;
        if (total > limit && !over) {
          over = true;
          input.destroy();
          finish();
        }
        entry.resume();
      },
    });
    parser.on('error', (error: Error) => {
      problems.push({ path: '(archive)', message: `not a readable .tar.gz: ${error.message}` });
      finish();
    });
    parser.on('end', finish);
    input.pipe(parser);
  });
}

/** Whether every entry sits in one top-level folder (and config.yaml is not at the top). */
function commonFolder(paths: string[]): boolean {
  const tops = new Set(paths.map((p) => p.replace(/^\.\//, '').split('/')[0]).filter((t) => t !== '' && t !== '.'));
  if (tops.size !== 1) return false;
  return !paths.some((p) => p.replace(/^\.\//, '') === 'config.yaml');
}

async function readConfig(dir: string): Promise<{ config: ModelConfig | null; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(path.join(dir, 'config.yaml'), 'utf8');
  } catch {
    return {
      config: null,
      problems: [{ path: 'config.yaml', message: 'config.yaml is missing at the top of the package (next to model/)' }],
    };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const line = error instanceof YAMLParseError ? error.linePos?.[0]?.line : undefined;
    const message = (error as Error).message.split('\n')[0] ?? 'not YAML';
    return {
      config: null,
      problems: [{ path: line ? `config.yaml:${line}` : 'config.yaml', message: `not valid YAML: ${message}` }],
    };
  }
  const read = readModelConfig(raw);
  const problems = [...read.problems];
  if (read.config) {
    const config = read.config;
    if (config.requirementsFile) {
      try {
        config.requirements = parseRequirements(await readFile(path.join(dir, config.requirementsFile), 'utf8'));
      } catch {
        problems.push({
          path: `config.yaml: requirements_file`,
          message: `${config.requirementsFile} is not in the package`,
        });
      }
    }
    for (const folder of config.externalPackageDirs) {
      if (!(await isDir(path.join(dir, folder)))) {
        problems.push({
          path: 'config.yaml: external_package_dirs',
          message: `${folder} is not a folder of the package`,
        });
      }
    }
  }
  return { config: read.config, problems };
}

function parseRequirements(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'));
}

/** Folders 0755 and files 0644, whatever the archive or the umask said: the sandbox's user reads them. */
async function readableByAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    await chmod(full, entry.isDirectory() ? 0o755 : 0o644);
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function removeQuietly(p: string): Promise<void> {
  await rm(p, { recursive: true, force: true }).catch(() => undefined);
}

function tooLarge(limit: number, what: 'uploaded' | 'unpacked'): PlinthError {
  return new PlinthError(
    'payload_too_large',
    `the model package is larger than ${limit} bytes ${what}; the server's PLINTH_MODEL_MAX_BYTES setting changes it`,
    { limit, setting: 'PLINTH_MODEL_MAX_BYTES' },
  );
}
