import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const greeter = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'greeter-graph.json'), 'utf8'));

test('publish twice, diff a version against the draft, roll back with confirmation', async ({
  graphList,
  canvas,
  editor,
  publishPanel,
  request,
  shot,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName(greeter.name) };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  const keyResponse = await request.post('/api/v1/keys', { headers: auth, data: { name: 'versions-e2e' } });
  const { key } = (await keyResponse.json()) as { key: string };
  const invoke = async () => {
    const res = await request.post(`/api/v1/graphs/${doc.name}/invoke`, {
      headers: { Authorization: `Bearer ${key}` },
      data: { name: 'Ada' },
    });
    expect(res.status()).toBe(200);
    return res.headers()['plinth-version'];
  };

  await graphList.open();
  await graphList.link(doc.name).click();
  await expect(canvas.node('greet')).toBeVisible();
  await publishPanel.publishWith();
  await expect(publishPanel.notice).toContainText('Published v1');
  expect(await invoke()).toBe('1');

  // Change the draft: the new example shows up in the diff against v1.
  await canvas.node('input').click();
  await retype(editor.inputExample, '{"name": "Grace"}');
  await canvas.waitSaved();
  await publishPanel.versionsTab.click();
  await publishPanel.version(1).getByRole('button', { name: 'Diff vs draft' }).click();
  const { diff, confirmDialog } = publishPanel;
  await expect(diff.locator('.diff-removed')).toContainText('"Ada"');
  await expect(diff.locator('.diff-added')).toContainText('"Grace"');
  await shot('version-diff');
  await diff.getByRole('button', { name: 'Close dialog' }).click();

  await publishPanel.publishWith();
  await expect(publishPanel.notice).toContainText('Published v2');
  await expect(publishPanel.version(2)).toContainText('live');
  expect(await invoke()).toBe('2');

  // Roll back: asked first; cancelling changes nothing.
  await publishPanel.version(1).getByRole('button', { name: 'Roll back' }).click();
  await confirmDialog.cancel.click();
  expect(await invoke()).toBe('2');
  await publishPanel.version(1).getByRole('button', { name: 'Roll back' }).click();
  await confirmDialog.button('Roll back to v1').click();
  await expect(publishPanel.version(1)).toContainText('live');
  await expect(publishPanel.version(2)).not.toContainText('live');
  expect(await invoke()).toBe('1');
  await shot('rolled-back');
});

test('a release note is shown whole in the versions panel, below its version, at 1440x900', async ({
  page,
  graphList,
  canvas,
  publishPanel,
  request,
  graphName,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const doc = { ...greeter, name: graphName('noted') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await expect(canvas.node('greet')).toBeVisible();
  await publishPanel.publishWith('Greets by first name; asks for a name when none is given');
  await expect(publishPanel.notice).toContainText('Published v1');

  const note = page.getByTestId('version-note-1');
  await expect(note).toHaveText('Greets by first name; asks for a name when none is given');
  const noteBox = await note.boundingBox();
  const panelBox = await page.getByTestId('side-panel').boundingBox();
  const diffBox = await publishPanel.version(1).getByRole('button', { name: 'Diff vs draft' }).boundingBox();
  if (noteBox === null || panelBox === null || diffBox === null) throw new Error('versions panel not drawn');
  expect(noteBox.x + noteBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width);
  // Under the version's line, not squeezed into a column beside its buttons.
  expect(noteBox.y).toBeGreaterThanOrEqual(diffBox.y + diffBox.height);
});
