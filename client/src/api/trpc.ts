import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpLink, isNonJsonSerializable, splitLink } from '@trpc/client';
import type { TRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@plinth/server/router';

export type { AppRouter };
export type PlinthClient = TRPCClient<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** A tRPC client that sends the admin token on every request. */
export function createPlinthClient(
  getToken: () => string | null,
  origin: string = window.location.origin,
): PlinthClient {
  const url = `${origin}/trpc`;
  const headers = (): Record<string, string> => {
    const token = getToken();
    return token === null ? {} : { Authorization: `Bearer ${token}` };
  };
  return createTRPCClient<AppRouter>({
    links: [
      // A body that is not JSON (a model package's bytes) goes on its own, unbatched.
      splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url, headers }),
        false: httpBatchLink({ url, headers }),
      }),
    ],
  });
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // Auth and validation failures do not get better by retrying.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}
