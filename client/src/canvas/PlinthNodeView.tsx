import { memo, useEffect } from 'react';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
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
  // React Flow measures handles when a node's size changes; a renamed branch keeps the size, so
  // say so, or the edges on the renamed handle are not drawn.
  const updateNodeInternals = useUpdateNodeInternals();
  const routeKey = routes?.join('\n');
  useEffect(() => {
    if (routeKey !== undefined) updateNodeInternals(node.id);
  }, [routeKey, node.id, updateNodeInternals]);
  const summary = view.summary(node);
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
      {summary !== '' && (
        <div className="node-summary" title={summary}>
          {summary}
        </div>
      )}
      {join !== undefined && <JoinLine nodeId={node.id} {...describeJoin(join)} />}
      {error !== undefined && (
        <div className="node-error" title={error.traceback ?? error.message}>
          {errorText(error)}
        </div>
      )}
      {problems !== undefined && <ProblemList nodeId={node.id} problems={problems} />}
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

const SHOWN_PROBLEMS = 2;

/**
 * A node's problems, one line each and at most two, so a long message never grows the node into
 * its neighbours; the whole text is in the tooltip and in the side panel.
 */
function ProblemList(props: { nodeId: string; problems: readonly string[] }) {
  const hidden = props.problems.length - SHOWN_PROBLEMS;
  return (
    <ul className="node-problems" data-testid={`node-problems-${props.nodeId}`} title={props.problems.join('\n')}>
      {props.problems.slice(0, SHOWN_PROBLEMS).map((p) => (
        <li key={p}>{p}</li>
      ))}
      {hidden > 0 && <li className="more">and {hidden} more</li>}
    </ul>
  );
}

/** How the node's `data` is gathered from its several upstream nodes (DESIGN.md: "the IDE shows it on the node"). */
function JoinLine(props: { nodeId: string; line: string; title: string }) {
  return (
    <div className="node-join" title={props.title} data-testid={`node-join-${props.nodeId}`}>
      {props.line}
    </div>
  );
}
