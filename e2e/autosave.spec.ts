import type { APIRequestContext } from '@playwright/test';
import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

async function draft(request: APIRequestContext, name: string) {
  const res = await request.get(`/api/v1/graphs/${name}`, { headers: auth });
  expect(res.status()).toBe(200);
  return (await res.json()) as {
    document: { description: string; nodes: { id: string; position: { x: number; y: number } }[] };
    revision: number;
  };
}

test('autosave keeps the server equal to the screen, and a reload brings the graph back exactly', async ({
  page,
  graphList,
  toolbar,
  canvas,
  editor,
  request,
  graphName,
}) => {
  const name = graphName('autosaved');
  await graphList.open();
  await graphList.create(name);
  await canvas.waitSaved();
  const box = await canvas.root.boundingBox();
  if (box === null) throw new Error('canvas not visible');
  await canvas.dragFromPalette('branch', box.width * 0.5, box.height * 0.2);
  // Move a node by dragging it on the canvas.
  const node = await canvas.node('output').boundingBox();
  if (node === null) throw new Error('output not visible');
  await page.mouse.move(node.x + 40, node.y + 20);
  await page.mouse.down();
  await page.mouse.move(node.x + 90, node.y + 120, { steps: 8 });
  await page.mouse.up();
  await expect(canvas.saveStatus).toHaveAttribute('data-status', /unsaved|saving/);
  await canvas.waitSaved();

  const onScreen = await toolbar.exported();
  expect((await draft(request, name)).document).toEqual(onScreen);
  await page.reload();
  await expect(canvas.node('branch_1')).toBeVisible();
  expect(await toolbar.exported()).toEqual(onScreen);

  // Removing a branch drops the edges labelled with it, and saves.
  await canvas.connect('input', 'branch_1');
  await canvas.connect('branch_1', 'output', 'yes');
  await canvas.connect('branch_1', 'output', 'no');
  await expect(canvas.edge('branch_1', 'output', 'no')).toHaveCount(1);
  await canvas.waitSaved();
  await canvas.node('branch_1').click();
  await editor.panel.getByRole('button', { name: 'Remove branch no' }).click();
  await page.getByRole('button', { name: 'Remove no' }).click();
  await expect(canvas.edge('branch_1', 'output', 'no')).toHaveCount(0);
  await canvas.waitSaved();
  expect((await draft(request, name)).document.nodes.find((n) => n.id === 'branch_1')).toMatchObject({
    branches: ['yes'],
  });

  // A draft with problems (a cycle) is saved as it is, and reopening shows that draft.
  await canvas.dragFromPalette('python', box.width * 0.25, box.height * 0.7);
  await canvas.connect('branch_1', 'python_1', 'yes');
  await canvas.connect('python_1', 'branch_1');
  await expect(canvas.nodeProblems('python_1')).toContainText('cycle');
  await canvas.waitSaved();
  const withCycle = await toolbar.exported();
  expect((await draft(request, name)).document).toEqual(withCycle);
  const unloadDialogs: string[] = [];
  page.on('dialog', (dialog) => {
    unloadDialogs.push(dialog.type());
    void dialog.accept();
  });
  await page.reload();
  // Nothing was left unsaved, so leaving did not ask.
  expect(unloadDialogs).toEqual([]);
  await expect(canvas.edge('python_1', 'branch_1')).toHaveCount(1);
  await expect(canvas.nodeProblems('python_1')).toContainText('cycle');
  await canvas.waitSaved();
  expect(await toolbar.exported()).toEqual(withCycle);
  // Fix it: the fixed graph is saved, and nothing is left in the browser.
  await canvas.edge('python_1', 'branch_1').click({ force: true });
  await page.keyboard.press('Delete');
  await canvas.waitSaved();
  expect(await page.evaluate((n) => localStorage.getItem(`plinth.unsaved.${n}`), name)).toBeNull();
  // The graph's own description is edited with no node selected.
  await canvas.root.click({ position: { x: 5, y: 5 } });
  await retype(editor.description, 'Kept across reloads');
  await canvas.waitSaved();
  expect((await draft(request, name)).document.description).toBe('Kept across reloads');

  // Leaving the editor right after an edit (before the autosave delay) still saves it.
  await canvas.node('input').click();
  await retype(editor.inputExample, '{"left": true}');
  await toolbar.back.click();
  await expect(graphList.root).toBeVisible();
  await expect
    .poll(async () => (await draft(request, name)).document.nodes.find((n) => n.id === 'input'))
    .toMatchObject({ example: { left: true } });
});

test('a save never overwrites a newer revision: the user chooses theirs or mine', async ({
  graphList,
  toolbar,
  canvas,
  editor,
  request,
  shot,
  graphName,
}) => {
  const name = graphName('contested');
  const dialog = toolbar.conflictDialog;
  await graphList.open();
  await graphList.create(name);
  await canvas.waitSaved();

  // Someone else saves the draft through the API.
  const theirs = await draft(request, name);
  const put = await request.put(`/api/v1/graphs/${name}`, {
    headers: { ...auth, 'If-Match': String(theirs.revision) },
    data: { ...theirs.document, description: 'changed elsewhere' },
  });
  expect(put.status()).toBe(200);

  // Our next edit cannot be saved over it: we are asked.
  await canvas.node('input').click();
  await retype(editor.inputExample, '{"mine": 1}');
  await expect(dialog.root).toBeVisible();
  await expect(canvas.saveStatus).toHaveAttribute('data-status', 'conflict');
  await shot('conflict');
  await dialog.theirs.click();
  await expect(dialog.root).toHaveCount(0);
  await canvas.waitSaved();
  await expect(editor.inputExample).toHaveValue('{}');
  expect((await draft(request, name)).document.description).toBe('changed elsewhere');

  // Again, and this time keep ours.
  const again = await draft(request, name);
  await request.put(`/api/v1/graphs/${name}`, {
    headers: { ...auth, 'If-Match': String(again.revision) },
    data: { ...again.document, description: 'changed elsewhere, twice' },
  });
  await retype(editor.inputExample, '{"mine": 2}');
  await expect(dialog.root).toBeVisible();
  await dialog.mine.click();
  await canvas.waitSaved();
  const final = await draft(request, name);
  expect(final.document.nodes.find((n) => n.id === 'input')).toMatchObject({ example: { mine: 2 } });
  expect(final.document.description).toBe('changed elsewhere');
});
