import { describe, expect, it } from 'vitest';
import { FACE_CROP_FRAMING } from '../training/data/face-extractor';
import { parseFraming } from '../training/commands/option-parsers';

describe('--framing parser', () => {
  it('reads the three framing forms', () => {
    expect(parseFraming('aligned')).toEqual({ kind: 'aligned' });
    expect(parseFraming('box')).toEqual(FACE_CROP_FRAMING);
    expect(parseFraming('box:1.2,0,-0.1')).toEqual({ kind: 'box', scale: 1.2, offsetX: 0, offsetY: -0.1 });
  });

  it('rejects malformed framings', () => {
    for (const input of ['', 'tight', 'box:', 'box:1,2', 'box:0,0,0', 'box:-1,0,0', 'box:1,0,5', 'box:a,b,c']) {
      expect(() => parseFraming(input)).toThrow(/aligned.*box:scale,offsetX,offsetY/);
    }
  });
});
