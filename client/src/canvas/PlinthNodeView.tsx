import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { nodeTypeOf, routesOf } from '@plinth/shared/graph';
import { nodeTypeViewOf } from '../nodeTypes/index.ts';
import { INPUT_HANDLE, OUTPUT_HANDLE, type PlinthFlowNode } from './flowTypes.ts';
import { describeJoin } from './nodeJoins.ts';
import { errorText } from '../run/errorText.ts';

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One node on the canvas: type, id, run status badge and the problems of its wiring. */
export const PlinthNodeView = memo(function PlinthNodeView({ data, selected }: NodeProps<PlinthFlowNode>) {
  const { node, problems, run, join } = data;
  const view = nodeTypeViewOf(node);
  const { accepts } = nodeTypeOf(node);
  const routes = routesOf(node);
  const status = run?.status;
  const classes = ['plinth-node', `type-${node.type}`];
  if (status !== undefined) classes.push(`status-${status}`);
  if (problems !== undefined) classes.push('invalid');
  if (selected) classes.push('selected');
  const error =
    run !== undefined && run.status !== 'running' && run.trace.status === 'error' ? run.trace.error : undefined;

  return (
    <div className={classes.join(' ')} data-testid={`node-${node.id}`} data-status={status ?? 'idle'}>
      {accepts.incoming && (
        <Handle type="target" position={Position.Left} id={INPUT_HANDLE} aria-label={`${node.id} input`} />
      )}
      <div className="node-head">
        <span className="node-icon" aria-hidden="true">
          {view.icon}
        </span>
        <span className="node-type">{view.label}</span>
        {run !== undefined && (
          <span className={`badge badge-${run.status}`} data-testid={`node-status-${node.id}`}>
            {run.status === 'running' ? 'running…' : run.status.replace('_', ' ')}
            {run.status !== 'running' &&
              run.status !== 'skipped' &&
              run.status !== 'not_run' &&
              ` · ${formatDuration(run.trace.durationMs)}`}
          </span>
        )}
      </div>
      <div className="node-id">{node.label ?? node.id}</div>
      <div className="node-summary">{view.summary(node)}</div>
      {join !== undefined && <JoinLine nodeId={node.id} {...describeJoin(join)} />}
      {error !== undefined && (
        <div className="node-error" title={error.traceback ?? error.message}>
          {errorText(error)}
        </div>
      )}
      {problems !== undefined && (
        <ul className="node-problems" data-testid={`node-problems-${node.id}`}>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {routes !== undefined ? (
        <div className="branch-handles">
          {routes.map((b) => (
            <div className="branch-row" key={b}>
              <span className="branch-label">{b}</span>
              <Handle type="source" position={Position.Right} id={b} aria-label={`${node.id} branch ${b}`} />
            </div>
          ))}
        </div>
      ) : (
        accepts.outgoing && (
          <Handle type="source" position={Position.Right} id={OUTPUT_HANDLE} aria-label={`${node.id} output`} />
        )
      )}
    </div>
  );
});

/** How the node's `data` is gathered from its several upstream nodes (DESIGN.md: "the IDE shows it on the node"). */
function JoinLine(props: { nodeId: string; line: string; title: string }) {
  return (
    <div className="node-join" title={props.title} data-testid={`node-join-${props.nodeId}`}>
      {props.line}
    </div>
  );
}
