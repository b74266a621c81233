import cliProgress from 'cli-progress';

/** A progress bar on stderr; it draws only on a terminal, so logs and tests stay clean. */
export interface ProgressBar {
  update(value: number, fields?: Record<string, string>): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * Creates a bar with `total` steps. `format` may use cli-progress's `{bar}`, `{value}`, `{total}`,
 * `{eta_formatted}` and the names of `fields`.
 */
export function createProgressBar(format: string, total: number, fields: Record<string, string>): ProgressBar {
  if (process.stderr.isTTY !== true) {
    return { update: () => undefined, setTotal: () => undefined, stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, etaBuffer: 20, clearOnComplete: false }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, fields);
  return {
    update: (value, newFields) => bar.update(value, newFields),
    setTotal: (newTotal) => {
      if (bar.getTotal() !== newTotal) bar.setTotal(newTotal);
    },
    stop: () => bar.stop(),
  };
}

/** Formats seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}
