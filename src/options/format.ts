/** Formats a byte count as kB or MB (decimal units, as file managers show sizes). */
export function formatSize(bytes: number | null): string {
  if (bytes === null) {
    return 'unknown';
  }
  if (bytes < 1_000_000) {
    return `${(bytes / 1000).toFixed(1)} kB`;
  }
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** Formats an ISO 8601 time as a date and minutes in the browser's locale, or a dash when missing. */
export function formatDate(iso: string | null): string {
  if (iso === null) {
    return '–';
  }
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) {
    return iso;
  }
  return time.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Metrics shown first when a card has them; the rest follow in card order. */
const PREFERRED_METRICS = ['auc', 'accuracy', 'ece', 'eer'];
const MAX_SHOWN_METRICS = 4;

/** Picks up to four metrics, preferring AUC, accuracy, ECE and EER, formatted with three decimals. */
export function formatMetrics(metrics: Record<string, number>): string {
  const entries = Object.entries(metrics);
  if (entries.length === 0) {
    return 'none recorded';
  }
  const rank = (key: string): number => {
    const leaf = key.split('.').pop()?.toLowerCase() ?? '';
    const index = PREFERRED_METRICS.indexOf(leaf);
    return index === -1 ? PREFERRED_METRICS.length : index;
  };
  return [...entries]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .slice(0, MAX_SHOWN_METRICS)
    .map(([key, value]) => `${key} ${value.toFixed(3)}`)
    .join(', ');
}
