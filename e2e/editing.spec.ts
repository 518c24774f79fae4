import path from 'node:path';
import { expect, retype, test } from './fixtures.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

test('draw, multi-select, delete, undo and redo from the keyboard; invalid wiring on node and edge', async ({
  page,
  graphList,
  toolbar,
  canvas,
  editor,
  shot,
  graphName,
}) => {
  await graphList.open();
  await graphList.create(graphName('editing'));
  await canvas.waitSaved();

  // Drag two Python nodes apart from each other.
  const box = await canvas.root.boundingBox();
  if (box === null) throw new Error('canvas not visible');
  await canvas.dragFromPalette('python', box.width * 0.3, box.height * 0.15);
  await canvas.dragFromPalette('python', box.width * 0.45, box.height * 0.75);
  await expect(canvas.node('python_1')).toBeVisible();
  await expect(canvas.node('python_2')).toBeVisible();
  // Single-instance types cannot be added twice.
  await expect(canvas.paletteItem('input')).toBeDisabled();

  // A cycle is a problem: shown on both nodes and both edges; the draft is saved as it is.
  await canvas.connect('python_1', 'python_2');
  await canvas.connect('python_2', 'python_1');
  await expect(canvas.nodeProblems('python_1')).toContainText('cycle');
  await expect(canvas.nodeProblems('python_2')).toContainText('cycle');
  await expect(canvas.edge('python_2', 'python_1')).toHaveClass(/invalid-edge/);
  await expect(canvas.edge('python_1', 'python_2')).toHaveClass(/invalid-edge/);
  await canvas.waitSaved();
  await shot('invalid-cycle');

  // Undo removes the closing edge; the graph is valid and saved again.
  await canvas.root.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(canvas.edge('python_2', 'python_1')).toHaveCount(0);
  await expect(canvas.nodeProblems('python_1')).toHaveCount(0);
  await canvas.waitSaved();
  await page.keyboard.press('Control+Shift+z');
  await expect(canvas.edge('python_2', 'python_1')).toHaveCount(1);
  await page.keyboard.press('Control+z');

  // Multi-select with Ctrl+click, delete both: their edges go with them; undo brings all back.
  await canvas.node('python_1').click();
  await canvas.node('python_2').click({ modifiers: ['Control'] });
  await page.keyboard.press('Delete');
  await expect(canvas.node('python_1')).toHaveCount(0);
  await expect(canvas.node('python_2')).toHaveCount(0);
  await expect(canvas.edge('python_1', 'python_2')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(canvas.node('python_1')).toBeVisible();
  await expect(canvas.edge('python_1', 'python_2')).toHaveCount(1);

  // Node ids are editable, with validation.
  await canvas.node('python_2').click();
  await retype(editor.nodeId, 'Bad Id');
  await page.keyboard.press('Enter');
  await expect(editor.panel).toContainText('Use lowercase letters, digits and _');
  await retype(editor.nodeId, 'clean_up');
  await page.keyboard.press('Enter');
  await expect(canvas.node('clean_up')).toBeVisible();
  await expect(canvas.edge('python_1', 'clean_up')).toHaveCount(1);

  // Keyboard only: Tab to a node, Enter selects it (the panel follows), arrows move it, Ctrl+Z puts it back.
  await canvas.node('output').locator('..').focus();
  await page.keyboard.press('Enter');
  await expect(editor.panel).toContainText('Output node');
  const before = await canvas.node('output').boundingBox();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await canvas.node('output').boundingBox())?.x).toBeGreaterThan((before?.x ?? 0) + 5);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await canvas.node('output').boundingBox())?.x).toBeCloseTo(before?.x ?? 0, 0);

  // Add from the keyboard: a palette entry is a button.
  await canvas.paletteItem('model').focus();
  await page.keyboard.press('Enter');
  await expect(canvas.node('model_1')).toBeVisible();

  // Auto-layout leaves no two nodes overlapping.
  await toolbar.autoLayout.click();
  await expect
    .poll(async () => {
      const boxes = await Promise.all(
        ['input', 'python_1', 'clean_up', 'model_1', 'output'].map((id) => canvas.node(id).boundingBox()),
      );
      return boxes.some((a, i) =>
        boxes.some(
          (b, j) =>
            i < j &&
            a &&
            b &&
            a.x < b.x + b.width &&
            b.x < a.x + a.width &&
            a.y < b.y + b.height &&
            b.y < a.y + a.height,
        ),
      );
    })
    .toBe(false);
  await shot('auto-layout');
});

test('a branch run shows the chosen path on the canvas and greys the skipped one', async ({
  graphList,
  canvas,
  editor,
  runPanel,
  shot,
}) => {
  await graphList.open();
  await graphList.importFile.setInputFiles(path.join(FIXTURES, 'branching-graph.json'));
  await graphList.importDialog.import.click();
  await expect(canvas.node('decide')).toBeVisible();
  // Branch handles are labelled with their branch names.
  await expect(canvas.node('decide')).toContainText('approve');
  await expect(canvas.node('decide')).toContainText('review');

  await runPanel.tab.click();
  await runPanel.runInBrowser.click();
  await expect(runPanel.output).toContainText('"decision": "review"', { timeout: 90_000 });
  await expect(canvas.node('review')).toHaveAttribute('data-status', 'ok');
  await expect(canvas.node('approve')).toHaveAttribute('data-status', 'skipped');
  await expect(canvas.edge('decide', 'approve', 'approve')).toHaveClass(/skipped-edge/);
  await expect(runPanel.result('decide')).toContainText('→ review');
  await shot('branch-run');

  // An input that breaks the input schema is refused before anything runs.
  await retype(runPanel.input, '{"amount": "lots"}');
  await runPanel.runInBrowser.click();
  await expect(runPanel.error).toContainText('amount');

  // A node error: red on the canvas with its message, traceback in the run panel.
  await retype(runPanel.input, '{"amount": 10}');
  await canvas.node('approve').click();
  await editor.typeCode(['def process(data, ctx):', "    return data['missing']"]);
  await runPanel.tab.click();
  await runPanel.runInBrowser.click();
  await expect(canvas.node('approve')).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
  await expect(canvas.node('approve')).toContainText('KeyError');
  await expect(runPanel.failure).toContainText('approve');
  await expect(runPanel.result('approve').locator('pre.traceback')).toContainText('line 2');
  await shot('node-error');
});
