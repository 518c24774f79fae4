import { expect, retype, test, type Canvas, type GraphListPage } from './fixtures.ts';

/** A graph from the "Empty" template (input → python node `process` → output), its node selected. */
async function openEmptyGraph({ graphList, canvas }: { graphList: GraphListPage; canvas: Canvas }): Promise<void> {
  await graphList.open();
  await graphList.create(`code-${Date.now().toString(36)}`, 'Empty');
  await canvas.node('process').click();
}

test('keys typed into the code editor and form fields edit the text, never the graph', async ({
  page,
  graphList,
  canvas,
  editor,
}) => {
  await openEmptyGraph({ graphList, canvas });
  // Something on the graph's undo stack, so a Ctrl+Z the canvas took would show.
  const node = canvas.node('process');
  const start = await node.boundingBox();
  if (start === null) throw new Error('node not visible');
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(start.x + start.width / 2 + 60, start.y + start.height / 2 + 40, { steps: 6 });
  await page.mouse.up();
  const moved = await node.boundingBox();

  await editor.typeCode(['def process(data, ctx):', '    return abcd']);
  // Backspace and Delete remove characters, arrows move the caret: "abcd" → "aXd".
  await page.keyboard.press('Backspace'); // abc
  await page.keyboard.press('ArrowLeft'); // ab|c
  await page.keyboard.press('Backspace'); // a|c
  await page.keyboard.press('Delete'); // a|
  await page.keyboard.type('X d');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await page.keyboard.type('  # ok');
  await expect.poll(() => editor.shownCode()).toBe('def process(data, ctx):  # ok\n    return aX d');
  await expect(node).toBeVisible();
  await expect(canvas.node('input')).toBeVisible();

  // Ctrl+Z inside the editor undoes the typing, not the node's move.
  await page.keyboard.press('Control+z');
  await expect.poll(() => editor.shownCode()).not.toContain('# ok');
  expect(await editor.shownCode()).toContain('    return aX d');
  expect(await node.boundingBox()).toEqual(moved);
  await expect(node).toBeVisible();

  // The same in a form field (the node id) and in the preview input.
  await retype(editor.nodeId, 'procesXs');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('s');
  await page.keyboard.press('Delete');
  await expect(editor.nodeId).toHaveValue('process');
  await page.keyboard.press('Enter');
  await expect(node).toBeVisible();
  await retype(editor.previewInput, '{"a": 12}');
  await page.keyboard.press('Home');
  await page.keyboard.press('Delete');
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await expect(editor.previewInput).toHaveValue('"a": 12');
  await page.keyboard.press('Control+z');
  await expect(node).toBeVisible();
  expect(await node.boundingBox()).toEqual(moved);
  expect(await editor.shownCode()).toContain('    return aX d');
});
