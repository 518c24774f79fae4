import { test as base, expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Canvas, Editor, PublishPanel, RunPanel, Toolbar } from './pages/editor.ts';
import { GraphListPage, SignInPage } from './pages/graphList.ts';
import { ModelNodePanel, ModelsPage } from './pages/models.ts';

export { ADMIN_TOKEN } from './pages/token.ts';
export { retype } from './pages/typing.ts';
export * from './pages/editor.ts';
export * from './pages/graphList.ts';
export * from './pages/models.ts';

const SCREENSHOT_DIR = path.join(import.meta.dirname, 'screenshots');

/** Each test gets the page objects (`e2e/pages/`) of the screens it drives. */
interface Fixtures {
  signIn: SignInPage;
  graphList: GraphListPage;
  toolbar: Toolbar;
  canvas: Canvas;
  editor: Editor;
  runPanel: RunPanel;
  publishPanel: PublishPanel;
  models: ModelsPage;
  modelNode: ModelNodePanel;
  /** Save a full-page screenshot under e2e/screenshots/ (gitignored). */
  shot: (name: string) => Promise<void>;
  consoleErrors: string[];
  /** A graph name for this test; a retry gets a fresh one, since the data dir lives for the whole run. */
  graphName: (base: string) => string;
}

export const test = base.extend<Fixtures>({
  signIn: async ({ page }, use) => use(new SignInPage(page)),
  graphList: async ({ page }, use) => use(new GraphListPage(page)),
  toolbar: async ({ page }, use) => use(new Toolbar(page)),
  canvas: async ({ page }, use) => use(new Canvas(page)),
  editor: async ({ page }, use) => use(new Editor(page)),
  runPanel: async ({ page }, use) => use(new RunPanel(page)),
  publishPanel: async ({ page }, use) => use(new PublishPanel(page)),
  models: async ({ page }, use) => use(new ModelsPage(page)),
  modelNode: async ({ page }, use) => use(new ModelNodePanel(page)),
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

/** A graph from the "Empty" template (input → python node `process` → output, example {"value": 1}), its node selected. */
export async function openEmptyGraph(
  { graphList, canvas }: { graphList: GraphListPage; canvas: Canvas },
  prefix: string,
): Promise<void> {
  await graphList.open();
  await graphList.create(`${prefix}-${Date.now().toString(36)}`, 'Empty');
  await canvas.node('process').click();
}
