import type { ModelStatus } from './modelQueries.ts';

const CLASS: Record<ModelStatus, string> = {
  building: 'badge badge-running',
  loading: 'badge badge-running',
  ready: 'badge badge-ok',
  failed: 'badge badge-error',
};

/** A model version's status as a coloured word; building and loading say they are still going. */
export function StatusBadge(props: { status: ModelStatus | null; testId?: string }) {
  if (props.status === null) return <span className="badge badge-skipped">no versions</span>;
  const going = props.status === 'building' || props.status === 'loading';
  return (
    <span className={CLASS[props.status]} data-testid={props.testId} data-status={props.status}>
      {props.status}
      {going ? '…' : ''}
    </span>
  );
}
