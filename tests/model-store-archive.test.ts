import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveLimits } from '../src/model-store/import-limits';
import type { ModelFiles } from '../src/model-store/model-files';
import { readSelectedFiles, type SelectedFile } from '../src/model-store/read-selected-files';
import { unzipModelArchive } from '../src/model-store/unzip-model-archive';
import { makeTinyExport, useWasm } from './model-store-helpers';

/** A selected file backed by bytes, counting how often its content was read. */
function selected(name: string, bytes: Uint8Array): SelectedFile & { reads: number } {
  const file = {
    name,
    size: bytes.byteLength,
    reads: 0,
    async arrayBuffer(): Promise<ArrayBuffer> {
      file.reads += 1;
      return bytes.slice().buffer as ArrayBuffer;
    },
  };
  return file;
}

/** A selected file that claims `size` bytes and fails the test if anything reads it. */
function hugeFile(name: string, size: number): SelectedFile {
  return {
    name,
    size,
    arrayBuffer: () => Promise.reject(new Error(`${name} was read although its size is over the limit`)),
  };
}

function zipOf(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6 });
}

/**
 * Rewrites the uncompressed size of every entry in both the local headers and the central
 * directory (APPNOTE 4.3.7 and 4.3.12), the way a zip bomb hides its real size.
 */
function lieAboutSizes(archive: Uint8Array, declaredBytes: number): Uint8Array {
  const patched = archive.slice();
  const view = new DataView(patched.buffer);
  for (let offset = 0; offset + 4 <= patched.byteLength; offset++) {
    const signature = view.getUint32(offset, true);
    if (signature === 0x04034b50) {
      view.setUint32(offset + 22, declaredBytes, true);
    } else if (signature === 0x02014b50) {
      view.setUint32(offset + 24, declaredBytes, true);
    }
  }
  return patched;
}

describe('readSelectedFiles', () => {
  let files: ModelFiles;

  beforeAll(async () => {
    await useWasm();
    files = await makeTinyExport();
  });

  it('reads loose export files', async () => {
    const selection = [...files].map(([path, bytes]) => selected(path, bytes));

    const read = await readSelectedFiles(selection);

    expect([...read.keys()].sort()).toEqual([...files.keys()].sort());
    expect(read.get('model.json')).toEqual(files.get('model.json'));
  });

  it('reads a zip with a top folder', async () => {
    const archive = zipOf(Object.fromEntries([...files].map(([path, bytes]) => [`classifier/${path}`, bytes])));

    const read = await readSelectedFiles([selected('export.zip', archive)]);

    expect([...read.keys()].sort()).toEqual([...files.keys()].sort());
    expect(read.get('group1-shard1of1.bin')).toEqual(files.get('group1-shard1of1.bin'));
  });

  it('ignores macOS resource forks', async () => {
    const archive = zipOf({ ...Object.fromEntries(files), '__MACOSX/._model.json': new Uint8Array(10), '.DS_Store': new Uint8Array(4) });

    const read = await readSelectedFiles([selected('export.zip', archive)]);

    expect([...read.keys()].sort()).toEqual([...files.keys()].sort());
  });

  it('rejects a 2 GB archive unread', async () => {
    await expect(readSelectedFiles([hugeFile('huge.zip', 2 * 1024 ** 3)])).rejects.toMatchObject({ problem: 'too-large', message: expect.stringContaining('2048.0 MiB') });
  });

  it('rejects a 2 GB shard unread', async () => {
    const selection = [selected('model.json', files.get('model.json') as Uint8Array), hugeFile('group1-shard1of1.bin', 2 * 1024 ** 3)];

    await expect(readSelectedFiles(selection)).rejects.toMatchObject({ problem: 'too-large' });
  });

  it('rejects an empty selection', async () => {
    await expect(readSelectedFiles([])).rejects.toMatchObject({ problem: 'missing-file' });
  });

  it('rejects a zip mixed with files', async () => {
    const selection = [selected('export.zip', zipOf({ 'model.json': new Uint8Array(2) })), selected('card.json', new Uint8Array(2))];

    await expect(readSelectedFiles(selection)).rejects.toMatchObject({ problem: 'invalid-archive' });
  });

  it('rejects too many files', async () => {
    const selection = Array.from({ length: 40 }, (_, i) => selected(`shard${i}.bin`, new Uint8Array(1)));

    await expect(readSelectedFiles(selection)).rejects.toMatchObject({ problem: 'too-many-files' });
  });

  it('rejects a file that is not a zip', async () => {
    const bytes = new TextEncoder().encode('this is a text file renamed to .zip');

    await expect(readSelectedFiles([selected('export.zip', bytes)])).rejects.toMatchObject({ problem: 'invalid-archive' });
  });

  it('rejects a truncated zip', async () => {
    const archive = zipOf(Object.fromEntries(files));

    await expect(readSelectedFiles([selected('export.zip', archive.slice(0, archive.byteLength / 2))])).rejects.toMatchObject({ problem: 'invalid-archive' });
  });

  it('rejects a zip without model.json', async () => {
    const archive = zipOf({ 'card.json': files.get('card.json') as Uint8Array });

    await expect(readSelectedFiles([selected('export.zip', archive)])).rejects.toMatchObject({ problem: 'missing-file' });
  });

  it('rejects a zip with two models', async () => {
    const archive = zipOf({ 'a/model.json': new Uint8Array(2), 'b/model.json': new Uint8Array(2) });

    await expect(readSelectedFiles([selected('export.zip', archive)])).rejects.toMatchObject({ problem: 'invalid-archive' });
  });

  it('rejects a path that leaves the folder', async () => {
    const archive = zipOf({ 'model.json': new Uint8Array(2), '../evil.bin': new Uint8Array(2) });

    await expect(readSelectedFiles([selected('export.zip', archive)])).rejects.toMatchObject({ problem: 'invalid-archive', message: expect.stringContaining('../evil.bin') });
  });
});

describe('unzipModelArchive zip bombs', () => {
  const limits = resolveLimits({ maxModelBytes: 1024 * 1024 });

  it('rejects by declared size before inflating', () => {
    const archive = zipOf({ 'model.json': new Uint8Array(2), 'group1-shard1of1.bin': new Uint8Array(4 * 1024 * 1024) });
    // 4 MiB of zeros deflate to a few kB, so the archive itself is far under any limit.
    expect(archive.byteLength).toBeLessThan(20_000);

    expect(() => unzipModelArchive(archive, 'bomb.zip', limits)).toThrowError(/declares 4\.0 MiB/);
  });

  it('rejects by inflated size when the sizes lie', () => {
    const archive = lieAboutSizes(zipOf({ 'model.json': new Uint8Array(2), 'group1-shard1of1.bin': new Uint8Array(4 * 1024 * 1024) }), 100);

    expect(() => unzipModelArchive(archive, 'bomb.zip', limits)).toThrowError(/inflates to more than 1\.0 MiB/);
  });
});
