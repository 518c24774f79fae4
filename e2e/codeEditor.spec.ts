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

test('an error reads once, in the preview, on the canvas and in the run panel; a preview times the node, not Python', async ({
  graphList,
  canvas,
  editor,
  runPanel,
}) => {
  await openEmptyGraph({ graphList, canvas });
  await editor.typeCode(['def process(data, ctx):', "    return data['amount']"]);
  // The first preview waits for Python to start (seconds); the time it reports is the node's own.
  const clicked = Date.now();
  await editor.previewButton.click();
  await expect(editor.previewError).toContainText("KeyError: 'amount'", { timeout: 90_000 });
  const waited = Date.now() - clicked;
  const heading = (await editor.previewError.locator('h4').textContent()) ?? '';
  const reported = Number(/\((\d+) ms\)/i.exec(heading)?.[1]);
  expect(reported).toBeLessThan(waited / 2);
  await expect(editor.previewError).not.toContainText('KeyError: KeyError');

  // On the server: the run panel and the node on the canvas say it once.
  await runPanel.tab.click();
  await runPanel.runOnServer.click();
  await expect(runPanel.failure).toContainText("process: KeyError: 'amount'", { timeout: 60_000 });
  await expect(runPanel.failure).not.toContainText('KeyError: KeyError');
  await expect(runPanel.result('process')).toContainText("KeyError: 'amount'");
  await expect(runPanel.result('process')).not.toContainText('KeyError: KeyError');
  await expect(canvas.node('process')).toContainText("KeyError: 'amount'");
  await expect(canvas.node('process')).not.toContainText('KeyError: KeyError');
});
