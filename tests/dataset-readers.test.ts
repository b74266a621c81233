import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetLayoutError, detectLayout, readDataset } from '../training/data/read-dataset';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dataset-readers-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Returns the video id a reader gives a file below `root`. */
function id(layout: string, relative: string): string {
  return `${layout}:${path.basename(root)}/${relative}`;
}

/** Creates empty files (readers only list them) below `root`. */
async function touch(...relativePaths: string[]): Promise<void> {
  for (const relative of relativePaths) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), '');
  }
}

describe('FaceForensics++ reader', () => {
  it('labels originals real and manipulations fake with both identities', async () => {
    await touch(
      'original_sequences/youtube/c40/videos/183.mp4',
      'original_sequences/youtube/c40/videos/253.mp4',
      'original_sequences/actors/c40/videos/01__kitchen_pan.mp4',
      'manipulated_sequences/Deepfakes/c40/videos/183_253.mp4',
      'manipulated_sequences/DeepFakeDetection/c40/videos/01_02__kitchen_pan__ABC123.mp4',
      'manipulated_sequences/Deepfakes/masks/videos/183_253.mp4',
    );
    expect(await detectLayout(root)).toBe('ffpp');
    const listing = await readDataset(root);

    expect(listing.items).toHaveLength(5);
    const swap = listing.items.find((item) => item.videoId === id('ffpp', 'manipulated_sequences/Deepfakes/c40/videos/183_253.mp4'));
    expect(swap?.label).toBe(1);
    expect(swap?.method).toBe('Deepfakes');
    expect(swap?.identities).toEqual(['ffpp:youtube:183', 'ffpp:youtube:253']);
    const actorSwap = listing.items.find((item) => item.method === 'DeepFakeDetection');
    expect(actorSwap?.identities).toEqual(['ffpp:actor:01', 'ffpp:actor:02']);
    const original = listing.items.find((item) => item.videoId.endsWith('/183.mp4'));
    expect(original?.label).toBe(0);
    expect(original?.method).toBe('real');
  });

  it('filters compressions and reports unparsable fakes', async () => {
    await touch(
      'original_sequences/youtube/c23/videos/001.mp4',
      'original_sequences/youtube/c40/videos/001.mp4',
      'manipulated_sequences/Face2Face/c40/videos/weird-name.mp4',
    );
    const listing = await readDataset(root, { ffpp: { compressions: ['c40'] } });
    expect(listing.items.map((item) => item.videoId)).toEqual([id('ffpp', 'original_sequences/youtube/c40/videos/001.mp4')]);
    const messages = listing.problems.map((problem) => problem.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('weird-name.mp4');
    expect(messages[1]).toContain('ffpp dataset has no fake videos');
  });
});

describe('Celeb-DF reader', () => {
  it('parses identities and honours the official test list', async () => {
    await touch('Celeb-real/id0_0000.mp4', 'Celeb-real/id1_0001.mp4', 'Celeb-synthesis/id0_id1_0000.mp4', 'YouTube-real/00170.mp4');
    await writeFile(path.join(root, 'List_of_testing_videos.txt'), '1 YouTube-real/00170.mp4\n0 Celeb-synthesis/id0_id1_0000.mp4\n1 Celeb-real/id9_0009.mp4\nbroken line\n');
    expect(await detectLayout(root)).toBe('celebdf');
    const listing = await readDataset(root);

    expect(listing.hasOfficialTestSplit).toBe(true);
    const fake = listing.items.find((item) => item.label === 1);
    expect(fake?.identities).toEqual(['celebdf:id0', 'celebdf:id1']);
    expect(fake?.officialSplit).toBe('test');
    expect(listing.items.filter((item) => item.officialSplit === 'test').map((item) => item.videoId).sort()).toEqual([
      id('celebdf', 'Celeb-synthesis/id0_id1_0000.mp4'),
      id('celebdf', 'YouTube-real/00170.mp4'),
    ]);
    expect(listing.items.find((item) => item.videoId.endsWith('00170.mp4'))?.identities).toEqual(['celebdf:YouTube-real:00170']);
    expect(listing.problems.map((problem) => problem.message).join('\n')).toMatch(/line 4 "broken line"/);
    expect(listing.problems.map((problem) => problem.message).join('\n')).toMatch(/1 listed test videos are not on disk/);
  });
});

describe('DFDC reader', () => {
  it('reads metadata.json in part folders and groups fakes with originals', async () => {
    await touch('part_0/aaa.mp4', 'part_0/bbb.mp4', 'part_0/unlisted.mp4');
    await writeFile(
      path.join(root, 'part_0/metadata.json'),
      JSON.stringify({
        'aaa.mp4': { label: 'REAL', split: 'train', original: null },
        'bbb.mp4': { label: 'FAKE', split: 'train', original: 'aaa.mp4' },
        'gone.mp4': { label: 'FAKE', split: 'train', original: 'aaa.mp4' },
        'bad.mp4': { label: 'MAYBE' },
      }),
    );
    expect(await detectLayout(root)).toBe('dfdc');
    const listing = await readDataset(root);

    expect(listing.items.map((item) => [item.videoId, item.label, item.identities[0]])).toEqual([
      [id('dfdc', 'part_0/aaa.mp4'), 0, 'dfdc:aaa'],
      [id('dfdc', 'part_0/bbb.mp4'), 1, 'dfdc:aaa'],
    ]);
    const messages = listing.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('"gone.mp4" is listed in metadata.json but not on disk');
    expect(messages).toContain('"bad.mp4" has no label');
    expect(listing.problems.some((problem) => problem.path.endsWith('unlisted.mp4'))).toBe(true);
  });

  it('skips a folder with malformed or missing metadata.json', async () => {
    await touch('part_0/aaa.mp4', 'part_1/ccc.mp4', 'part_2/ddd.mp4');
    await writeFile(path.join(root, 'part_0/metadata.json'), '{"aaa.mp4": {"label": "REAL"');
    await writeFile(path.join(root, 'part_1/metadata.json'), '["not", "an", "object"]');
    await writeFile(path.join(root, 'metadata.json'), '{}');
    const listing = await readDataset(root);

    expect(listing.items).toHaveLength(0);
    const messages = listing.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n');
    expect(messages).toMatch(/part_0\/metadata.json: .*not valid JSON/);
    expect(messages).toMatch(/part_1\/metadata.json: .*must be an object/);
    expect(messages).toMatch(/part_2\/metadata.json: .*missing/);
    expect(messages).toContain('dfdc dataset has no real videos');
    expect(messages).toContain('dfdc dataset has no fake videos');
  });
});

describe('folder reader', () => {
  it('groups fakes with their labels.csv source', async () => {
    await touch('real/src1.jpg', 'real/src2.jpg', 'fake/f1.jpg', 'fake/sub/f2.png', 'fake/notes.txt');
    await writeFile(path.join(root, 'labels.csv'), 'path,label,original\nreal/src1.jpg,REAL,\nfake/f1.jpg,FAKE,src1.mp4\nfake/sub/f2.png,FAKE,src2.mp4\n');
    expect(await detectLayout(root)).toBe('folders');
    const listing = await readDataset(root);

    expect(listing.items).toHaveLength(4);
    const group = (id: string): string | undefined => listing.items.find((item) => item.videoId === id)?.identities[0];
    expect(group(id('folders', 'fake/f1.jpg'))).toBe(group(id('folders', 'real/src1.jpg')));
    expect(group(id('folders', 'fake/sub/f2.png'))).toBe(group(id('folders', 'real/src2.jpg')));
    expect(group(id('folders', 'fake/f1.jpg'))).not.toBe(group(id('folders', 'fake/sub/f2.png')));
    expect(listing.items.every((item) => item.kind === 'image')).toBe(true);
    expect(listing.problems).toEqual([]);
  });

  it('reports an empty class and a contradicting label', async () => {
    await touch('real/a.mp4', 'real/b.mp4');
    await mkdir(path.join(root, 'fake'));
    await writeFile(path.join(root, 'labels.csv'), 'path,label,original\nreal/b.mp4,FAKE,a.mp4\n');
    const listing = await readDataset(root);

    expect(listing.items.map((item) => item.videoId)).toEqual([id('folders', 'real/a.mp4')]);
    const messages = listing.problems.map((problem) => problem.message).join('\n');
    expect(messages).toContain('labels "real/b.mp4" FAKE but it sits in real/');
    expect(messages).toContain('class "fake" is empty');
  });
});

describe('layout detection', () => {
  it('rejects an unknown folder by name', async () => {
    await touch('clips/a.mp4');
    await expect(detectLayout(root)).rejects.toThrow(DatasetLayoutError);
    await expect(detectLayout(root)).rejects.toThrow(root);
  });

  it('rejects a missing folder', async () => {
    await expect(detectLayout(path.join(root, 'nope'))).rejects.toThrow(/does not exist/);
  });
});
