import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';
import { ConfirmDialog } from './graphList.ts';

/** Asked when someone else saved the draft in between: keep theirs, mine, or both (merge). */
export class ConflictDialog {
  readonly root: Locator;
  readonly theirs: Locator;
  readonly mine: Locator;
  readonly merge: Locator;
  /** Whether both edits can be kept, and if not why. */
  readonly mergeStatus: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('conflict-dialog');
    this.merge = page.getByTestId('conflict-merge');
    this.mergeStatus = page.getByTestId('conflict-merge-status');
    this.theirs = page.getByTestId('conflict-theirs');
    this.mine = page.getByTestId('conflict-mine');
  }
}

/** The editor's toolbar: back to the list, save state, layout, export; and the conflict it may ask about. */
export class Toolbar {
  readonly back: Locator;
  readonly autoLayout: Locator;
  readonly export: Locator;
  readonly conflictDialog: ConflictDialog;
  constructor(readonly page: Page) {
    this.back = page.getByRole('link', { name: 'Back to the graph list' });
    this.autoLayout = page.getByTestId('auto-layout');
    this.export = page.getByTestId('export');
    this.conflictDialog = new ConflictDialog(page);
  }
  /** Export the graph and read back the downloaded document. */
  async exported(): Promise<unknown> {
    const download = this.page.waitForEvent('download');
    await this.export.click();
    return JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  }
}

/** The React Flow canvas and the palette beside it. */
export class Canvas {
  readonly root: Locator;
  readonly palette: Locator;
  readonly saveStatus: Locator;
  readonly problemCount: Locator;
  /** The canvas controls' zoom-out button (fit never goes below a legible zoom; a person zooms out to see more). */
  readonly zoomOut: Locator;
  /** Every node React Flow draws. */
  readonly nodes: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('canvas');
    this.nodes = this.root.locator('.react-flow__node');
    this.palette = page.getByTestId('palette');
    this.saveStatus = page.getByTestId('save-status');
    this.problemCount = page.getByTestId('problem-count');
    this.zoomOut = this.root.getByRole('button', { name: 'Zoom Out' });
  }
  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }
  nodeStatus(id: string): Locator {
    return this.page.getByTestId(`node-status-${id}`);
  }
  /** The problems listed on a node. */
  nodeProblems(id: string): Locator {
    return this.page.getByTestId(`node-problems-${id}`);
  }
  /** The line on a node with several upstream nodes that says how its data is gathered. */
  join(id: string): Locator {
    return this.page.getByTestId(`node-join-${id}`);
  }
  paletteItem(type: string): Locator {
    return this.page.getByTestId(`palette-${type}`);
  }
  edge(source: string, target: string, branch?: string): Locator {
    return this.page.getByTestId(`rf__edge-${source}->${target}${branch === undefined ? '' : `#${branch}`}`);
  }
  /** HTML5 drag from the palette onto the canvas at (x, y) relative to the canvas. */
  async dragFromPalette(type: string, x: number, y: number): Promise<void> {
    await this.paletteItem(type).dragTo(this.root, { targetPosition: { x, y } });
  }
  /** Drag from a node's output handle (or a branch's) to another node's input handle. */
  async connect(source: string, target: string, branch?: string): Promise<void> {
    const from = this.node(source).locator(
      `.react-flow__handle.source${branch === undefined ? '' : `[data-handleid="${branch}"]`}`,
    );
    const to = this.node(target).locator('.react-flow__handle.target');
    await this.scrollToShow(from, to);
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (a === null || b === null) throw new Error(`handles of ${source} or ${target} not visible`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }
  /** Scroll the canvas with the wheel, as a person would, until both elements are inside it. */
  async scrollToShow(a: Locator, b: Locator): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const view = await this.root.boundingBox();
      const boxA = await a.boundingBox();
      const boxB = await b.boundingBox();
      if (view === null || boxA === null || boxB === null) return;
      const left = Math.min(boxA.x, boxB.x);
      const right = Math.max(boxA.x + boxA.width, boxB.x + boxB.width);
      const top = Math.min(boxA.y, boxB.y);
      const bottom = Math.max(boxA.y + boxA.height, boxB.y + boxB.height);
      const inside = left >= view.x && right <= view.x + view.width && top >= view.y && bottom <= view.y + view.height;
      if (inside) return;
      await this.page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
      await this.page.mouse.wheel(
        (left + right) / 2 - (view.x + view.width / 2),
        (top + bottom) / 2 - (view.y + view.height / 2),
      );
      await this.page.waitForTimeout(50);
    }
  }
  async waitSaved(): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-status', 'saved');
  }
}

/**
 * The side panel's node tab: the selected node's fields and, for a code node, the node editor
 * (Monaco, the preview, the settings). With no node selected, the graph's description.
 */
export class Editor {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly problems: Locator;
  readonly nodeId: Locator;
  readonly inputExample: Locator;
  readonly description: Locator;
  /** The node editor of a code node. */
  readonly nodeEditor: Locator;
  readonly code: Locator;
  readonly monaco: Locator;
  readonly previewInput: Locator;
  readonly previewButton: Locator;
  readonly stopButton: Locator;
  readonly pinButton: Locator;
  readonly previewRunning: Locator;
  readonly previewOutput: Locator;
  readonly previewError: Locator;
  /** Python's loading progress (or failure) in the node editor. */
  readonly pythonStatus: Locator;
  readonly timeout: Locator;
  /** Maximizes the node editor into the node view, and restores it. */
  readonly maximize: Locator;
  /** The side panel and its draggable left edge. */
  readonly sidePanel: Locator;
  readonly panelResizer: Locator;
  /** What the last test run did in the selected node (before a preview replaces it). */
  readonly lastRunOutput: Locator;
  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-node');
    this.panel = page.getByTestId('node-panel');
    this.problems = page.getByTestId('node-panel-problems');
    this.nodeId = page.getByTestId('node-id-input');
    this.inputExample = page.getByTestId('input-example');
    this.description = page.getByTestId('graph-description');
    this.nodeEditor = page.getByTestId('node-editor');
    this.code = page.getByTestId('code-editor');
    this.monaco = this.code.locator('.monaco-editor').first();
    this.previewInput = this.nodeEditor.getByTestId('preview-input');
    this.previewButton = page.getByTestId('preview-button');
    this.stopButton = page.getByTestId('stop-button');
    this.pinButton = page.getByTestId('pin-button');
    this.previewRunning = this.nodeEditor.getByTestId('preview-running');
    this.previewOutput = page.getByTestId('preview-output');
    this.previewError = page.getByTestId('preview-error');
    this.pythonStatus = this.nodeEditor.getByTestId('python-status');
    this.timeout = this.nodeEditor.getByLabel('Timeout (ms)');
    this.maximize = page.getByTestId('maximize-editor');
    this.sidePanel = page.getByTestId('side-panel');
    this.panelResizer = page.getByTestId('panel-resizer');
    this.lastRunOutput = this.nodeEditor.getByTestId('last-run-output');
  }
  /**
   * Replace the code in Monaco by typing it, as a person would. Monaco indents after ":" and
   * closes brackets and quotes itself: each new line starts from column 1 and is typed with its
   * own indentation, and a closing character typed over one Monaco added replaces it.
   */
  async typeCode(lines: readonly string[]): Promise<void> {
    await expect(this.monaco).toBeVisible({ timeout: 30_000 });
    await this.monaco.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    for (const [i, line] of lines.entries()) {
      if (i > 0) {
        // A suggestion list open at the end of a line would take the Enter.
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Enter');
        await this.page.keyboard.press('Home');
        await this.page.keyboard.press('Shift+Home');
        await this.page.keyboard.press('Delete');
      }
      await this.page.keyboard.type(line);
    }
    await this.page.keyboard.press('Escape');
  }
  /**
   * How much code Monaco shows: lines wholly inside its viewport, and whether the first line's
   * text (say, 100 characters) ends inside it without scrolling sideways.
   */
  async visibleCode(): Promise<{ lines: number; firstLineFits: boolean; firstLineChars: number }> {
    return this.monaco.evaluate((root) => {
      const viewport = root.querySelector('.lines-content')?.parentElement?.getBoundingClientRect();
      if (viewport === undefined) throw new Error('Monaco has no lines viewport');
      const scrollbar = root.querySelector('.scrollbar.vertical')?.getBoundingClientRect().width ?? 0;
      const lines = [...root.querySelectorAll('.view-lines .view-line')].map((el) => el.getBoundingClientRect());
      const whole = lines.filter((r) => r.top >= viewport.top - 0.5 && r.bottom <= viewport.bottom + 0.5);
      const first = [...root.querySelectorAll('.view-lines .view-line')].find(
        (el) => parseFloat((el as HTMLElement).style.top) === 0,
      );
      const text = first?.firstElementChild?.getBoundingClientRect();
      return {
        lines: whole.length,
        firstLineFits: text !== undefined && text.right <= viewport.right - scrollbar,
        firstLineChars: (first?.textContent ?? '').length,
      };
    });
  }
  /** The code as Monaco shows it (its rendered lines; fine for code shorter than the editor). */
  async shownCode(): Promise<string> {
    const lines = await this.monaco.locator('.view-lines .view-line').evaluateAll((els) =>
      els
        .map((el) => ({ top: parseFloat((el as HTMLElement).style.top), text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text.replace(/\u00a0/g, ' ').trimEnd()),
    );
    return lines.join('\n');
  }
}

export class RunPanel {
  readonly tab: Locator;
  readonly input: Locator;
  readonly runInBrowser: Locator;
  readonly runOnServer: Locator;
  /** The last run's outcome: its heading says where it ran. */
  readonly summary: Locator;
  readonly output: Locator;
  readonly failure: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-test');
    this.summary = page.getByTestId('run-result');
    this.input = page.getByTestId('run-input');
    this.runInBrowser = page.getByTestId('run-browser');
    this.runOnServer = page.getByTestId('run-server');
    this.output = page.getByTestId('run-output');
    this.failure = page.getByTestId('run-failure');
    this.error = page.getByTestId('run-error');
  }
  result(nodeId: string): Locator {
    return this.page.getByTestId(`result-${nodeId}`);
  }
}

/** Publishing: the button, the release note it asks for, and the refusal when the example run fails. */
export class PublishPanel {
  readonly publish: Locator;
  readonly publishDialog: Locator;
  readonly releaseNote: Locator;
  readonly checkAndPublish: Locator;
  readonly refused: Locator;
  readonly refusedMessage: Locator;
  readonly publishAnyway: Locator;
  readonly notice: Locator;
  readonly versionsTab: Locator;
  readonly callTab: Locator;
  readonly createKey: Locator;
  readonly apiKey: Locator;
  readonly curl: Locator;
  /** A version against the draft, line by line. */
  readonly diff: Locator;
  readonly confirmDialog: ConfirmDialog;
  constructor(readonly page: Page) {
    this.publish = page.getByTestId('publish');
    this.publishDialog = page.getByTestId('publish-dialog');
    this.releaseNote = this.publishDialog.getByLabel('Release note (optional)');
    this.checkAndPublish = this.publishDialog.getByRole('button', { name: 'Check and publish' });
    this.refused = page.getByTestId('publish-refused');
    this.refusedMessage = page.getByTestId('publish-refused-message');
    this.publishAnyway = this.refused.getByRole('button', { name: 'Publish anyway' });
    this.notice = page.getByTestId('publish-notice');
    this.versionsTab = page.getByTestId('tab-versions');
    this.callTab = page.getByTestId('tab-call');
    this.createKey = page.getByTestId('create-key');
    this.apiKey = page.getByTestId('api-key');
    this.curl = page.getByTestId('snippet-curl');
    this.diff = page.getByTestId('version-diff');
    this.confirmDialog = new ConfirmDialog(page);
  }
  version(n: number): Locator {
    return this.page.getByTestId(`version-${n}`);
  }
  /** Publish as a person does: the button, a release note typed (or none), "Check and publish". */
  async publishWith(note?: string): Promise<void> {
    await this.publish.click();
    if (note !== undefined) {
      await this.releaseNote.click();
      await this.page.keyboard.type(note);
    }
    await this.checkAndPublish.click();
  }
}
