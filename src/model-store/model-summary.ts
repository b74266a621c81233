import { BUNDLED_MODEL_ID } from './model-database';

/** One row of the options page's model list. */
export interface ModelSummary {
  id: string;
  /** True for the model shipped with the extension, which cannot be deleted. */
  bundled: boolean;
  active: boolean;
  name: string;
  version: string;
  /** Training loss from the card (`bce`, `sparse-cce`, `triplet`, `contrastive`). */
  loss: string;
  /** Names of the training data sets. */
  datasets: string[];
  /** Metrics from the card, flattened to `path: number` pairs such as `test.auc`. */
  metrics: Record<string, number>;
  /** Total size of the model's files, bytes; null when the bundled files could not be read. */
  sizeBytes: number | null;
  /** ISO 8601 time the model was exported, from the card. */
  createdAt: string | null;
  /** ISO 8601 time of the import; null for the bundled model. */
  importedAt: string | null;
  /** False when the card says the weights are untrained; the engine then shows no verdict. */
  trained: boolean;
}

/** Reduces a parsed card to the fields the list shows; missing fields become empty values. */
export function summarizeCard(id: string, card: Record<string, unknown> | null): Omit<ModelSummary, 'active' | 'sizeBytes' | 'importedAt'> {
  const text = (key: string): string => (typeof card?.[key] === 'string' ? (card[key] as string) : '');
  const datasets = Array.isArray(card?.datasets)
    ? card.datasets.flatMap((dataset: unknown) => (typeof dataset === 'object' && dataset !== null && typeof (dataset as { name?: unknown }).name === 'string' ? [(dataset as { name: string }).name] : []))
    : [];
  return {
    id,
    bundled: id === BUNDLED_MODEL_ID,
    name: text('name') || (id === BUNDLED_MODEL_ID ? 'Bundled model' : id),
    version: text('version'),
    loss: text('loss'),
    datasets,
    metrics: flattenMetrics(card?.metrics),
    createdAt: text('createdAt') || null,
    trained: card?.trained === true,
  };
}

/** Flattens nested metric objects to dotted keys with numeric values; at most 3 levels deep. */
export function flattenMetrics(metrics: unknown, prefix = '', depth = 0): Record<string, number> {
  const flat: Record<string, number> = {};
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics) || depth > 2) {
    return flat;
  }
  for (const [key, value] of Object.entries(metrics)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'number' && Number.isFinite(value)) {
      flat[path] = value;
    } else {
      Object.assign(flat, flattenMetrics(value, path, depth + 1));
    }
  }
  return flat;
}
