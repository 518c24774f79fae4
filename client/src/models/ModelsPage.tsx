import { useQuery, useQueryClient } from '@tanstack/react-query';
import { TopBar } from '../ui/TopBar.tsx';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { modelsHref, navigate } from '../ui/useHashRoute.ts';
import { ModelDetail } from './ModelDetail.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { UploadBox } from './UploadBox.tsx';
import { pollWhileSettling } from './modelQueries.ts';
import './models.css';

/** Every deployed model with its status, the upload box, and the chosen model's versions. */
export function ModelsPage(props: { selected: string | null; onSignOut: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const models = useQuery({
    ...trpc.models.list.queryOptions(),
    refetchInterval: pollWhileSettling((list) => list.map((m) => m.status)),
  });

  return (
    <div className="page">
      <TopBar current="models" onSignOut={props.onSignOut} />
      <main className="models-page" data-testid="models-page">
        <div className="models-list">
          <h2>Models</h2>
          <UploadBox
            onUploaded={(created) => {
              void queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
              navigate(modelsHref(created.name));
            }}
          />
          {models.isPending && <p>Loading models…</p>}
          {models.isError && (
            <p className="error" role="alert">
              {errorMessage(models.error)}
            </p>
          )}
          {models.data?.length === 0 && <p className="muted">No models yet: deploy one above.</p>}
          {models.data !== undefined && models.data.length > 0 && (
            <ul className="model-rows" aria-label="Deployed models">
              {models.data.map((m) => (
                <li key={m.name} className={m.name === props.selected ? 'model-row selected' : 'model-row'}>
                  <a href={modelsHref(m.name)} data-testid={`model-${m.name}`}>
                    <span className="graph-name">{m.name}</span>
                    <StatusBadge status={m.status} testId={`model-${m.name}-status`} />
                    <span className="muted">
                      {m.liveVersion === null ? 'nothing live' : `v${m.liveVersion} live`}
                      {m.lastVersion !== m.liveVersion ? ` · newest v${m.lastVersion}` : ''}
                    </span>
                    {typeof m.description === 'string' && <span className="muted description">{m.description}</span>}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="models-detail">
          {props.selected === null ? (
            <p className="muted">Choose a model to see its versions, logs and to try it.</p>
          ) : (
            <ModelDetail key={props.selected} name={props.selected} />
          )}
        </div>
      </main>
    </div>
  );
}
