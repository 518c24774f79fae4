import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { ModelNode } from '@plinth/shared/graph';
import { useTRPC } from '../api/trpc.ts';
import { defaultPreviewInput, type PreviewInputSource } from '../editor/previewInput.ts';
import { useDocumentStructure, useRunStore } from '../store/GraphStoreProvider.tsx';
import { errorMessage } from '../api/errors.ts';
import { modelsHref } from '../ui/useHashRoute.ts';
import { PredictBox } from './PredictBox.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { pollWhileSettling, showJson } from './modelQueries.ts';
import './models.css';

const PREVIEW_SOURCES: Record<PreviewInputSource, string> = {
  pinned: 'the node’s pinned input',
  'last run': 'what the last test run fed this node',
  'input example': 'the input node’s example',
  none: '',
};

/**
 * The model node's own fields: which deployed model (with its status and example input),
 * which version (empty = live), and a preview that calls it on the server.
 */
export function ModelNodeFields(props: {
  node: ModelNode;
  onChange: (patch: Partial<Pick<ModelNode, 'model' | 'modelVersion'>>) => void;
}) {
  const trpc = useTRPC();
  const ids = { model: useId(), version: useId() };
  const { model: name, modelVersion } = props.node;
  const models = useQuery({
    ...trpc.models.list.queryOptions(),
    refetchInterval: pollWhileSettling((list) => list.map((m) => m.status)),
  });
  const chosen = models.data?.find((m) => m.name === name);
  const details = useQuery({
    ...trpc.models.get.queryOptions({ name }),
    enabled: chosen !== undefined,
    refetchInterval: pollWhileSettling((m) => m.versions.map((v) => v.status)),
  });
  const versions = [...(details.data?.versions ?? [])].sort((a, b) => b.version - a.version);
  const pinned = versions.find((v) => v.version === modelVersion);
  // What a run will call: the pinned version's example if it has one, else the model's.
  const exampleInput = pinned?.config.exampleInput ?? chosen?.exampleInput ?? null;
  const unknown = name !== '' && models.isSuccess && chosen === undefined;
  // The data this node gets in a run (pinned, fed by the last test run, or the input's example) comes first.
  const document = useDocumentStructure();
  const lastRun = useRunStore((s) => s.lastRun);
  const fed = defaultPreviewInput(document, props.node, lastRun);
  const start =
    fed.value !== undefined
      ? { value: fed.value, from: PREVIEW_SOURCES[fed.source] }
      : { value: exampleInput ?? {}, from: exampleInput === null ? 'an empty object' : 'the model’s example input' };

  return (
    <>
      <div className="field">
        <label htmlFor={ids.model}>Model</label>
        <div className="model-choice">
          <select
            id={ids.model}
            value={name}
            onChange={(e) => props.onChange({ model: e.target.value, modelVersion: null })}
            data-testid="model-node-model"
          >
            <option value="">{models.isPending ? 'Loading models…' : 'Choose a deployed model'}</option>
            {models.data?.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name} ({m.status ?? 'no versions'}
                {m.liveVersion !== null ? `, v${m.liveVersion} live` : ''})
              </option>
            ))}
            {unknown && <option value={name}>{name} (not deployed)</option>}
          </select>
          {chosen !== undefined && <StatusBadge status={chosen.status} testId="model-node-status" />}
        </div>
        {models.isError && <p className="error">{errorMessage(models.error)}</p>}
        {unknown ? (
          <p className="field-error" role="alert">
            No model named {name} is deployed: deploy it on the <a href={modelsHref()}>Models page</a>, or choose
            another.
          </p>
        ) : (
          <p className="hint">
            Its predict(data) return value is this node&apos;s output. Deploy models on the{' '}
            <a href={modelsHref(name === '' ? null : name)}>Models page</a>.
          </p>
        )}
      </div>
      {chosen !== undefined && (
        <div className="field">
          <label htmlFor={ids.version}>Version</label>
          <select
            id={ids.version}
            value={modelVersion ?? ''}
            onChange={(e) => props.onChange({ modelVersion: e.target.value === '' ? null : Number(e.target.value) })}
            data-testid="model-node-version"
          >
            <option value="">live{chosen.liveVersion !== null ? ` (now v${chosen.liveVersion})` : ''}</option>
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} ({v.status})
              </option>
            ))}
            {modelVersion !== null && pinned === undefined && details.isSuccess && (
              <option value={modelVersion}>v{modelVersion} (does not exist)</option>
            )}
          </select>
          <p className="hint">
            Live follows promote and rollback; a published graph version keeps the model version live when it was
            published.
          </p>
        </div>
      )}
      {chosen !== undefined && (
        <details className="field" open data-testid="model-node-example">
          <summary>Example input</summary>
          {exampleInput === null ? (
            <p className="muted">This model has no example_input in its config.yaml.</p>
          ) : (
            <pre className="json">{showJson(exampleInput)}</pre>
          )}
        </details>
      )}
      {chosen !== undefined && (
        <div className="field">
          <h3>Preview on the server</h3>
          <PredictBox
            key={`${name}@${modelVersion ?? 'live'}`}
            model={name}
            version={modelVersion}
            exampleInput={exampleInput}
            start={start}
            action="Preview node"
            testId="model-node-preview"
          />
        </div>
      )}
    </>
  );
}
