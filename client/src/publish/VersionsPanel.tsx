import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { ConfirmDialog, Modal } from '../ui/Modal.tsx';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import type { DiffLine } from './lineDiff.ts';
import { diffVersions } from './versionDiff.ts';
import { PinnedModels } from '../models/PinnedModels.tsx';

/** Published versions: which is live, promote/rollback, diff against the draft. */
export function VersionsPanel(props: { name: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.versions.list.queryOptions({ name: props.name }));
  const [confirm, setConfirm] = useState<{ version: number; rollback: boolean } | null>(null);
  const [diffOf, setDiffOf] = useState<number | null>(null);
  const promote = useMutation(
    trpc.versions.promote.mutationOptions({
      onSuccess: async () => {
        setConfirm(null);
        await queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ name: props.name }) });
        await queryClient.invalidateQueries({ queryKey: trpc.graphs.list.queryKey() });
      },
    }),
  );
  const live = versions.data?.find((v) => v.live)?.version ?? null;

  return (
    <div className="versions-panel" data-testid="versions-panel">
      <p className="hint">
        Publishing freezes the saved draft as the next version. The live version answers{' '}
        <code>POST /api/v1/graphs/{props.name}/invoke</code>; any version answers at{' '}
        <code>/versions/&#123;n&#125;/invoke</code>.
      </p>
      {versions.isPending && <p>Loading versions…</p>}
      {versions.isError && <p className="error">{errorMessage(versions.error)}</p>}
      {versions.data?.length === 0 && <p className="muted">Nothing published yet.</p>}
      {promote.isError && (
        <p className="error" role="alert">
          {errorMessage(promote.error)}
        </p>
      )}
      {versions.data !== undefined && versions.data.length > 0 && (
        <ul className="versions">
          {[...versions.data]
            .sort((a, b) => b.version - a.version)
            .map((v) => (
              <li key={v.version} className={v.live ? 'version live' : 'version'} data-testid={`version-${v.version}`}>
                <span className="version-number">v{v.version}</span>
                {v.live && <span className="badge badge-ok">live</span>}
                <span className="muted">{new Date(v.createdAt).toLocaleString()}</span>
                <PinnedModels models={v.models} testId={`version-${v.version}-models`} />
                <span className="spacer" />
                <button type="button" onClick={() => setDiffOf(v.version)}>
                  Diff vs draft
                </button>
                {!v.live && (
                  <button
                    type="button"
                    onClick={() => setConfirm({ version: v.version, rollback: live !== null && v.version < live })}
                  >
                    {live !== null && v.version < live ? 'Roll back' : 'Promote'}
                  </button>
                )}
                {v.note !== null && (
                  <p className="version-note" data-testid={`version-note-${v.version}`}>
                    {v.note}
                  </p>
                )}
              </li>
            ))}
        </ul>
      )}
      {confirm !== null && (
        <ConfirmDialog
          title={`${confirm.rollback ? 'Roll back' : 'Promote'} to v${confirm.version}?`}
          message={
            <p>
              Requests to <code>/api/v1/graphs/{props.name}/invoke</code> will be answered by v{confirm.version}
              {live !== null ? ` instead of v${live}` : ''}, starting now.
            </p>
          }
          confirmLabel={confirm.rollback ? `Roll back to v${confirm.version}` : `Make v${confirm.version} live`}
          onCancel={() => setConfirm(null)}
          onConfirm={() => promote.mutate({ name: props.name, version: confirm.version })}
        />
      )}
      {diffOf !== null && <VersionDiff name={props.name} version={diffOf} onClose={() => setDiffOf(null)} />}
    </div>
  );
}

function VersionDiff(props: { name: string; version: number; onClose: () => void }) {
  const client = useTRPCClient();
  const draft = useGraphStore((s) => s.document);
  const version = useQuery({
    queryKey: ['version-document', props.name, props.version],
    queryFn: () => client.versions.get.query({ name: props.name, version: props.version }),
  });
  const diff = version.data ? diffVersions(version.data.document, draft) : null;
  const same =
    diff !== null &&
    diff.nodes.length === 0 &&
    diff.addedEdges.length === 0 &&
    diff.removedEdges.length === 0 &&
    diff.graph === null;
  return (
    <Modal title={`v${props.version} → draft`} onClose={props.onClose} wide testId="version-diff">
      {version.isPending && <p>Loading v{props.version}…</p>}
      {version.isError && <p className="error">{errorMessage(version.error)}</p>}
      {diff !== null && (
        <>
          <p className="muted">
            {same
              ? 'The draft runs as this version does (node positions aside).'
              : `Node by node: − in v${props.version}, + in the draft.`}
          </p>
          {diff.nodes.map((n) => (
            <section key={n.id} className="node-diff" data-testid={`node-diff-${n.id}`}>
              <h3>
                <code>{n.id}</code> {n.status}
              </h3>
              {n.code !== null && <DiffLines title="code" lines={n.code} />}
              {n.fields !== null && <DiffLines title="settings" lines={n.fields} />}
            </section>
          ))}
          {(diff.addedEdges.length > 0 || diff.removedEdges.length > 0) && (
            <section className="node-diff" data-testid="edge-diff">
              <h3>Edges</h3>
              <pre className="diff">
                {diff.removedEdges.map((e) => (
                  <span key={`-${e}`} className="diff-removed">
                    {`− ${e}\n`}
                  </span>
                ))}
                {diff.addedEdges.map((e) => (
                  <span key={`+${e}`} className="diff-added">
                    {`+ ${e}\n`}
                  </span>
                ))}
              </pre>
            </section>
          )}
          {diff.graph !== null && (
            <section className="node-diff">
              <h3>Graph</h3>
              <DiffLines title="fields" lines={diff.graph} />
            </section>
          )}
        </>
      )}
    </Modal>
  );
}

function DiffLines(props: { title: string; lines: readonly DiffLine[] }) {
  return (
    <pre className="diff" aria-label={props.title}>
      {props.lines.map((l, i) => (
        <span key={i} className={`diff-${l.kind}`}>
          {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}
          {l.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
