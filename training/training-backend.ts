import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/register-training-kernels';

/** Backends training can run on, fastest first. */
export type TrainingBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Module name kept in a variable so bundlers and TypeScript do not require the optional package. */
const TFJS_NODE_MODULE = '@tensorflow/tfjs-node';

/**
 * Activates the fastest training backend available: the native `tensorflow` backend when
 * `@tensorflow/tfjs-node` can be imported, else WASM with this project's gradient kernels.
 * `preferred` forces one backend and throws when it cannot start. Returns the active backend.
 */
export async function activateTrainingBackend(preferred?: TrainingBackendName): Promise<TrainingBackendName> {
  const candidates: TrainingBackendName[] = preferred ? [preferred] : ['tensorflow', 'wasm'];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      if (name === 'tensorflow') {
        await import(/* @vite-ignore */ TFJS_NODE_MODULE);
      }
      if (name === 'wasm') {
        // TODO: WASM training uses one core (about 30 faces/s here, PyTorch 118 on two), because tfjs-backend-wasm 4.22 runs single-threaded in Node. Data-parallel worker threads would bring in the second core.
        registerWasmTrainingKernels();
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
      failures.push(`${name}: failed to initialise`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`training backend: none could start (${failures.join('; ')}); install @tensorflow/tfjs-backend-wasm or pick --backend cpu`);
}
