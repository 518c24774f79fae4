import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { MAX_RELEASE_NOTE_LENGTH, sameBehaviour } from '@plinth/shared/graph';
import { useTRPC, useTRPCClient } from '../api/trpc.ts';
import { errorMessage, plinthError } from '../api/errors.ts';
import { useSaver } from '../save/SaverContext.tsx';
import { useGraphStoreApi, useRunStoreApi } from '../store/GraphStoreProvider.tsx';
import { requestExample } from '../store/requestExample.ts';
import { runOnServer } from '../run/runTest.ts';
import { Modal } from '../ui/Modal.tsx';
import { judgeExampleRun, type ExampleCheck } from './exampleCheck.ts';

type Notice = { kind: 'ok' | 'error'; text: string };
type Step =
  | { step: 'closed' }
  | { step: 'note' }
  | { step: 'checking' }
  | { step: 'refused'; check: Exclude<ExampleCheck, { kind: 'passed' }> }
  | { step: 'publishing' };

/**
 * Publish, with guard rails: a release note is asked for, the draft runs on the server with the
 * input's example first, and a failing run stops the publish (shown with its trace) unless the
 * person publishes anyway; a node that imports a module that is not installed cannot be published.
 */
export function PublishButton(props: { name: string; onPublished: () => void }) {
  const client = useTRPCClient();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saver = useSaver();
  const scope = { graph: useGraphStoreApi(), runs: useRunStoreApi() };
  const [step, setStep] = useState<Step>({ step: 'closed' });
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);

  const publish = async () => {
    setStep({ step: 'publishing' });
    try {
      const trimmed = note.trim();
      const { version } = await client.versions.publish.mutate({
        name: props.name,
        ...(trimmed === '' ? {} : { note: trimmed }),
      });
      await queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ name: props.name }) });
      setNotice({ kind: 'ok', text: `Published v${version}; it is live.` });
      setNote('');
      props.onPublished();
    } catch (e) {
      const body = plinthError(e);
      if (body?.reason === 'unchanged' && typeof body.version === 'number') {
        setNotice({ kind: 'ok', text: `Nothing changed since v${body.version}: not published again.` });
      } else {
        setNotice({ kind: 'error', text: errorMessage(e) });
      }
    }
    setStep({ step: 'closed' });
  };

  const checkThenPublish = async () => {
    setStep({ step: 'checking' });
    // Only what is on screen may be published: never the last revision that happened to save.
    if (!(await saver.flush())) {
      const save = saver.state.getState();
      setNotice({
        kind: 'error',
        text: `The draft is not saved (${save.message ?? save.status}), so it cannot be published.`,
      });
      setStep({ step: 'closed' });
      return;
    }
    // Drafts may have problems (they save as they are); a version may not.
    const { problems } = scope.graph.getState().validation;
    if (problems.length > 0) {
      const listed = problems.map((p) => `${p.nodeId !== undefined ? `${p.nodeId}: ` : ''}${p.message}`).join('; ');
      setNotice({ kind: 'error', text: `Fix the graph's ${problems.length} problem(s) before publishing: ${listed}` });
      setStep({ step: 'closed' });
      return;
    }
    // Nothing to publish is said before the example runs (the server refuses the copy as well).
    const live = (await client.versions.list.query({ name: props.name })).find((v) => v.live);
    if (live !== undefined) {
      const { document } = await client.versions.get.query({ name: props.name, version: live.version });
      if (sameBehaviour(document, scope.graph.getState().document)) {
        setNotice({ kind: 'ok', text: `Nothing changed since v${live.version}: not published again.` });
        setStep({ step: 'closed' });
        return;
      }
    }
    const example = requestExample(scope.graph.getState().document.nodes) ?? null;
    await runOnServer(client, saver, scope, props.name, example);
    const { lastRun, runError } = scope.runs.getState();
    const check = judgeExampleRun(runError === null ? lastRun : null, runError);
    if (check.kind === 'passed') await publish();
    else setStep({ step: 'refused', check });
  };

  const busy = step.step === 'checking' || step.step === 'publishing';
  return (
    <>
      <button
        type="button"
        className="primary"
        onClick={() => {
          setNotice(null);
          setStep({ step: 'note' });
        }}
        disabled={busy}
        data-testid="publish"
      >
        {step.step === 'checking' ? 'Checking…' : step.step === 'publishing' ? 'Publishing…' : 'Publish'}
      </button>
      {notice !== null && (
        <span
          className={notice.kind === 'ok' ? 'notice ok' : 'notice error'}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-testid="publish-notice"
        >
          {notice.text}
          <button type="button" className="icon" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </span>
      )}
      {step.step === 'note' && (
        <Modal title={`Publish ${props.name}`} onClose={() => setStep({ step: 'closed' })} testId="publish-dialog">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              checkThenPublish().catch((error: unknown) => {
                setNotice({ kind: 'error', text: errorMessage(error) });
                setStep({ step: 'closed' });
              });
            }}
          >
            <label className="field">
              Release note (optional)
              <textarea
                value={note}
                rows={3}
                maxLength={MAX_RELEASE_NOTE_LENGTH}
                placeholder="What changed in this version"
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
            <p className="hint">The draft runs on the server with the input's example first.</p>
            <div className="actions">
              <button type="button" onClick={() => setStep({ step: 'closed' })}>
                Cancel
              </button>
              <button type="submit" className="primary" autoFocus>
                Check and publish
              </button>
            </div>
          </form>
        </Modal>
      )}
      {step.step === 'refused' && (
        <RefusedDialog
          check={step.check}
          onCancel={() => setStep({ step: 'closed' })}
          onPublishAnyway={() => void publish()}
        />
      )}
    </>
  );
}

function RefusedDialog(props: {
  check: Exclude<ExampleCheck, { kind: 'passed' }>;
  onCancel: () => void;
  onPublishAnyway: () => void;
}) {
  const { check } = props;
  const blocked = check.kind === 'missing_module';
  return (
    <Modal
      title={blocked ? 'Cannot publish' : 'The example run failed'}
      onClose={props.onCancel}
      testId="publish-refused"
      wide
    >
      <p className="error" role="alert" data-testid="publish-refused-message">
        {check.message}
      </p>
      {check.kind === 'failed' && check.traceback !== undefined && <pre className="traceback">{check.traceback}</pre>}
      <p className="hint">The whole trace is in the Test panel and on the canvas.</p>
      <div className="actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          {blocked ? 'Close' : 'Cancel'}
        </button>
        {!blocked && (
          <button type="button" className="danger" onClick={props.onPublishAnyway}>
            Publish anyway
          </button>
        )}
      </div>
    </Modal>
  );
}
