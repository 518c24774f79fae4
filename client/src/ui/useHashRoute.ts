import { useSyncExternalStore } from 'react';

export type Route = { view: 'list' } | { view: 'graph'; name: string } | { view: 'models'; name: string | null };

/** `#/` is the graph list, `#/graphs/<name>` one graph's editor, `#/models[/<name>]` the models page. */
export function parseRoute(hash: string): Route {
  const match = /^#\/graphs\/([^/]+)$/.exec(hash);
  if (match?.[1] !== undefined) return { view: 'graph', name: decodeURIComponent(match[1]) };
  const models = /^#\/models(?:\/([^/]+))?\/?$/.exec(hash);
  if (models !== null) return { view: 'models', name: models[1] === undefined ? null : decodeURIComponent(models[1]) };
  return { view: 'list' };
}

export function modelsHref(name: string | null = null): string {
  return name === null ? '#/models' : `#/models/${encodeURIComponent(name)}`;
}

export function graphHref(name: string): string {
  return `#/graphs/${encodeURIComponent(name)}`;
}

export function navigate(href: string): void {
  window.location.hash = href.startsWith('#') ? href.slice(1) : href;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
