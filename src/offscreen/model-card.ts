import type { ModelCard } from '../engine/classifier';
import type { ModelCardSummary } from '../messages';

/** Reduces the engine's model card to what the popup shows; null means no trained classifier. */
export function summarizeCard(card: ModelCard | null): ModelCardSummary | null {
  if (card === null || !card.trained) return null;
  const datasets = card.datasets.map((dataset) => dataset.name).join(', ');
  if (card.metrics === null) return { trained: true, accuracy: null, testSet: null };
  const testSet = datasets === '' ? `its ${card.metrics.split} split` : `the ${card.metrics.split} split of ${datasets}`;
  return { trained: true, accuracy: card.metrics.accuracy, testSet };
}
