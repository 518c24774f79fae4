import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import {
  ADMIN_TOKEN,
  Canvas,
  Editor,
  expect,
  GraphListPage,
  retype,
  RunPanel,
  SignInPage,
  test,
  Toolbar,
} from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A copy of the greeter fixture under `name`, created through the API. */
async function createGreeter(request: APIRequestContext, name: string): Promise<void> {
  const doc = JSON.parse(readFileSync(new URL('./fixtures/greeter-graph.json', import.meta.url), 'utf8')) as object;
  const res = await request.post('/api/v1/graphs', { headers: auth, data: { ...doc, name } });
  expect(res.status()).toBe(201);
}

test('a new tab on a deep link stays signed in until Sign out, and the sign-in hint names this server', async ({
  context,
  page,
  graphList,
  request,
  graphName,
}) => {
  const name = graphName('deep-link');
  await createGreeter(request, name);
  await graphList.open();

  // A second tab opened straight at the graph (a bookmark, a pasted link) needs no token.
  const second = await context.newPage();
  await second.goto(`/#/graphs/${name}`);
  await expect(new Canvas(second).node('greet')).toBeVisible();
  await expect(new SignInPage(second).root).toHaveCount(0);
  // And so does the first tab after a reload.
  await page.reload();
  await expect(graphList.row(name)).toBeVisible();

  // Sign out forgets the token: in this tab, in the other one, and in any tab opened later.
  await graphList.signOut.click();
  const signIn = new SignInPage(page);
  await expect(signIn.root).toBeVisible();
  await expect(new SignInPage(second).root).toBeVisible();
  const third = await context.newPage();
  await third.goto(`/#/graphs/${name}`);
  const thirdSignIn = new SignInPage(third);
  await expect(thirdSignIn.root).toBeVisible();
  // The hint shows the address of the server this page came from, port and all.
  const origin = new URL(page.url()).origin;
  await expect(thirdSignIn.hintUrl).toHaveText(`${origin}/?token=…`);

  // Signing in again (typing the token) opens the deep link it was asked for.
  await thirdSignIn.token.click();
  await third.keyboard.type(ADMIN_TOKEN);
  await third.keyboard.press('Enter');
  await expect(new Canvas(third).node('greet')).toBeVisible();
  await expect(new GraphListPage(third).root).toHaveCount(0);
});

test("the last test run's trace survives a reload, and reaches another browser from run history", async ({
  browser,
  page,
  graphList,
  canvas,
  runPanel,
  request,
  graphName,
}) => {
  const name = graphName('kept-run');
  await createGreeter(request, name);
  await graphList.open();
  await page.goto(`/#/graphs/${name}`);
  await runPanel.tab.click();
  await runPanel.runOnServer.click();
  await expect(runPanel.output).toContainText('Hello, Ada');
  await expect(canvas.nodeStatus('greet')).toContainText('ok');

  await page.reload();
  await expect(canvas.nodeStatus('greet')).toContainText('ok');
  await runPanel.tab.click();
  await expect(runPanel.summary).toContainText('server sandbox');
  await expect(runPanel.output).toContainText('Hello, Ada');
  await expect(runPanel.result('greet')).toContainText('ok');

  // A browser that never ran it (nothing kept locally) gets the run from the server's history.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`/?token=${ADMIN_TOKEN}#/graphs/${name}`);
  const otherCanvas = new Canvas(otherPage);
  await expect(otherCanvas.nodeStatus('greet')).toContainText('ok');
  const otherRuns = new RunPanel(otherPage);
  await otherRuns.tab.click();
  await expect(otherRuns.output).toContainText('Hello, Ada');
  await other.close();
});

test('two tabs that edited different nodes can keep both edits; the same node can only be theirs or mine', async ({
  context,
  page,
  graphList,
  canvas,
  editor,
  toolbar,
  request,
  graphName,
}) => {
  const name = graphName('two-tabs');
  await createGreeter(request, name);
  await graphList.open();
  await page.goto(`/#/graphs/${name}`);
  await expect(canvas.node('greet')).toBeVisible();
  const other = await context.newPage();
  await other.goto(`/#/graphs/${name}`);
  const otherCanvas = new Canvas(other);
  const otherEditor = new Editor(other);

  // The other tab changes the input node's example and saves first.
  await otherCanvas.node('input').click();
  await retype(otherEditor.inputExample, '{"name": "Grace"}');
  await otherCanvas.waitSaved();

  // This tab, still on the older revision, changes another node: asked, and both can be kept.
  await canvas.node('greet').click();
  await retype(editor.timeout, '7000');
  const dialog = toolbar.conflictDialog;
  await expect(dialog.root).toBeVisible();
  await expect(dialog.mergeStatus).toContainText('both can be kept');
  await dialog.merge.click();
  await expect(dialog.root).toHaveCount(0);
  await canvas.waitSaved();
  const merged = (await (await request.get(`/api/v1/graphs/${name}`, { headers: auth })).json()) as {
    document: { nodes: { id: string; example?: unknown; timeoutMs?: number }[] };
  };
  expect(merged.document.nodes.find((n) => n.id === 'input')?.example).toEqual({ name: 'Grace' });
  expect(merged.document.nodes.find((n) => n.id === 'greet')?.timeoutMs).toBe(7000);
  // This tab shows the other tab's edit too.
  await canvas.node('input').click();
  await expect(editor.inputExample).toHaveValue(/"Grace"/);

  // Both tabs edit the same node: merging is refused, naming the node; the user picks a side.
  await retype(editor.inputExample, '{"name": "Barbara"}');
  await canvas.waitSaved();
  await otherCanvas.node('input').click();
  await retype(otherEditor.inputExample, '{"name": "Edsger"}');
  await expect(otherCanvas.saveStatus).toHaveAttribute('data-status', 'conflict');
  const otherDialog = new Toolbar(other).conflictDialog;
  await expect(otherDialog.mergeStatus).toContainText('both edits changed node input');
  await expect(otherDialog.merge).toBeDisabled();
  await otherDialog.mine.click();
  await otherCanvas.waitSaved();
  const kept = (await (await request.get(`/api/v1/graphs/${name}`, { headers: auth })).json()) as typeof merged;
  expect(kept.document.nodes.find((n) => n.id === 'input')?.example).toEqual({ name: 'Edsger' });
});

test('Stop while Python is still loading stops the preview at once; Python goes on loading for the next one', async ({
  browser,
  request,
  graphName,
}) => {
  test.setTimeout(180_000);
  const name = graphName('stop-booting');
  await createGreeter(request, name);
  // A fresh browser: nothing of Pyodide cached, so loading takes a while.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/?token=${ADMIN_TOKEN}#/graphs/${name}`);
  const canvas = new Canvas(page);
  const editor = new Editor(page);
  await canvas.node('greet').click();
  await editor.previewButton.click();
  await expect(editor.stopButton).toBeVisible();
  await editor.stopButton.click();
  // Stopped while loading (not after it): the message says so, and the Preview button is back.
  await expect(editor.previewError).toContainText('while Python was loading');
  await expect(editor.previewButton).toBeVisible();
  await expect(editor.previewOutput).toHaveCount(0);

  // Python finished loading meanwhile, and the next preview runs.
  await expect(editor.pythonStatus).toBeHidden({ timeout: 90_000 });
  await editor.previewButton.click();
  await expect(editor.previewOutput).toContainText('Hello, Ada', { timeout: 30_000 });
  await context.close();
});
