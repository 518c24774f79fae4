import { modelsHref } from '../ui/useHashRoute.ts';

/** The model versions a published graph version calls: pinned when it was published. */
export function PinnedModels(props: { models: Record<string, number>; testId?: string }) {
  const pins = Object.entries(props.models).sort(([a], [b]) => a.localeCompare(b));
  if (pins.length === 0) return null;
  return (
    <span className="muted pinned-models" data-testid={props.testId} title="Model versions this graph version calls">
      {pins.map(([name, version], i) => (
        <span key={name}>
          {i > 0 ? ', ' : ''}
          <a href={modelsHref(name)}>
            {name} v{version}
          </a>
        </span>
      ))}
    </span>
  );
}
