import type { DetectedFace, ModelFileReader, RgbaImage } from '../types';
import { type MtcnnConfig, resolveMtcnnConfig } from './config';
import { finalizeCandidates } from './onet';
import { proposeCandidates } from './pnet';
import { PNET_CELL_SIZE, computePyramid } from './pyramid';
import { normalizeRgba } from './resize';
import { refineCandidates } from './rnet';
import { type MtcnnParams, disposeMtcnnParams, loadMtcnnParams } from './weights';

/** A loaded MTCNN face detector (P-Net, R-Net, O-Net) on the active TF.js backend. */
export interface Mtcnn {
  /**
   * Finds faces in an RGBA image. Boxes and landmarks are in image pixels, highest score first.
   * A box may reach past the image border when a face is cut off by it.
   */
  detect(image: RgbaImage, config?: Partial<MtcnnConfig>): Promise<DetectedFace[]>;
  /** Frees the weight tensors. `detect` rejects afterwards. */
  dispose(): void;
}

/**
 * Loads the three networks from `mtcnn/` through `readFile`. The detector caches nothing per
 * image size, so its memory does not grow with the number of frame sizes on WASM and CPU.
 * TF.js's WebGL backend keeps every freed texture for reuse by shape unless the flag
 * `WEBGL_DELETE_TEXTURE_THRESHOLD` is set (default -1, never delete), and the R-Net and O-Net
 * batch sizes change from frame to frame, so `selectBackend` sets that flag for WebGL.
 */
export async function createMtcnn(readFile: ModelFileReader): Promise<Mtcnn> {
  let params: MtcnnParams | null = await loadMtcnnParams(readFile);
  return {
    async detect(image: RgbaImage, config?: Partial<MtcnnConfig>): Promise<DetectedFace[]> {
      if (params === null) {
        throw new Error('MTCNN: detect was called after dispose. Create a new detector with createMtcnn');
      }
      return detectFaces(params, image, resolveMtcnnConfig(config));
    },
    dispose(): void {
      if (params !== null) {
        disposeMtcnnParams(params);
        params = null;
      }
    },
  };
}

async function detectFaces(params: MtcnnParams, image: RgbaImage, config: MtcnnConfig): Promise<DetectedFace[]> {
  checkImage(image);
  if (image.width < PNET_CELL_SIZE || image.height < PNET_CELL_SIZE) {
    return [];
  }
  const longSide = Math.max(image.width, image.height);
  const minFaceSize = config.minFaceSize * Math.max(1, longSide / config.maxInputSize);
  const levels = computePyramid(image.width, image.height, minFaceSize, config.scaleFactor);
  const [pnetThreshold, rnetThreshold, onetThreshold] = config.scoreThresholds;

  // The image stays on the CPU: the pyramid and the crops are built there, and only network
  // inputs go to the backend.
  const rgb = normalizeRgba(image);
  const proposals = await proposeCandidates(rgb, levels, params.pnet, pnetThreshold);
  const refined = await refineCandidates(rgb, proposals, params.rnet, rnetThreshold);
  return finalizeCandidates(rgb, refined, params.onet, onetThreshold);
}

function checkImage(image: RgbaImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new Error(`MTCNN: image size ${width}x${height} is invalid. Width and height must be non-negative integers`);
  }
  if (data.length !== width * height * 4) {
    throw new Error(
      `MTCNN: image data has ${data.length} bytes but a ${width}x${height} RGBA image needs ${width * height * 4}. Pass 4 bytes per pixel`,
    );
  }
}
