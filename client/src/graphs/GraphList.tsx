import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { TopBar } from '../ui/TopBar.tsx';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { ConfirmDialog } from '../ui/Modal.tsx';
import { downloadText } from '../ui/download.ts';
import { graphHref } from '../ui/useHashRoute.ts';
import { NewGraphDialog } from './NewGraphDialog.tsx';
import { RenameDialog } from './RenameDialog.tsx';
import { exportGraphText } from './exportGraph.ts';

// Validation (zod, ajv) is only needed once a file is picked: keep it out of the first screen.
const ImportDialog = lazy(() => import('./ImportDialog.tsx').then((m) => ({ default: m.ImportDialog })));

type Dialog =
  | { kind: 'new' }
  | { kind: 'import'; text: string }
  | { kind: 'rename' | 'duplicate'; name: string }
  | { kind: 'delete'; name: string }
  | null;

/** The first screen: every graph, and what can be done with each. */
export function GraphList(props: { onSignOut: () => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const graphs = useQuery(trpc.graphs.list.queryOptions());
  const [dialog, setDialog] = useState<Dialog>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.graphs.list.queryKey() });

  // Warm what the next click most likely needs: the templates now (a small request),
  // the editor's code once the first screen has settled (parsing it must not delay a click).
  useEffect(() => {
    void queryClient.prefetchQuery(trpc.graphs.templates.queryOptions());
    const timer = setTimeout(() => void import('../ide/GraphEditor.tsx'), 2000);
    return () => clearTimeout(timer);
  }, [queryClient, trpc]);

  const remove = useMutation(
    trpc.graphs.delete.mutationOptions({
      onSuccess: () => {
        setDialog(null);
        void refresh();
      },
      onError: (e) => setActionError(errorMessage(e)),
    }),
  );

  const exportGraph = async (name: string) => {
    try {
      const { document } = await client.graphs.get.query({ name });
      downloadText(`${name}.json`, exportGraphText(document));
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };

  const openFile = async (file: File | undefined) => {
    if (file === undefined) return;
    setDialog({ kind: 'import', text: await file.text() });
    if (fileInput.current) fileInput.current.value = '';
  };

  const names = graphs.data?.map((g) => g.name) ?? [];

  return (
    <div className="page">
      <TopBar current="graphs" onSignOut={props.onSignOut} />
      <main className="graph-list" data-testid="graph-list">
        <div className="list-header">
          <h2>Graphs</h2>
          <span className="spacer" />
          <button type="button" onClick={() => fileInput.current?.click()}>
            Import .json…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            data-testid="import-file"
            aria-label="Import a graph document"
            onChange={(e) => void openFile(e.target.files?.[0])}
          />
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'new' })}>
            New graph
          </button>
        </div>
        {actionError !== null && (
          <p className="error" role="alert">
            {actionError}{' '}
            <button type="button" className="link" onClick={() => setActionError(null)}>
              Dismiss
            </button>
          </p>
        )}
        {graphs.isPending && <p>Loading graphs…</p>}
        {graphs.isError && (
          <p className="error" role="alert">
            {errorMessage(graphs.error)}
          </p>
        )}
        {graphs.data?.length === 0 && (
          <div className="empty card">
            <p>
              No graphs yet. Create one from scratch or from a template, or import a <code>.json</code> document.
            </p>
          </div>
        )}
        {graphs.data !== undefined && graphs.data.length > 0 && (
          <table className="graphs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Live</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {graphs.data.map((g) => (
                <tr key={g.name} data-testid={`graph-row-${g.name}`}>
                  <td>
                    <a href={graphHref(g.name)} className="graph-name">
                      {g.name}
                    </a>
                  </td>
                  <td className="muted">{g.description}</td>
                  <td className="nowrap">
                    {g.liveVersion === null ? <span className="muted">not published</span> : `v${g.liveVersion}`}
                  </td>
                  <td className="muted nowrap">{formatDate(g.updatedAt)}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setDialog({ kind: 'rename', name: g.name })}>
                      Rename
                    </button>
                    <button type="button" onClick={() => setDialog({ kind: 'duplicate', name: g.name })}>
                      Duplicate
                    </button>
                    <button type="button" onClick={() => void exportGraph(g.name)}>
                      Export
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setDialog({ kind: 'delete', name: g.name })}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {dialog?.kind === 'new' && <NewGraphDialog taken={names} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'import' && (
        <Suspense fallback={null}>
          <ImportDialog text={dialog.text} taken={names} onClose={() => setDialog(null)} />
        </Suspense>
      )}
      {(dialog?.kind === 'rename' || dialog?.kind === 'duplicate') && (
        <RenameDialog
          mode={dialog.kind}
          name={dialog.name}
          versionCount={graphs.data?.find((g) => g.name === dialog.name)?.versionCount ?? 0}
          taken={names}
          onDone={() => {
            setDialog(null);
            void refresh();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${dialog.name}?`}
          message={
            <p>
              The draft, every published version and its API endpoint <code>/api/v1/graphs/{dialog.name}/invoke</code>{' '}
              go away. This cannot be undone; export it first if you may want it back.
            </p>
          }
          confirmLabel="Delete graph"
          danger
          onCancel={() => setDialog(null)}
          onConfirm={() => remove.mutate({ name: dialog.name })}
        />
      )}
    </div>
  );
}

function formatDate(value: string | number | Date): string {
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
