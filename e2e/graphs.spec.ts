import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

test('a wrong or missing token shows a sign-in screen, and the right one gets in', async ({
  page,
  signIn,
  graphList,
  shot,
}) => {
  await page.goto('/?token=not-the-token');
  await expect(signIn.message).toContainText('refused');
  await expect(page).not.toHaveURL(/token=/);
  await shot('sign-in-refused');
  await retype(signIn.token, ADMIN_TOKEN);
  await signIn.signIn.click();
  await expect(graphList.root).toBeVisible();
  // The token stays for the session: a reload does not ask again.
  await page.reload();
  await expect(graphList.root).toBeVisible();
});

test('create from a template, rename, duplicate, delete with confirmation', async ({
  page,
  graphList,
  toolbar,
  canvas,
  graphName,
}) => {
  const name = graphName('from-template');
  const renamed = graphName('renamed');
  const { newGraphDialog, renameDialog, confirmDialog } = graphList;
  await graphList.open();
  await graphList.newGraph.click();
  await retype(newGraphDialog.name, 'Not A Name');
  await newGraphDialog.create.click();
  await expect(newGraphDialog.root.getByText('Use lowercase letters')).toBeVisible();
  await newGraphDialog.cancel.click();

  // The first template after Scratch (the server's sample graph or the empty one).
  await graphList.newGraph.click();
  await retype(newGraphDialog.name, name);
  await newGraphDialog.templates.nth(1).check();
  await newGraphDialog.create.click();
  await expect(canvas.node('input')).toBeVisible();
  await expect(canvas.node('output')).toBeVisible();
  await toolbar.back.click();

  await graphList.rowAction(name, 'Duplicate').click();
  await renameDialog.duplicate.click();
  await expect(graphList.row(`${name}-copy`)).toBeVisible();

  // Publish the copy, so the rename has a version to carry along.
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  expect((await page.request.post(`/api/v1/graphs/${name}-copy/versions`, { headers: auth })).status()).toBe(201);
  await page.reload();
  await graphList.rowAction(`${name}-copy`, 'Rename').click();
  await expect(renameDialog.root).toContainText('They move with the graph');
  await retype(renameDialog.newName, renamed);
  await renameDialog.rename.click();
  await expect(graphList.row(renamed)).toBeVisible();
  await expect(graphList.row(`${name}-copy`)).toHaveCount(0);
  const versions = await page.request.get(`/api/v1/graphs/${renamed}/versions`, { headers: auth });
  expect(((await versions.json()) as { version: number }[]).map((v) => v.version)).toEqual([1]);

  await graphList.rowAction(renamed, 'Delete').click();
  await confirmDialog.cancel.click();
  await expect(graphList.row(renamed)).toBeVisible();
  await graphList.rowAction(renamed, 'Delete').click();
  await confirmDialog.button('Delete graph').click();
  await expect(graphList.row(renamed)).toHaveCount(0);
});

test('import lists every problem of a bad file, and export gives back the exact document', async ({
  graphList,
  toolbar,
  canvas,
  shot,
  graphName,
}) => {
  const name = graphName('round-trip');
  const { importDialog } = graphList;
  await graphList.open();
  await graphList.importFile.setInputFiles(path.join(FIXTURES, 'invalid-graph.json'));
  await expect(importDialog.problems).toContainText('exactly one output');
  await expect(importDialog.problems).toContainText('Bad Id');
  await expect(importDialog.problems).toContainText('nowhere');
  await shot('import-problems');
  await importDialog.close.click();

  await graphList.importFile.setInputFiles(path.join(FIXTURES, 'branching-graph.json'));
  await retype(importDialog.name, name);
  await importDialog.import.click();
  await expect(canvas.node('decide')).toBeVisible();
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();

  const original = JSON.parse(readFileSync(path.join(FIXTURES, 'branching-graph.json'), 'utf8'));
  expect(await toolbar.exported()).toEqual({ ...original, name });
});
