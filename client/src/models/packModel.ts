/**
 * Turns what a person drops or picks (a model folder, or a ready .tar.gz) into the one
 * .tar.gz body the server's upload takes. A folder is packed here, in the browser.
 */
import { createTar } from 'nanotar';

/** One file of a picked or dropped folder, with its path inside that folder's parent. */
export interface PickedFile {
  /** `my-model/model/model.py`: the folder's own name first, as webkitRelativePath gives it. */
  path: string;
  data: Uint8Array;
}

/** What to upload, or why it cannot be. */
export type Packed = { ok: true; archive: Uint8Array; label: string } | { ok: false; problems: string[] };

// ustar keeps a name in 100 bytes; nanotar would cut a longer one short without a word.
const MAX_TAR_NAME_BYTES = 100;
// Left out of a folder as `git` and editors leave them: never part of a model.
const SKIPPED = /(^|\/)(\.git|\.DS_Store|__pycache__|\.ipynb_checkpoints)(\/|$)/;

export function isTarGz(name: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(name);
}

/**
 * Packs a folder's files into a .tar.gz with paths relative to the folder (config.yaml at the
 * top), leaving out `.git`, `__pycache__` and the like; problems name each file that cannot go.
 */
export async function packFolder(files: readonly PickedFile[]): Promise<Packed> {
  const kept = files.filter((f) => !SKIPPED.test(f.path));
  if (kept.length === 0)
    return { ok: false, problems: ['The folder is empty: a model needs config.yaml and model/model.py.'] };
  const folder = commonFolder(kept.map((f) => f.path));
  const encoder = new TextEncoder();
  const problems: string[] = [];
  const entries = kept.map((f) => {
    const name = folder === null ? f.path : f.path.slice(folder.length + 1);
    if (encoder.encode(name).length > MAX_TAR_NAME_BYTES)
      problems.push(
        `${name}: the path is longer than ${MAX_TAR_NAME_BYTES} bytes; shorten it or upload a .tar.gz made with tar`,
      );
    return { name, data: f.data, attrs: { mode: '644' } };
  });
  if (problems.length > 0) return { ok: false, problems };
  const archive = await gzip(endOfArchive(createTar(entries)));
  return { ok: true, archive, label: `${folder ?? 'folder'} (${kept.length} files)` };
}

/**
 * nanotar pads to 10 KiB records but leaves out the two zero blocks that end an archive when the
 * entries fill the last record exactly (the server's reader copes; stricter ones may not). Two more
 * zero blocks after the end are always harmless.
 */
function endOfArchive(tar: Uint8Array): Uint8Array<ArrayBuffer> {
  const ended = new Uint8Array(tar.length + 2 * 512);
  ended.set(tar);
  return ended;
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const stream = source.pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The one top-level folder every path sits in, if there is one. */
function commonFolder(paths: readonly string[]): string | null {
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0] : null)));
  if (tops.size !== 1) return null;
  const [top] = [...tops];
  return top ?? null;
}

/** The files of `<input type=file webkitdirectory>`. */
export async function filesFromInput(list: FileList): Promise<PickedFile[]> {
  return Promise.all(
    [...list].map(async (file) => ({
      path: file.webkitRelativePath || file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}

/**
 * What was dropped: one .tar.gz file, or the files of a folder (walked with webkitGetAsEntry).
 * Read synchronously from the DataTransfer first: the browser empties it once the handler returns.
 */
export async function readDrop(
  items: DataTransferItemList,
): Promise<
  { kind: 'archive'; file: File } | { kind: 'folder'; files: PickedFile[] } | { kind: 'none'; problem: string }
> {
  const dropped = [...items].filter((item) => item.kind === 'file');
  const entries = dropped.map((item) => item.webkitGetAsEntry());
  const files = dropped.map((item) => item.getAsFile());
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only?.isDirectory) return { kind: 'folder', files: await walk(only as FileSystemDirectoryEntry, '') };
  const file = files.length === 1 ? files[0] : undefined;
  if (file != null && isTarGz(file.name)) return { kind: 'archive', file };
  return {
    kind: 'none',
    problem:
      file != null
        ? `${file.name} is neither a folder nor a .tar.gz: drop the model's folder (with config.yaml and model/model.py) or a .tar.gz of it.`
        : 'Drop one model folder (with config.yaml and model/model.py) or one .tar.gz of it.',
  };
}

async function walk(dir: FileSystemDirectoryEntry, parent: string): Promise<PickedFile[]> {
  const prefix = `${parent}${dir.name}/`;
  const out: PickedFile[] = [];
  for (const entry of await readAllEntries(dir)) {
    if (entry.isDirectory) out.push(...(await walk(entry as FileSystemDirectoryEntry, prefix)));
    else if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ path: `${prefix}${entry.name}`, data: new Uint8Array(await file.arrayBuffer()) });
    }
  }
  return out;
}

/** readEntries answers in batches (100 at a time in Chromium) until it answers none. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}
