import { expect, type Locator, type Page } from '@playwright/test';

/** A predict try-out: JSON in, the model's answer (or its error) out. */
export class PredictBox {
  readonly input: Locator;
  readonly submit: Locator;
  readonly useExample: Locator;
  readonly result: Locator;
  readonly error: Locator;
  constructor(root: Locator) {
    this.input = root.getByRole('textbox', { name: 'Input (JSON)' });
    this.submit = root.getByRole('button', { name: /^(Predict|Preview node)$/ });
    this.useExample = root.getByRole('button', { name: 'Use example input' });
    this.result = root.locator('[data-testid$="-result"]');
    this.error = root.locator('[data-testid$="-error"]');
  }
}

/** The Models page: the upload box, every model, one model's versions, logs and try-out. */
export class ModelsPage {
  readonly root: Locator;
  /** The "Models" link in the top bar of the graph list. */
  readonly navLink: Locator;
  readonly upload: Locator;
  readonly chooseFolder: Locator;
  readonly chooseArchive: Locator;
  readonly uploadProblems: Locator;
  readonly detail: Locator;
  readonly buildLog: Locator;
  readonly loadLog: Locator;
  readonly versionError: Locator;
  readonly predict: PredictBox;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('models-page');
    this.navLink = page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Models' });
    this.upload = page.getByTestId('model-upload');
    this.chooseFolder = this.upload.getByRole('button', { name: 'Choose folder…' });
    this.chooseArchive = this.upload.getByRole('button', { name: 'Choose .tar.gz…' });
    this.uploadProblems = page.getByTestId('model-upload-problems');
    this.detail = page.getByTestId('model-detail');
    this.buildLog = page.getByTestId('model-build-log');
    this.loadLog = page.getByTestId('model-load-log');
    this.versionError = page.getByTestId('model-version-error');
    this.predict = new PredictBox(page.getByTestId('predict'));
  }
  /** A model's row in the list (a link to it). */
  model(name: string): Locator {
    return this.page.getByTestId(`model-${name}`);
  }
  modelStatus(name: string): Locator {
    return this.page.getByTestId(`model-${name}-status`);
  }
  version(n: number): Locator {
    return this.page.getByTestId(`model-version-${n}`);
  }
  versionStatus(n: number): Locator {
    return this.page.getByTestId(`model-version-${n}-status`);
  }
  /** Pick a folder (or a .tar.gz) in the file chooser the button opens, as a person does. */
  async choose(button: Locator, pathOnDisk: string): Promise<void> {
    const chooser = this.page.waitForEvent('filechooser');
    await button.click();
    await (await chooser).setFiles(pathOnDisk);
  }
  /**
   * Drag a file or folder from the desktop and drop it on the upload box: Chromium's own drag and
   * drop (over CDP) with the path, so the page gets real file-system entries, folders included.
   */
  async dropFromDesktop(pathOnDisk: string): Promise<void> {
    const box = await this.upload.boundingBox();
    if (box === null) throw new Error('the upload box is not visible');
    const cdp = await this.page.context().newCDPSession(this.page);
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const data = { items: [], files: [pathOnDisk], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
      await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
    }
    await cdp.detach();
  }
  async waitReady(n: number): Promise<void> {
    await expect(this.versionStatus(n)).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  }
}

/** The model node's fields in the side panel. */
export class ModelNodePanel {
  readonly model: Locator;
  readonly version: Locator;
  readonly status: Locator;
  readonly example: Locator;
  readonly preview: PredictBox;
  constructor(readonly page: Page) {
    this.model = page.getByTestId('model-node-model');
    this.version = page.getByTestId('model-node-version');
    this.status = page.getByTestId('model-node-status');
    this.example = page.getByTestId('model-node-example');
    this.preview = new PredictBox(page.getByTestId('model-node-preview'));
  }
}
