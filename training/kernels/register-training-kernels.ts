import { registerConv2dBackpropFilterWasm } from './conv2d-backprop-filter-wasm';
import { registerConv2dBackpropInputWasm } from './conv2d-backprop-input-wasm';
import { registerMaxPoolGradWasm } from './max-pool-grad-wasm';
import { registerSumLeadingAxesWasm } from './sum-leading-axes-wasm';

/**
 * Registers the gradient kernels that make the AlexNet trainable, and fast, on the WASM
 * backend: the missing `Conv2DBackpropFilter`, and replacements for the scalar-loop
 * `Conv2DBackpropInput` and `MaxPoolGrad` and a fast path of `Sum` for bias gradients. Call it after importing
 * `@tensorflow/tfjs-backend-wasm` and before the first training step; repeated calls do nothing.
 */
export function registerWasmTrainingKernels(): void {
  registerConv2dBackpropFilterWasm();
  registerConv2dBackpropInputWasm();
  registerMaxPoolGradWasm();
  registerSumLeadingAxesWasm();
}
