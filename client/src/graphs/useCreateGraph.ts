import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { graphHref, navigate } from '../ui/useHashRoute.ts';

/** Creates a graph on the server, refreshes the graph list and opens the new graph. */
export function useCreateGraph() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.graphs.create.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.graphs.list.queryKey() });
        navigate(graphHref(created.name));
      },
    }),
  );
}
