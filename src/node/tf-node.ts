/**
 * Loads `@tensorflow/tfjs-node` when it is installed, which registers TF.js's native `tensorflow`
 * backend. The package is optional: its install script downloads libtensorflow, which fails on
 * machines without internet access, so the tools fall back to WASM without it.
 */
export async function loadOptionalNativeBackend(): Promise<boolean> {
  // A variable specifier keeps bundlers and the type checker from requiring the package.
  const packageName = '@tensorflow/tfjs-node';
  try {
    await import(packageName);
    return true;
  } catch {
    return false;
  }
}
