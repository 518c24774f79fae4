import { parseTarGzip } from 'nanotar';
import { describe, expect, it } from 'vitest';
import { isTarGz, packFolder } from './packModel.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('packFolder', () => {
  it('packs a dropped folder with config.yaml at the top, leaving out caches and .git', async () => {
    const packed = await packFolder([
      { path: 'shouty/config.yaml', data: text('model_name: shouty\n') },
      { path: 'shouty/model/model.py', data: text('class Model: ...\n') },
      { path: 'shouty/model/__pycache__/model.cpython-313.pyc', data: text('junk') },
      { path: 'shouty/.git/HEAD', data: text('ref') },
      { path: 'shouty/data/weights.bin', data: new Uint8Array([0, 1, 2, 255]) },
    ]);
    if (!packed.ok) throw new Error(packed.problems.join('\n'));
    expect(packed.label).toBe('shouty (3 files)');
    const files = await parseTarGzip(packed.archive);
    expect(files.map((f) => f.name).sort()).toEqual(['config.yaml', 'data/weights.bin', 'model/model.py']);
    expect(files.find((f) => f.name === 'config.yaml')?.text).toBe('model_name: shouty\n');
    expect([...(files.find((f) => f.name === 'data/weights.bin')?.data ?? [])]).toEqual([0, 1, 2, 255]);
  });

  it('names each path too long for the tar format instead of cutting it short', async () => {
    const long = `data/${'w'.repeat(120)}.bin`;
    const packed = await packFolder([
      { path: 'm/config.yaml', data: text('x') },
      { path: `m/${long}`, data: text('x') },
    ]);
    expect(packed).toEqual({
      ok: false,
      problems: [expect.stringContaining(`${long}: the path is longer than 100 bytes`)],
    });
  });

  it('refuses an empty folder, saying what a model needs', async () => {
    expect(await packFolder([{ path: 'm/.DS_Store', data: text('') }])).toEqual({
      ok: false,
      problems: ['The folder is empty: a model needs config.yaml and model/model.py.'],
    });
  });

  it('knows a .tar.gz or .tgz by its name', () => {
    expect(isTarGz('churn.tar.gz')).toBe(true);
    expect(isTarGz('churn.TGZ')).toBe(true);
    expect(isTarGz('churn.zip')).toBe(false);
  });
});
