import { useMemo, useRef, useState } from 'react';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { createPlinthClient, createQueryClient, TRPCProvider, useTRPC } from './api/trpc.ts';
import { clearToken, readTokenFromLocation, storeToken } from './api/token.ts';
import { errorMessage, isUnauthorized } from './api/errors.ts';
import { SignIn } from './auth/SignIn.tsx';
import { GraphList } from './graphs/GraphList.tsx';
import { GraphEditor } from './ide/GraphEditor.tsx';
import { useHashRoute } from './ui/useHashRoute.ts';

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

function AuthenticatedApp(props: { onSignIn(token: string): void; onSignOut(reason?: string): void }) {
  const trpc = useTRPC();
  const whoami = useQuery(trpc.system.whoami.queryOptions());
  const route = useHashRoute();

  if (whoami.isPending) {
    return (
      <main className="centered" aria-busy="true">
        <p>Connecting to Plinth…</p>
      </main>
    );
  }
  if (whoami.isError) {
    const refused = isUnauthorized(whoami.error);
    return (
      <SignIn
        onSignIn={props.onSignIn}
        message={refused ? 'That token was refused. Paste the admin token the server printed.' : errorMessage(whoami.error)}
      />
    );
  }
  if (route.view === 'graph') return <GraphEditor key={route.name} name={route.name} />;
  return <GraphList onSignOut={() => props.onSignOut()} />;
}
