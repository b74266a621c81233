import { describe, expect, it } from 'vitest';
import { probabilityBand, scoreTone } from '../src/engine/bands';

describe('probabilityBand', () => {
  it.each([
    [0, 'no-signs'],
    [0.344, 'no-signs'],
    [0.346, 'uncertain'],
    [0.5, 'uncertain'],
    [0.644, 'uncertain'],
    // Shown as "65%", so it must not read "uncertain".
    [0.646, 'likely-manipulated'],
    [1, 'likely-manipulated'],
  ])('puts %f in %s', (probability, band) => {
    expect(probabilityBand(probability)).toBe(band);
  });
});

describe('scoreTone', () => {
  it('never colours a low score as safe', () => {
    expect(scoreTone(0.1, 0.7)).toBe('low');
  });

  it('alerts from the likely-manipulated band', () => {
    expect(scoreTone(0.66, 0.7)).toBe('alert');
  });

  it('alerts from a lower user threshold', () => {
    expect(scoreTone(0.5, 0.45)).toBe('alert');
  });

  it('keeps the middle band amber', () => {
    expect(scoreTone(0.5, 0.7)).toBe('uncertain');
  });
});
