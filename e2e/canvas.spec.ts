import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const router = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'branching-graph.json'), 'utf8'));

test('renaming a branch relabels its edge; removing one asks first and Ctrl+Z brings it back', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const doc = { ...router, name: graphName('branch-rename') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await canvas.node('decide').click();

  // One more letter at the end of "approve": the edge stays, relabelled.
  const first = page.getByLabel('Branch 1');
  await first.click();
  await page.keyboard.press('End');
  await page.keyboard.type('d');
  await expect(first).toHaveValue('approved');
  await expect(canvas.edge('decide', 'approve', 'approved')).toBeVisible();
  await expect(canvas.edge('decide', 'approve', 'approved')).toContainText('approved');
  await canvas.waitSaved();
  const saved = await (await request.get(`/api/v1/graphs/${doc.name}`, { headers: auth })).json();
  expect(saved.document.edges).toContainEqual({
    source: 'decide',
    branch: 'approved',
    target: 'approve',
  });

  // Each keystroke renames; the one that would name it like the other branch is refused with why.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('review');
  await expect(page.locator('.branch-name .field-error')).toHaveText(
    'There is already a branch "review". Still "revie".',
  );
  await expect(canvas.edge('decide', 'approve', 'revie')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(first).toHaveValue('revie');

  // Removing a branch asks first; cancelling keeps it.
  await page.getByRole('button', { name: 'Remove branch review' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Its edge goes with it.');
  await page.keyboard.press('Escape');
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();
  await page.getByRole('button', { name: 'Remove branch review' }).click();
  await page.getByRole('button', { name: 'Remove review' }).click();
  await expect(canvas.edge('decide', 'review', 'review')).toHaveCount(0);
  await expect(canvas.node('decide')).not.toContainText('review');

  await page.keyboard.press('ControlOrMeta+Z');
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();
  await expect(page.getByLabel('Branch 2')).toHaveValue('review');
});
