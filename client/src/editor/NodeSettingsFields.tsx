import { useEffect, useId, useState } from 'react';
import type { CodeNode } from '@plinth/shared/graph';
import { nodeTypeViewOf } from '../nodeTypes/index.ts';
import { TimeoutField } from '../panels/TimeoutField.tsx';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';

/** A code node's timeout, and whichever of requirements and network access its type offers. */
export function NodeSettingsFields({ node }: { node: CodeNode }) {
  const update = useGraphStore((s) => s.updateNode);
  const ids = { requirements: useId(), timeout: useId(), network: useId() };
  const { settings } = nodeTypeViewOf(node).code;
  return (
    <>
      {settings.includes('requirements') && (
        <RequirementsField id={ids.requirements} nodeId={node.id} requirements={node.requirements} />
      )}
      <TimeoutField
        nodeId={node.id}
        value={node.timeoutMs}
        inputId={ids.timeout}
        hint="A call that takes longer is stopped with a timeout error (504 from the API)."
      />
      {settings.includes('network') && (
        <div className="field checkbox">
          <input
            id={ids.network}
            type="checkbox"
            checked={node.network}
            onChange={(e) => update(node.id, { network: e.target.checked })}
          />
          <label htmlFor={ids.network}>Allow network access</label>
          <p className="hint">Off: the server's sandbox gives this node no network at all.</p>
        </div>
      )}
    </>
  );
}

function RequirementsField(props: { id: string; nodeId: string; requirements: readonly string[] }) {
  const update = useGraphStore((s) => s.updateNode);
  const joined = props.requirements.join('\n');
  // Local text so a trailing newline or blank line survives while typing.
  const [text, setText] = useState(joined);
  useEffect(() => {
    setText((current) => (parseRequirements(current).join('\n') === joined ? current : joined));
  }, [joined]);
  return (
    <div className="field">
      <label htmlFor={props.id}>Requirements (one per line)</label>
      <textarea
        id={props.id}
        className="code"
        rows={3}
        spellCheck={false}
        placeholder="numpy==2.3.1"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          update(props.nodeId, { requirements: parseRequirements(e.target.value) });
        }}
      />
      <p className="hint">
        pip requirement lines for this node (e.g. <code>numpy==2.3.1</code>). The browser preview runs Pyodide with
        Python&apos;s standard library only.
      </p>
    </div>
  );
}

export function parseRequirements(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
