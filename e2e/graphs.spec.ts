import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, test } from './fixtures.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

test('a wrong or missing token shows a sign-in screen, and the right one gets in', async ({
  page,
  graphList,
  shot,
}) => {
  await page.goto('/?token=not-the-token');
  await expect(page.getByTestId('sign-in-message')).toContainText('refused');
  await expect(page).not.toHaveURL(/token=/);
  await shot('sign-in-refused');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(graphList.root).toBeVisible();
  // The token stays for the session: a reload does not ask again.
  await page.reload();
  await expect(graphList.root).toBeVisible();
});

test('create from a template, rename, duplicate, delete with confirmation', async ({
  page,
  graphList,
  canvas,
  graphName,
}) => {
  const name = graphName('from-template');
  const renamed = graphName('renamed');
  await graphList.open();
  await graphList.newGraph.click();
  const dialog = page.getByTestId('new-graph-dialog');
  await dialog.getByLabel('Name').fill('Not A Name');
  await dialog.getByRole('button', { name: 'Create graph' }).click();
  await expect(dialog.getByText('Use lowercase letters')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The first template after Scratch (the server's sample graph or the empty one).
  await graphList.newGraph.click();
  await page.getByTestId('new-graph-dialog').getByLabel('Name').fill(name);
  await page.getByTestId('new-graph-dialog').getByRole('radio').nth(1).check();
  await page.getByTestId('new-graph-dialog').getByRole('button', { name: 'Create graph' }).click();
  await expect(canvas.node('input')).toBeVisible();
  await expect(canvas.node('output')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the graph list' }).click();

  await graphList.row(name).getByRole('button', { name: 'Duplicate' }).click();
  await page.getByTestId('rename-dialog').getByRole('button', { name: 'Duplicate' }).click();
  await expect(graphList.row(`${name}-copy`)).toBeVisible();

  // Publish the copy, so the rename has a version to carry along.
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  expect((await page.request.post(`/api/v1/graphs/${name}-copy/versions`, { headers: auth })).status()).toBe(201);
  await page.reload();
  await graphList.row(`${name}-copy`).getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByTestId('rename-dialog')).toContainText('They move with the graph');
  await page.getByTestId('rename-dialog').getByLabel('New name').fill(renamed);
  await page.getByTestId('rename-dialog').getByRole('button', { name: 'Rename' }).click();
  await expect(graphList.row(renamed)).toBeVisible();
  await expect(graphList.row(`${name}-copy`)).toHaveCount(0);
  const versions = await page.request.get(`/api/v1/graphs/${renamed}/versions`, { headers: auth });
  expect(((await versions.json()) as { version: number }[]).map((v) => v.version)).toEqual([1]);

  await graphList.row(renamed).getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(graphList.row(renamed)).toBeVisible();
  await graphList.row(renamed).getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Delete graph' }).click();
  await expect(graphList.row(renamed)).toHaveCount(0);
});

test('import lists every problem of a bad file, and export gives back the exact document', async ({
  page,
  graphList,
  canvas,
  shot,
  graphName,
}) => {
  const name = graphName('round-trip');
  await graphList.open();
  await graphList.importFile.setInputFiles(path.join(FIXTURES, 'invalid-graph.json'));
  const problems = page.getByTestId('import-problems');
  await expect(problems).toContainText('exactly one output');
  await expect(problems).toContainText('Bad Id');
  await expect(problems).toContainText('nowhere');
  await shot('import-problems');
  await page.getByTestId('import-dialog').getByRole('button', { name: 'Close', exact: true }).click();

  await graphList.importFile.setInputFiles(path.join(FIXTURES, 'branching-graph.json'));
  await page.getByTestId('import-dialog').getByLabel('Create it as').fill(name);
  await page.getByTestId('import-dialog').getByRole('button', { name: 'Import' }).click();
  await expect(canvas.node('decide')).toBeVisible();
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  const original = JSON.parse(readFileSync(path.join(FIXTURES, 'branching-graph.json'), 'utf8'));
  expect(exported).toEqual({ ...original, name });
});
