/**
 * The `Conv2DBackpropFilter` kernel for the TF.js WASM backend, which ships without it
 * (tfjs-backend-wasm 4.22), so no convolution can be trained on WASM out of the box.
 *
 * The filter gradient of an NHWC convolution with stride s is itself a convolution:
 *
 *   dW[kh, kw, ci, co] = sum over n, y, x of xPadded[n, y*s + kh, x*s + kw, ci] * dy[n, y, x, co]
 *
 * Read `ci` as the batch axis, the original batch `n` as the input channels and `dy` as a
 * filter of size outHeight x outWidth with dilation s. So the kernel transposes `x` to
 * [ci, H, W, n] and `dy` to [outH, outW, n, co], runs the backend's own Conv2D kernel (XNNPACK),
 * which returns [ci, kh', kw', co] with kh' >= kh, and slices and transposes that to
 * [kh, kw, ci, co]. All work stays in XNNPACK's packed convolution instead of a scalar loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { runWasmKernel as runBackendKernel, WASM_BACKEND_NAME as BACKEND_NAME, type WasmBackendInternals as WasmBackend } from './wasm-kernel-util';


/** Computes dW of an NHWC conv2d from its input `x` and output gradient `dy`. */
export const conv2dBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const wasm = backend as WasmBackend;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`Conv2DBackpropFilter (wasm): data format ${dataFormat} is not supported; use NHWC`);
  }

  const convInfo = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = convInfo;

  const xByChannel = runBackendKernel('Transpose', wasm, { x }, { perm: [3, 1, 2, 0] });
  const dyAsFilter = runBackendKernel('Transpose', wasm, { x: dy }, { perm: [1, 2, 0, 3] });
  // Explicit padding reproduces the forward pass's SAME or explicit pads; the original stride
  // becomes the dilation of the dy "filter".
  const gradient = runBackendKernel(
    'Conv2D',
    wasm,
    { x: xByChannel, filter: dyAsFilter },
    {
      strides: [1, 1],
      dilations: [strideHeight, strideWidth],
      pad: [
        [0, 0],
        [padInfo.top, padInfo.bottom],
        [padInfo.left, padInfo.right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  wasm.disposeData(xByChannel.dataId);
  wasm.disposeData(dyAsFilter.dataId);

  // gradient: [ci, kh', kw', co]; extra rows and columns appear when the forward pass dropped
  // input pixels that no output covers (VALID padding with a stride that does not divide).
  let cropped = gradient;
  if (gradient.shape[1] !== filterHeight || gradient.shape[2] !== filterWidth) {
    cropped = runBackendKernel(
      'Slice',
      wasm,
      { x: gradient },
      { begin: [0, 0, 0, 0], size: [gradient.shape[0], filterHeight, filterWidth, gradient.shape[3]] },
    );
    wasm.disposeData(gradient.dataId);
  }
  const filterGradient = runBackendKernel('Transpose', wasm, { x: cropped }, { perm: [1, 2, 0, 3] });
  wasm.disposeData(cropped.dataId);
  return filterGradient;
};

/**
 * Registers the kernel for the `wasm` backend once per process. Returns false when a
 * `Conv2DBackpropFilter` kernel for WASM is already registered (a later tfjs-backend-wasm
 * release, or an earlier call).
 */
export function registerConv2dBackpropFilterWasm(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', BACKEND_NAME)) {
    return false;
  }
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND_NAME, kernelFunc: conv2dBackpropFilterWasm });
  return true;
}
