import { useSyncExternalStore } from 'react';

export type Route = { view: 'list' } | { view: 'graph'; name: string };

/** `#/` is the graph list, `#/graphs/<name>` one graph's editor. */
export function parseRoute(hash: string): Route {
  const match = /^#\/graphs\/([^/]+)$/.exec(hash);
  if (match?.[1] !== undefined) return { view: 'graph', name: decodeURIComponent(match[1]) };
  return { view: 'list' };
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
