/**
 * Training losses of the classifier. `bce` and `sparse-cce` train a classification head.
 * `triplet` and `contrastive` train the 512-d embedding, and a logistic regression fitted on
 * the embedding afterwards supplies the fake probability.
 */
export type LossName = 'bce' | 'sparse-cce' | 'triplet' | 'contrastive';

/** Heads `buildAlexNet` can attach: one per loss, plus the 5-way softmax of the original summary. */
export type HeadName = LossName | 'paper-5way';

export const LOSS_NAMES: readonly LossName[] = ['bce', 'sparse-cce', 'triplet', 'contrastive'];

/** True for the losses that train an embedding instead of a classification head. */
export function isEmbeddingLoss(loss: LossName): boolean {
  return loss === 'triplet' || loss === 'contrastive';
}
