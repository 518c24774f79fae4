import { expect, type Locator, type Page } from '@playwright/test';
import { ADMIN_TOKEN } from './token.ts';
import { retype } from './typing.ts';

/** The token gate shown without (or with a refused) token. */
export class SignInPage {
  readonly message: Locator;
  readonly token: Locator;
  readonly signIn: Locator;
  /** The hint with the address the server prints (`http://host:port/?token=…`). */
  readonly hintUrl: Locator;
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('sign-in');
    this.hintUrl = page.getByTestId('sign-in-url');
    this.message = page.getByTestId('sign-in-message');
    this.token = page.getByLabel('Admin token');
    this.signIn = page.getByRole('button', { name: 'Sign in' });
  }
}

/** "New graph": a name and a starting point. */
export class NewGraphDialog {
  readonly root: Locator;
  readonly name: Locator;
  readonly templates: Locator;
  readonly create: Locator;
  readonly cancel: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('new-graph-dialog');
    this.name = this.root.getByLabel('Name');
    this.templates = this.root.getByRole('radio');
    this.create = this.root.getByRole('button', { name: 'Create graph' });
    this.cancel = this.root.getByRole('button', { name: 'Cancel' });
  }
  template(title: string): Locator {
    return this.root.getByRole('radio', { name: new RegExp(title) });
  }
}

/** "Import a graph": the problems of a bad file, or the name to create a good one as. */
export class ImportDialog {
  readonly root: Locator;
  readonly problems: Locator;
  readonly name: Locator;
  readonly import: Locator;
  readonly close: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('import-dialog');
    this.problems = page.getByTestId('import-problems');
    this.name = this.root.getByLabel('Create it as');
    this.import = this.root.getByRole('button', { name: 'Import' });
    this.close = this.root.getByRole('button', { name: 'Close', exact: true });
  }
}

/** Rename or duplicate a graph: one dialog, a new name. */
export class RenameDialog {
  readonly root: Locator;
  readonly newName: Locator;
  readonly rename: Locator;
  readonly duplicate: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('rename-dialog');
    this.newName = this.root.getByLabel('New name');
    this.rename = this.root.getByRole('button', { name: 'Rename' });
    this.duplicate = this.root.getByRole('button', { name: 'Duplicate' });
  }
}

/** "Are you sure?" before something that cannot be undone. */
export class ConfirmDialog {
  readonly root: Locator;
  readonly cancel: Locator;
  constructor(page: Page) {
    this.root = page.getByTestId('confirm-dialog');
    this.cancel = this.root.getByRole('button', { name: 'Cancel' });
  }
  button(label: string): Locator {
    return this.root.getByRole('button', { name: label });
  }
}

/** The graph list: the first screen. */
export class GraphListPage {
  readonly root: Locator;
  readonly newGraph: Locator;
  readonly signOut: Locator;
  readonly importFile: Locator;
  readonly newGraphDialog: NewGraphDialog;
  readonly importDialog: ImportDialog;
  readonly renameDialog: RenameDialog;
  readonly confirmDialog: ConfirmDialog;
  constructor(readonly page: Page) {
    this.root = page.getByTestId('graph-list');
    this.newGraph = page.getByRole('button', { name: 'New graph' });
    this.signOut = page.getByRole('button', { name: 'Sign out' });
    this.importFile = page.getByTestId('import-file');
    this.newGraphDialog = new NewGraphDialog(page);
    this.importDialog = new ImportDialog(page);
    this.renameDialog = new RenameDialog(page);
    this.confirmDialog = new ConfirmDialog(page);
  }
  row(name: string): Locator {
    return this.page.getByTestId(`graph-row-${name}`);
  }
  /** A button of a graph's row: Rename, Duplicate, Export, Delete. */
  rowAction(name: string, action: 'Rename' | 'Duplicate' | 'Export' | 'Delete'): Locator {
    return this.row(name).getByRole('button', { name: action });
  }
  /** The link that opens a graph in the editor. */
  link(name: string): Locator {
    return this.row(name).getByRole('link', { name });
  }
  async open(): Promise<void> {
    await this.page.goto(`/?token=${encodeURIComponent(ADMIN_TOKEN)}`);
    await expect(this.root).toBeVisible();
  }
  /** Create a graph through the dialog; `template` is a template's title, or Scratch. */
  async create(name: string, template = 'Scratch'): Promise<void> {
    await this.newGraph.click();
    await retype(this.newGraphDialog.name, name);
    await this.newGraphDialog.template(template).check();
    await this.newGraphDialog.create.click();
    await expect(this.page.getByTestId('editor')).toBeVisible();
  }
}
