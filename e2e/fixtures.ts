import { test as base, expect } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export const ADMIN_TOKEN = process.env.PLINTH_E2E_TOKEN ?? 'e2e-admin-token-0123456789abcdef';
const SCREENSHOT_DIR = path.join(import.meta.dirname, 'screenshots');

/** The graph list: the first screen. */
export class GraphListPage {
  readonly root: Locator;
  readonly newGraph: Locator;
  readonly importFile: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('graph-list');
    this.newGraph = page.getByRole('button', { name: 'New graph' });
    this.importFile = page.getByTestId('import-file');
  }
  row(name: string): Locator {
    return this.page.getByTestId(`graph-row-${name}`);
  }
  async open(): Promise<void> {
    await this.page.goto(`/?token=${encodeURIComponent(ADMIN_TOKEN)}`);
    await expect(this.root).toBeVisible();
  }
  /** Create a graph through the dialog; `template` is a template's title, or Scratch. */
  async create(name: string, template = 'Scratch'): Promise<void> {
    await this.newGraph.click();
    const dialog = this.page.getByTestId('new-graph-dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('radio', { name: new RegExp(template) }).check();
    await dialog.getByRole('button', { name: 'Create graph' }).click();
    await expect(this.page.getByTestId('editor')).toBeVisible();
  }
}

/** The React Flow canvas and the palette beside it. */
export class Canvas {
  readonly root: Locator;
  readonly palette: Locator;
  readonly saveStatus: Locator;
  readonly problemCount: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('canvas');
    this.palette = page.getByTestId('palette');
    this.saveStatus = page.getByTestId('save-status');
    this.problemCount = page.getByTestId('problem-count');
  }
  node(id: string): Locator {
    return this.page.getByTestId(`node-${id}`);
  }
  nodeStatus(id: string): Locator {
    return this.page.getByTestId(`node-status-${id}`);
  }
  edge(source: string, target: string, branch?: string): Locator {
    return this.page.getByTestId(`rf__edge-${source}->${target}${branch === undefined ? '' : `#${branch}`}`);
  }
  /** HTML5 drag from the palette onto the canvas at (x, y) relative to the canvas. */
  async dragFromPalette(type: string, x: number, y: number): Promise<void> {
    await this.page.getByTestId(`palette-${type}`).dragTo(this.root, { targetPosition: { x, y } });
  }
  /** Drag from a node's output handle (or a branch's) to another node's input handle. */
  async connect(source: string, target: string, branch?: string): Promise<void> {
    const from = this.node(source).locator(
      `.react-flow__handle.source${branch === undefined ? '' : `[data-handleid="${branch}"]`}`,
    );
    const to = this.node(target).locator('.react-flow__handle.target');
    const a = await from.boundingBox();
    const b = await to.boundingBox();
    if (a === null || b === null) throw new Error(`handles of ${source} or ${target} not visible`);
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
  }
  async waitSaved(): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-status', 'saved');
  }
}

/** The side panel's node tab, including the Python helper's Monaco editor and preview. */
export class Editor {
  readonly tab: Locator;
  readonly panel: Locator;
  readonly nodeId: Locator;
  readonly code: Locator;
  readonly previewButton: Locator;
  readonly stopButton: Locator;
  readonly previewOutput: Locator;
  readonly previewError: Locator;
  readonly inputExample: Locator;
  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-node');
    this.panel = page.getByTestId('node-panel');
    this.nodeId = page.getByTestId('node-id-input');
    this.code = page.getByTestId('code-editor');
    this.previewButton = page.getByTestId('preview-button');
    this.stopButton = page.getByTestId('stop-button');
    this.previewOutput = page.getByTestId('preview-output');
    this.previewError = page.getByTestId('preview-error');
    this.inputExample = page.getByTestId('input-example');
  }
  /** Replace the code in Monaco by typing it, as a person would. */
  async typeCode(lines: readonly string[]): Promise<void> {
    const editor = this.code.locator('.monaco-editor').first();
    await expect(editor).toBeVisible({ timeout: 30_000 });
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    for (const [i, line] of lines.entries()) {
      // Monaco re-indents after ":"; type each line without its indentation and
      // then set the indentation explicitly.
      if (i > 0) {
        await this.page.keyboard.press('Enter');
        await this.page.keyboard.press('Home');
        await this.page.keyboard.press('Shift+Home');
        await this.page.keyboard.press('Delete');
      }
      await this.page.keyboard.insertText(line);
    }
  }
}

export class RunPanel {
  readonly tab: Locator;
  readonly input: Locator;
  readonly runInBrowser: Locator;
  readonly runOnServer: Locator;
  readonly output: Locator;
  readonly failure: Locator;
  readonly error: Locator;
  constructor(readonly page: Page) {
    this.tab = page.getByTestId('tab-test');
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

export class PublishPanel {
  readonly publish: Locator;
  readonly notice: Locator;
  readonly versionsTab: Locator;
  readonly callTab: Locator;
  readonly createKey: Locator;
  readonly apiKey: Locator;
  readonly curl: Locator;
  constructor(readonly page: Page) {
    this.publish = page.getByTestId('publish');
    this.notice = page.getByTestId('publish-notice');
    this.versionsTab = page.getByTestId('tab-versions');
    this.callTab = page.getByTestId('tab-call');
    this.createKey = page.getByTestId('create-key');
    this.apiKey = page.getByTestId('api-key');
    this.curl = page.getByTestId('snippet-curl');
  }
  version(n: number): Locator {
    return this.page.getByTestId(`version-${n}`);
  }
}

interface Fixtures {
  graphList: GraphListPage;
  canvas: Canvas;
  editor: Editor;
  runPanel: RunPanel;
  publishPanel: PublishPanel;
  /** Save a full-page screenshot under e2e/screenshots/ (gitignored). */
  shot: (name: string) => Promise<void>;
  consoleErrors: string[];
  /** A graph name for this test; a retry gets a fresh one, since the data dir lives for the whole run. */
  graphName: (base: string) => string;
}

export const test = base.extend<Fixtures>({
  graphList: async ({ page }, use) => use(new GraphListPage(page)),
  canvas: async ({ page }, use) => use(new Canvas(page)),
  editor: async ({ page }, use) => use(new Editor(page)),
  runPanel: async ({ page }, use) => use(new RunPanel(page)),
  publishPanel: async ({ page }, use) => use(new PublishPanel(page)),
  shot: async ({ page }, use) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await use(async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
    });
  },
  graphName: async ({}, use, testInfo) =>
    use((base) => (testInfo.retry === 0 ? base : `${base}-retry${testInfo.retry}`)),
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} ${msg.location().url}`);
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await use(errors);
  },
});

export { expect };
