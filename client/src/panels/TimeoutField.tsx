import { MAX_NODE_TIMEOUT_MS } from '@plinth/shared/limits';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';

/** A node's `timeoutMs`, kept within the document's limit (1 ms to MAX_NODE_TIMEOUT_MS). */
export function TimeoutField(props: { nodeId: string; value: number; inputId: string; hint?: string }) {
  const update = useGraphStore((s) => s.updateNode);
  return (
    <div className="field">
      <label htmlFor={props.inputId}>Timeout (ms)</label>
      <input
        id={props.inputId}
        type="number"
        min={1}
        max={MAX_NODE_TIMEOUT_MS}
        step={100}
        value={props.value}
        onChange={(e) => {
          const ms = Number.parseInt(e.target.value, 10);
          if (Number.isFinite(ms) && ms > 0 && ms <= MAX_NODE_TIMEOUT_MS) {
            update(props.nodeId, { timeoutMs: ms });
          }
        }}
      />
      {props.hint !== undefined && <p className="hint">{props.hint}</p>}
    </div>
  );
}
