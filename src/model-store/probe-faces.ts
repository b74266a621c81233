/** Side of the aligned grey face the classifier takes, pixels. */
export const PROBE_FACE_SIZE = 128;

/**
 * Builds a deterministic face-like grey image (128x128, 0..255): a bright oval on a darker
 * gradient with two dark eyes near the alignment template's eye row and a dark mouth. It is
 * synthetic, not a photograph; it only has to give an imported model realistic input
 * statistics for the output check.
 */
export function syntheticFace(): Uint8Array {
  const size = PROBE_FACE_SIZE;
  const face = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      face[y * size + x] = facePixel(x / size, y / size);
    }
  }
  return face;
}

function facePixel(u: number, v: number): number {
  const background = 40 + 60 * v;
  if (insideEllipse(u, v, 0.5, 0.52, 0.36, 0.46) === false) {
    return Math.round(background);
  }
  const isEye = insideEllipse(u, v, 0.35, 0.4, 0.07, 0.035) || insideEllipse(u, v, 0.65, 0.4, 0.07, 0.035);
  const isMouth = insideEllipse(u, v, 0.5, 0.74, 0.13, 0.03);
  if (isEye || isMouth) {
    return 50;
  }
  // Light from the upper left gives the skin a gentle shading.
  return Math.round(190 - 40 * u - 30 * v);
}

function insideEllipse(u: number, v: number, centreU: number, centreV: number, radiusU: number, radiusV: number): boolean {
  const du = (u - centreU) / radiusU;
  const dv = (v - centreV) / radiusV;
  return du * du + dv * dv <= 1;
}

/**
 * Builds a deterministic pseudo-random grey image (128x128, 0..255) from a linear congruential
 * generator, as a second probe far from any face.
 */
export function noiseImage(seed: number): Uint8Array {
  const image = new Uint8Array(PROBE_FACE_SIZE * PROBE_FACE_SIZE);
  let state = seed >>> 0;
  for (let i = 0; i < image.length; i++) {
    // Numerical Recipes' 32-bit LCG constants.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    image[i] = state >>> 24;
  }
  return image;
}

/** Probe inputs used when the caller supplies none. */
export function defaultProbeFaces(): Uint8Array[] {
  return [syntheticFace(), noiseImage(7)];
}
