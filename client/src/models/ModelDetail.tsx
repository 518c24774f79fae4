import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { ConfirmDialog } from '../ui/Modal.tsx';
import { PredictBox } from './PredictBox.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { VersionLogs } from './VersionLogs.tsx';
import { pollWhileSettling, type ModelVersion } from './modelQueries.ts';

/** One model: its versions (newest first) with status, logs, promote/rollback, and a predict try-out. */
export function ModelDetail(props: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const model = useQuery({
    ...trpc.models.get.queryOptions({ name: props.name }),
    refetchInterval: pollWhileSettling((m) => m.versions.map((v) => v.status)),
  });
  const [chosen, setChosen] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<ModelVersion | null>(null);
  const promote = useMutation(
    trpc.models.promote.mutationOptions({
      onSuccess: async () => {
        setConfirm(null);
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
      },
    }),
  );

  if (model.isPending) return <p>Loading {props.name}…</p>;
  if (model.isError)
    return (
      <p className="error" role="alert">
        {errorMessage(model.error)}
      </p>
    );
  const versions = [...model.data.versions].sort((a, b) => b.version - a.version);
  const live = model.data.liveVersion;
  const shown = versions.find((v) => v.version === chosen) ?? versions[0];

  return (
    <section className="model-detail" aria-label={`Model ${props.name}`} data-testid="model-detail">
      <h2>{props.name}</h2>
      <p className="muted">
        {live === null ? 'No live version yet: a version goes live once it is ready.' : `v${live} is live.`} Call it
        with <code>POST /api/v1/models/{props.name}/predict</code>, or from a graph&apos;s model node.
      </p>
      {promote.isError && (
        <p className="error" role="alert">
          {errorMessage(promote.error)}
        </p>
      )}
      <ul className="versions" aria-label="Versions">
        {versions.map((v) => (
          <li
            key={v.version}
            className={v.version === shown?.version ? 'version selected' : 'version'}
            data-testid={`model-version-${v.version}`}
          >
            <button
              type="button"
              className="link version-number"
              aria-pressed={v.version === shown?.version}
              onClick={() => setChosen(v.version)}
            >
              v{v.version}
            </button>
            <StatusBadge status={v.status} testId={`model-version-${v.version}-status`} />
            {v.live && <span className="badge badge-ok">live</span>}
            <span className="muted">{new Date(v.createdAt).toLocaleString()}</span>
            <span className="spacer" />
            {!v.live && v.status === 'ready' && (
              <button type="button" onClick={() => setConfirm(v)}>
                {live !== null && v.version < live ? 'Roll back' : 'Promote'}
              </button>
            )}
          </li>
        ))}
      </ul>
      {shown !== undefined && (
        <>
          <VersionLogs version={shown} />
          <h3>Try it</h3>
          {shown.status === 'ready' ? (
            <PredictBox
              key={`${props.name}@${shown.version}`}
              model={props.name}
              version={shown.version}
              exampleInput={shown.config.exampleInput}
            />
          ) : (
            <p className="muted">
              {shown.status === 'failed'
                ? `v${shown.version} failed to deploy: fix the package and upload it again as the next version.`
                : `v${shown.version} is ${shown.status}; it can be tried once it is ready.`}
            </p>
          )}
        </>
      )}
      {confirm !== null && (
        <ConfirmDialog
          title={`${live !== null && confirm.version < live ? 'Roll back' : 'Promote'} ${props.name} to v${confirm.version}?`}
          message={
            <p>
              Model nodes without a version, and <code>/api/v1/models/{props.name}/predict</code>, will be answered by v
              {confirm.version}
              {live !== null ? ` instead of v${live}` : ''}, starting now. Published graph versions keep the model
              version they pinned.
            </p>
          }
          confirmLabel={`Make v${confirm.version} live`}
          onCancel={() => setConfirm(null)}
          onConfirm={() => promote.mutate({ name: props.name, version: confirm.version })}
        />
      )}
    </section>
  );
}
