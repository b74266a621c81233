import type { Engine } from '../engine/engine';
import type { ModelCardSummary } from '../messages';

/**
 * Finds the first numeric `accuracy` in a card's metrics, searching nested objects
 * breadth first, so `{ accuracy }` and `{ test: { accuracy } }` both work.
 */
function findAccuracy(metrics: unknown): number | null {
  const queue: unknown[] = [metrics];
  while (queue.length > 0) {
    const value = queue.shift();
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      if (key.toLowerCase() === 'accuracy' && typeof child === 'number') return child;
      queue.push(child);
    }
  }
  return null;
}

/** Reduces the engine's model card to what the popup shows; null means no trained classifier. */
export function summarizeCard(card: Engine['model']): ModelCardSummary | null {
  if (card === null) return null;
  const datasets = card.datasets.map((dataset) => dataset.name).join(', ');
  return { trained: true, accuracy: findAccuracy(card.metrics), testSet: datasets === '' ? null : datasets };
}
