import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Json } from '@plinth/shared/graph';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage } from '../api/errors.ts';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import { requestExample } from '../store/requestExample.ts';
import { copyText } from '../ui/download.ts';
import { API_KEY_ENV, curlSnippet, fetchSnippet, pythonSnippet } from './snippets.ts';

/** "How to call it": copyable snippets with the real URL and a freshly created API key. */
export function CallPanel(props: { name: string }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.versions.list.queryOptions({ name: props.name }));
  const example = useGraphStore((s) => requestExample(s.structure.nodes));
  const [key, setKey] = useState<string | null>(null);
  const createKey = useMutation(trpc.keys.create.mutationOptions({ onSuccess: (created) => setKey(created.key) }));
  const url = `${window.location.origin}/api/v1/graphs/${encodeURIComponent(props.name)}/invoke`;
  const snippetInput = { url, key, input: (example ?? {}) as Json };
  const live = versions.data?.find((v) => v.live)?.version ?? null;

  return (
    <div className="call-panel" data-testid="call-panel">
      {live === null ? (
        <p className="warning">
          Nothing is published yet: publish first, then these calls answer with the live version.
        </p>
      ) : (
        <p className="hint">
          Answers with the live version, v{live} (header <code>Plinth-Version</code>).
        </p>
      )}
      <p>
        <code className="url" data-testid="invoke-url">
          POST {url}
        </code>
      </p>
      <div className="api-key">
        {key === null ? (
          <>
            <button
              type="button"
              className="primary"
              disabled={createKey.isPending}
              onClick={() =>
                createKey.mutate({
                  name: `${props.name} (IDE ${new Date().toISOString().slice(0, 16)})`,
                  graphs: [props.name],
                })
              }
              data-testid="create-key"
            >
              {createKey.isPending ? 'Creating…' : 'Create an API key'}
            </button>
            <p className="hint">
              A key that can call this graph only; the snippets below then use it. Until then they read a key from{' '}
              <code>{API_KEY_ENV}</code>.
            </p>
          </>
        ) : (
          <>
            <p className="warning">Copy this key now: it is stored hashed and will not be shown again.</p>
            <code className="key" data-testid="api-key">
              {key}
            </code>
          </>
        )}
        {createKey.isError && <p className="error">{errorMessage(createKey.error)}</p>}
      </div>
      <Snippet title="curl" text={curlSnippet(snippetInput)} testId="snippet-curl" />
      <Snippet title="Python (requests)" text={pythonSnippet(snippetInput)} testId="snippet-python" />
      <Snippet title="JavaScript (fetch)" text={fetchSnippet(snippetInput)} testId="snippet-fetch" />
    </div>
  );
}

function Snippet(props: { title: string; text: string; testId: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <section className="snippet">
      <div className="snippet-head">
        <h3>{props.title}</h3>
        <button
          type="button"
          onClick={() => {
            void copyText(props.text).then((ok) => {
              setCopied(ok);
              setTimeout(() => setCopied(null), 1500);
            });
          }}
        >
          {copied === null ? 'Copy' : copied ? 'Copied' : 'Copy failed: select and copy'}
        </button>
      </div>
      <pre className="code-block" data-testid={props.testId}>
        {props.text}
      </pre>
    </section>
  );
}
