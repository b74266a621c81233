/**
 * MTCNN face detector (Zhang et al., "Joint Face Detection and Alignment Using Multitask
 * Cascaded Convolutional Networks", 2016) with five landmarks.
 *
 * Pipeline per image: an image pyramid (`pyramid.ts`, `resize.ts`), P-Net over every level with
 * one read-back (`pnet.ts`), R-Net on the surviving boxes in one batch (`rnet.ts`), then O-Net
 * with landmarks (`onet.ts`). Crops are cut on the CPU (`crop.ts`), non-maximum suppression and
 * box regression are in `candidate.ts`, and `weights.ts` loads the weights from `models/mtcnn/`.
 */
export { type MtcnnConfig, DEFAULT_MTCNN_CONFIG, resolveMtcnnConfig } from './config';
export { type Mtcnn, createMtcnn } from './detector';
