import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useGraphStoreApi } from '../store/GraphStoreProvider.tsx';

/** The node's id, renamed on Enter or blur; invalid or taken ids are explained, not applied. */
export function NodeIdField(props: { nodeId: string }) {
  const id = useId();
  const store = useGraphStoreApi();
  const [value, setValue] = useState(props.nodeId);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setValue(props.nodeId);
    setError(null);
  }, [props.nodeId]);

  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    if (value === props.nodeId) return setError(null);
    setError(store.getState().renameNode(props.nodeId, value));
  };

  return (
    <form className="field" onSubmit={apply}>
      <label htmlFor={id}>Node id</label>
      <input
        id={id}
        value={value}
        spellCheck={false}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => apply()}
        aria-invalid={error !== null}
        data-testid="node-id-input"
      />
      <p className={error !== null ? 'field-error' : 'hint'} role={error !== null ? 'alert' : undefined}>
        {error ?? 'Used in traces, the run panel and multi-input data keys.'}
      </p>
    </form>
  );
}
