import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createPlinthClient, createQueryClient, TRPCProvider, useTRPC, useTRPCClient } from './api/trpc.ts';
import { preloadGraph } from './api/graphPreload.ts';
import { clearToken, readTokenFromLocation, storeToken, watchTokenInOtherTabs } from './api/token.ts';
import { errorMessage, isUnauthorized } from './api/errors.ts';
import { SignIn } from './auth/SignIn.tsx';
import { GraphList } from './graphs/GraphList.tsx';
import { parseRoute, useHashRoute } from './ui/useHashRoute.ts';

// The editor (React Flow, the validator) is a separate chunk; start fetching it at
// once when the page opens on a graph, so the graph list never waits for it.
const loadEditor = () => import('./ide/GraphEditor.tsx');
if (parseRoute(window.location.hash).view === 'graph') void loadEditor();
const GraphEditor = lazy(() => loadEditor().then((m) => ({ default: m.GraphEditor })));
const ModelsPage = lazy(() => import('./models/ModelsPage.tsx').then((m) => ({ default: m.ModelsPage })));

/** The IDE: token gate, then the graph list or one graph's editor. */
export function App() {
  const [token, setToken] = useState<string | null>(() => readTokenFromLocation());
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const [queryClient] = useState(createQueryClient);
  const trpcClient = useMemo(() => createPlinthClient(() => tokenRef.current), []);

  const signIn = (next: string) => {
    storeToken(next);
    queryClient.clear();
    setToken(next);
  };
  const signOut = (reason?: string) => {
    clearToken();
    queryClient.clear();
    setSignOutReason(reason ?? null);
    setToken(null);
  };
  const [signOutReason, setSignOutReason] = useState<string | null>(null);
  // Signing out (or in) in another tab does the same here.
  useEffect(
    () =>
      watchTokenInOtherTabs((next) => {
        if (next === tokenRef.current) return;
        queryClient.clear();
        setSignOutReason(null);
        setToken(next);
      }),
    [queryClient],
  );

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {token === null ? (
          <SignIn onSignIn={signIn} message={signOutReason} />
        ) : (
          <AuthenticatedApp key={token} onSignIn={signIn} onSignOut={signOut} />
        )}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function AuthenticatedApp(props: { onSignIn: (token: string) => void; onSignOut: (reason?: string) => void }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const route = useHashRoute();
  // On a page opened at a graph, fetch it in the same batch as the token check,
  // while the editor's code loads.
  useState(() => {
    if (route.view === 'graph') preloadGraph(client, route.name);
  });
  const whoami = useQuery(trpc.system.whoami.queryOptions());

  // The token check runs alongside the page's own queries (one batched request);
  // only a refusal replaces the page.
  if (whoami.isError) {
    const refused = isUnauthorized(whoami.error);
    return (
      <SignIn
        onSignIn={props.onSignIn}
        message={
          refused ? 'That token was refused. Paste the admin token the server printed.' : errorMessage(whoami.error)
        }
      />
    );
  }
  if (route.view === 'graph') {
    return (
      <Suspense fallback={<Loading text={`Opening ${route.name}…`} />}>
        <GraphEditor key={route.name} name={route.name} />
      </Suspense>
    );
  }
  if (route.view === 'models') {
    return (
      <Suspense fallback={<Loading text="Opening models…" />}>
        <ModelsPage selected={route.name} onSignOut={() => props.onSignOut()} />
      </Suspense>
    );
  }
  return <GraphList onSignOut={() => props.onSignOut()} />;
}

function Loading(props: { text: string }) {
  return (
    <main className="centered" aria-busy="true">
      <p>{props.text}</p>
    </main>
  );
}
