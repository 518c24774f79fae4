import { expect, openEmptyGraph, retype, test } from './fixtures.ts';

test('keys typed into the code editor and form fields edit the text, never the graph', async ({
  page,
  graphList,
  canvas,
  editor,
}) => {
  await openEmptyGraph({ graphList, canvas }, 'code');
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
  await openEmptyGraph({ graphList, canvas }, 'code');
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

test('room to work: the side panel resizes by its edge (kept over a reload); maximized, the node view shows input, 100+ columns by 35+ lines of code, and output', async ({
  page,
  graphList,
  canvas,
  editor,
  runPanel,
  shot,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openEmptyGraph({ graphList, canvas }, 'code');
  await expect(editor.monaco).toBeVisible({ timeout: 30_000 });

  // Drag the panel's left edge 200 px to the left: the panel grows by as much.
  const before = await editor.sidePanel.boundingBox();
  const edge = await editor.panelResizer.boundingBox();
  if (before === null || edge === null) throw new Error('side panel not visible');
  await page.mouse.move(edge.x + edge.width / 2, edge.y + 200);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2 - 100, edge.y + 200, { steps: 5 });
  await page.mouse.move(edge.x + edge.width / 2 - 200, edge.y + 200, { steps: 5 });
  await page.mouse.up();
  const wider = await editor.sidePanel.boundingBox();
  expect(wider?.width).toBeCloseTo(before.width + 200, -1);
  await page.reload();
  await canvas.node('process').click();
  await expect.poll(async () => (await editor.sidePanel.boundingBox())?.width).toBeCloseTo(before.width + 200, -1);

  // A test run first, so the node view has this node's input and output to show.
  await runPanel.tab.click();
  await runPanel.runOnServer.click();
  await expect(runPanel.output).toBeVisible({ timeout: 60_000 });
  await editor.tab.click();

  // Maximize from the keyboard, inside the editor: the node view fills the window.
  await editor.monaco.click();
  await page.keyboard.press('Alt+Shift+M');
  await expect(editor.nodeEditor).toHaveAttribute('data-maximized', 'true');
  const view = await editor.nodeEditor.boundingBox();
  expect(view).toMatchObject({ x: 0, y: 0, width: 1440, height: 900 });
  // Input on the left (what the run fed the node), code in the middle, output on the right.
  const input = await editor.previewInput.boundingBox();
  const code = await editor.monaco.boundingBox();
  await expect(editor.previewInput).toHaveValue(/"value": 1/);
  await expect(editor.nodeEditor.getByTestId('preview-input-source')).toContainText('what the last test run fed');
  await expect(editor.lastRunOutput).toContainText('"value": 1');
  const output = await editor.lastRunOutput.boundingBox();
  if (input === null || code === null || output === null) throw new Error('node view parts not visible');
  expect(input.x + input.width).toBeLessThanOrEqual(code.x);
  expect(code.x + code.width).toBeLessThanOrEqual(output.x);

  // Room: a 100-character line fits without scrolling sideways, and 35 lines fit at once.
  await editor.monaco.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(`# ${'x'.repeat(98)}`);
  for (let i = 2; i <= 45; i++) {
    await page.keyboard.press('Enter');
    await page.keyboard.type(`n${i} = ${i}`);
  }
  await page.keyboard.press('ControlOrMeta+Home');
  await expect.poll(async () => (await editor.visibleCode()).firstLineChars).toBe(100);
  const room = await editor.visibleCode();
  expect(room.firstLineFits).toBe(true);
  expect(room.lines).toBeGreaterThanOrEqual(35);
  await shot('node-view-maximized');

  // Esc restores the side panel layout, with the code as it was.
  await page.keyboard.press('Escape');
  await expect(editor.nodeEditor).toHaveAttribute('data-maximized', 'false');
  expect((await editor.nodeEditor.boundingBox())?.width).toBeLessThan(1440 / 2);
  await expect.poll(() => editor.shownCode()).toContain('n2 = 2');
  // And the button maximizes too.
  await editor.maximize.click();
  await expect(editor.nodeEditor).toHaveAttribute('data-maximized', 'true');
  await editor.maximize.click();
  await expect(editor.nodeEditor).toHaveAttribute('data-maximized', 'false');
});

test('Ruff in the page: syntax errors and lint findings show while typing with Python not loaded at all; Ctrl+S formats and saves', async ({
  page,
  graphList,
  canvas,
  editor,
  shot,
}) => {
  // Pyodide never arrives: what shows below comes from Ruff alone.
  await page.route('**/pyodide/**', () => undefined);
  await openEmptyGraph({ graphList, canvas }, 'code');
  await editor.typeCode(['def process(data, ctx):', '    return data +']);
  await expect(editor.monaco.locator('.squiggly-error').first()).toBeVisible({ timeout: 30_000 });
  await expect(editor.pythonStatus).toContainText(/Loading Python|Starting Python/);
  // F8 goes to the marker: its message, source and line.
  await page.keyboard.press('F8');
  const marker = editor.monaco.locator('.marker-widget');
  await expect(marker).toContainText('SyntaxError: Expected an expression');
  // The squiggle sits on line 2.
  const squiggle = await editor.monaco.locator('.squiggly-error').first().boundingBox();
  const line2 = await editor.monaco.locator('.line-numbers', { hasText: /^2$/ }).boundingBox();
  expect(squiggle?.y).toBeCloseTo(line2?.y ?? -100, -1);
  await shot('ruff-syntax-marker');
  await page.keyboard.press('Escape');

  // A lint finding is a warning, not an error.
  await editor.typeCode(['import os', 'def process(data, ctx):', '    return undefined_name']);
  await expect(editor.monaco.locator('.squiggly-error')).toHaveCount(0);
  await expect(editor.monaco.locator('.squiggly-warning').first()).toBeVisible();
  await page.keyboard.press('F8');
  await expect(marker).toContainText(/Undefined name `undefined_name` \(F821\)|`os` imported but unused \(F401\)/);
  await page.keyboard.press('Escape');

  // Ctrl+S: formatted by Ruff (one undoable edit), then saved.
  await editor.typeCode(['def process(data,ctx):', "  return {'a':1}"]);
  await expect.poll(() => editor.shownCode()).toBe("def process(data,ctx):\n  return {'a':1}");
  await page.keyboard.press('Control+s');
  await expect.poll(() => editor.shownCode()).toBe('def process(data, ctx):\n    return {"a": 1}\n');
  await expect(editor.nodeEditor.getByTestId('format-status')).toHaveText('Formatted with Ruff and saved.');
  await canvas.waitSaved();
  await page.reload();
  await canvas.node('process').click();
  await expect
    .poll(() => editor.shownCode(), { timeout: 30_000 })
    .toBe('def process(data, ctx):\n    return {"a": 1}\n');

  // Code that does not parse is saved as it is, and the reason given with its line.
  await editor.typeCode(['def process(data, ctx):', '    return data +']);
  await page.keyboard.press('Control+s');
  await expect(editor.nodeEditor.getByTestId('format-status')).toContainText(/Not formatted: .*\(line \d\)/);
  await canvas.waitSaved();
});

test('Pyright on the server: ctx. completes from the typed stub, hover shows its docs, a type error is marked', async ({
  page,
  graphList,
  canvas,
  editor,
  shot,
}) => {
  await openEmptyGraph({ graphList, canvas }, 'code');
  await editor.typeCode(['def process(data, ctx):', '    total = 1 + "a"', '    return total']);
  // Ruff finds nothing wrong here; Pyright's type check does, on line 2.
  const error = editor.monaco.locator('.squiggly-error').first();
  await expect(error).toBeVisible({ timeout: 60_000 });
  const line2 = await editor.monaco.locator('.line-numbers', { hasText: /^2$/ }).boundingBox();
  expect((await error.boundingBox())?.y).toBeCloseTo(line2?.y ?? -100, -1);
  await page.keyboard.press('F8');
  await expect(editor.monaco.locator('.marker-widget')).toContainText('Operator "+" not supported');
  await page.keyboard.press('Escape');

  // A new line: `ctx.` lists what the stub declares.
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.press('Delete');
  await page.keyboard.type('    ctx.');
  const suggestions = editor.monaco.locator('.suggest-widget .monaco-list-row');
  for (const name of ['state', 'secrets', 'log', 'run_id']) {
    await expect(suggestions.filter({ hasText: new RegExp(`^${name}`) }).first()).toBeVisible({ timeout: 30_000 });
  }
  await shot('lsp-ctx-completion');
  await page.keyboard.type('log');
  await page.keyboard.press('Escape');

  // Hover over `log`: its signature and docstring from the stub.
  await expect.poll(() => editor.shownCode()).toContain('    ctx.log');
  // Where Monaco drew the word `log`.
  const box = await editor.monaco.evaluate((root) => {
    const walker = document.createTreeWalker(root.querySelector('.view-lines')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const at = node.textContent?.indexOf('log') ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 3);
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }
    throw new Error('`log` not drawn');
  });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible');
  await expect(hover).toContainText('Like print', { timeout: 30_000 });
  await expect(hover).toContainText('def log(*args: object) -> None');
  await shot('lsp-hover');
});

test('Stop while Python is still loading stops the preview at once', async ({ page, graphList, canvas, editor }) => {
  // Python's files never arrive: the preview waits for a Python that is not coming.
  await page.route('**/pyodide/**', () => undefined);
  await openEmptyGraph({ graphList, canvas }, 'code');
  await expect(editor.monaco).toBeVisible({ timeout: 30_000 });
  await editor.previewButton.click();
  await expect(editor.previewRunning).toBeVisible();
  await expect(editor.pythonStatus).toContainText(/Loading Python|Starting Python/);
  await editor.stopButton.click();
  await expect(editor.previewError).toContainText('Stopped before it started', { timeout: 2_000 });
  await expect(editor.previewRunning).toHaveCount(0);
  await expect(editor.previewButton).toBeVisible();
});
