import { NodePanel } from '../panels/NodePanel.tsx';
import { RunPanel } from '../run/RunPanel.tsx';
import { VersionsPanel } from '../publish/VersionsPanel.tsx';
import { CallPanel } from '../publish/CallPanel.tsx';
import { PanelResizer, usePanelWidth } from './PanelResizer.tsx';

export type SideTab = 'node' | 'test' | 'versions' | 'call';

const TABS: { id: SideTab; label: string }[] = [
  { id: 'node', label: 'Node' },
  { id: 'test', label: 'Test' },
  { id: 'versions', label: 'Versions' },
  { id: 'call', label: 'How to call it' },
];

/** The panel beside the canvas: the selected node, test runs, versions, API snippets. */
export function SidePanel(props: { name: string; tab: SideTab; onTab: (tab: SideTab) => void }) {
  const [width, setWidth] = usePanelWidth();
  return (
    <aside className="side-panel" aria-label="Details" style={{ width }} data-testid="side-panel">
      <PanelResizer width={width} onWidth={setWidth} />
      <div role="tablist" className="tabs" aria-label="Panels">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={props.tab === t.id}
            aria-controls={`tabpanel-${t.id}`}
            className={props.tab === t.id ? 'tab active' : 'tab'}
            onClick={() => props.onTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`tabpanel-${props.tab}`} aria-labelledby={`tab-${props.tab}`} className="tab-body">
        {props.tab === 'node' && <NodePanel />}
        {props.tab === 'test' && <RunPanel name={props.name} />}
        {props.tab === 'versions' && <VersionsPanel name={props.name} />}
        {props.tab === 'call' && <CallPanel name={props.name} />}
      </div>
    </aside>
  );
}
