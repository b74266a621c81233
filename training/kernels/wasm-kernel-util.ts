import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's `BackendWasm` that the training kernels use. */
export interface WasmBackendInternals extends tf.KernelBackend {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  /** A view on the WASM heap; invalid after any later allocation may grow the heap. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export const WASM_BACKEND_NAME = 'wasm';

/** Runs a kernel of the WASM backend directly, outside the gradient tape. */
export function runWasmKernel(
  kernelName: string,
  backend: WasmBackendInternals,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const kernel = tf.getKernel(kernelName, WASM_BACKEND_NAME);
  if (!kernel) {
    throw new Error(`WASM training kernels: the backend has no ${kernelName} kernel; this tfjs-backend-wasm version is not supported`);
  }
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
}

/** Returns a float32 view of a tensor on the WASM heap, or throws for other dtypes. */
export function float32FromHeap(backend: WasmBackendInternals, info: TensorInfo, component: string): Float32Array {
  const values = backend.typedArrayFromHeap(info);
  if (!(values instanceof Float32Array)) {
    throw new Error(`${component} (wasm): dtype ${info.dtype} is not supported; only float32 tensors can be trained`);
  }
  return values;
}

/**
 * Replaces a kernel that tfjs-backend-wasm registers with `makeKernelFunc(original)`, keeping the
 * original's setup function so the replacement can fall back to it. Returns false when the kernel
 * was already replaced, and throws when the WASM backend registers no such kernel.
 */
export function replaceWasmKernel(kernelName: string, makeKernelFunc: (original: KernelFunc) => KernelFunc): boolean {
  const original = tf.getKernel(kernelName, WASM_BACKEND_NAME);
  if (!original) {
    throw new Error(`WASM training kernels: tfjs-backend-wasm registers no ${kernelName} kernel; import @tensorflow/tfjs-backend-wasm first`);
  }
  if ((original as KernelConfig & { replacedForTraining?: boolean }).replacedForTraining) {
    return false;
  }
  tf.unregisterKernel(kernelName, WASM_BACKEND_NAME);
  const replacement: KernelConfig & { replacedForTraining: boolean } = {
    kernelName,
    backendName: WASM_BACKEND_NAME,
    setupFunc: original.setupFunc,
    kernelFunc: makeKernelFunc(original.kernelFunc),
    replacedForTraining: true,
  };
  tf.registerKernel(replacement);
  return true;
}
