/** What was wrong with an imported model, so callers and tests can branch without parsing text. */
export type ModelImportProblem =
  | 'too-large'
  | 'too-many-files'
  | 'invalid-archive'
  | 'missing-file'
  | 'invalid-json'
  | 'invalid-card'
  | 'invalid-topology'
  | 'weight-size-mismatch'
  | 'non-finite-weights'
  | 'load-failed'
  | 'invalid-output'
  | 'duplicate'
  | 'not-found'
  | 'not-deletable'
  | 'no-previous-model';

/**
 * Error raised by the model store. The message names the file or field at fault and what to do
 * next; the options page shows it as is.
 */
export class ModelImportError extends Error {
  readonly problem: ModelImportProblem;

  constructor(problem: ModelImportProblem, message: string) {
    super(message);
    this.name = 'ModelImportError';
    this.problem = problem;
  }
}
