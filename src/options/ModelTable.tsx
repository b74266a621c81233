import type { ModelSummary } from '../model-store/model-summary';
import { formatDate, formatMetrics, formatSize } from './format';

export interface ModelTableProps {
  models: ModelSummary[];
  /** True while a change is running, so buttons cannot start a second one. */
  busy: boolean;
  onActivate(id: string): void;
  onDelete(id: string): void;
}

/** Table of installed models with their card data; the active row is marked and cannot be activated again. */
export function ModelTable(props: ModelTableProps) {
  return (
    <table class="models">
      <thead>
        <tr>
          <th>Model</th>
          <th>Loss</th>
          <th>Training data</th>
          <th>Metrics</th>
          <th>Size</th>
          <th>Created</th>
          <th>Imported</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.models.map((model) => (
          <ModelRow key={model.id} model={model} {...props} />
        ))}
      </tbody>
    </table>
  );
}

function ModelRow(props: ModelTableProps & { model: ModelSummary }) {
  const { model, busy } = props;
  return (
    <tr class={model.active ? 'active' : ''} data-model-id={model.id}>
      <td>
        <strong>{model.name}</strong> {model.version}
        {model.active && <span class="badge">active</span>}
        {model.bundled && <span class="badge bundled">bundled</span>}
        {!model.trained && <div class="warning">Untrained weights: the engine shows no verdict with this model.</div>}
      </td>
      <td>{model.loss || '–'}</td>
      <td>{model.datasets.length > 0 ? model.datasets.join(', ') : '–'}</td>
      <td>{formatMetrics(model.metrics)}</td>
      <td>{formatSize(model.sizeBytes)}</td>
      <td>{formatDate(model.createdAt)}</td>
      <td>{model.bundled ? 'ships with the extension' : formatDate(model.importedAt)}</td>
      <td class="actions">
        <button type="button" disabled={busy || model.active} onClick={() => props.onActivate(model.id)}>
          Activate
        </button>
        <button
          type="button"
          disabled={busy || model.bundled}
          title={model.bundled ? 'The bundled model ships with the extension and cannot be deleted.' : undefined}
          onClick={() => props.onDelete(model.id)}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
