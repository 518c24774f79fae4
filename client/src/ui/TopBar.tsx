import { modelsHref } from './useHashRoute.ts';

/** The first screens' header: the brand, the pages (the current one marked) and Sign out. */
export function TopBar(props: { current: 'graphs' | 'models'; onSignOut: () => void }) {
  const here = (page: 'graphs' | 'models') => (props.current === page ? ({ 'aria-current': 'page' } as const) : {});
  return (
    <header className="topbar">
      <h1 className="brand">Plinth</h1>
      <nav className="page-nav" aria-label="Pages">
        <a href="#/" {...here('graphs')}>
          Graphs
        </a>
        <a href={modelsHref()} {...here('models')}>
          Models
        </a>
      </nav>
      <span className="spacer" />
      <button type="button" onClick={props.onSignOut}>
        Sign out
      </button>
    </header>
  );
}
