import { expect, openEmptyGraph, retype, test } from './fixtures.ts';

test('Stop ends a runaway preview, and Python works again afterwards', async ({
  page,
  graphList,
  canvas,
  editor,
  shot,
  consoleErrors,
}, testInfo) => {
  await openEmptyGraph({ graphList, canvas }, 'preview');
  // The first use loads Pyodide from the app itself, with visible progress.
  await expect(editor.pythonStatus).toContainText(/Loading Python|Starting Python/, { timeout: 30_000 });
  const loadStarted = Date.now();
  // A generous timeout, so it is the Stop button (not the node's timeout) that ends the loop.
  await retype(editor.timeout, '120000');
  await editor.typeCode(['def process(data, ctx):', "    print('spinning')", '    while True:', '        pass']);
  await expect(editor.pythonStatus).toBeHidden({ timeout: 90_000 }); // Python is ready
  // An upper bound (the code was typed meanwhile): cold cache, localhost.
  const report = `Pyodide cold load (download + start, shown as progress): at most ${Date.now() - loadStarted} ms`;
  console.log(report);
  await testInfo.attach('pyodide-cold-load', { body: report });

  await editor.previewButton.click();
  await expect(editor.previewRunning).toBeVisible();
  await expect(editor.stopButton).toBeVisible();
  // Let it really spin for a moment: nothing comes back on its own.
  await page.waitForTimeout(1500);
  await expect(editor.previewRunning).toBeVisible();
  await expect(editor.previewOutput).toHaveCount(0);
  await shot('preview-01-runaway');

  const clicked = Date.now();
  await editor.stopButton.click();
  await expect(editor.previewError).toContainText('Stopped', { timeout: 5_000 });
  expect(Date.now() - clicked).toBeLessThan(5_000);
  await expect(editor.previewError).toContainText('KeyboardInterrupt');
  await expect(editor.previewButton).toBeVisible();
  // The interrupted line is highlighted in the editor.
  await expect(editor.monaco.locator('.plinth-error-line')).toHaveCount(1);
  await shot('preview-02-stopped');

  // The editor and Python are usable again: a normal preview works.
  await editor.typeCode(['def process(data, ctx):', "    return {'doubled': data['value'] * 2}"]);
  await editor.previewButton.click();
  await expect(editor.previewOutput).toContainText('"doubled": 2', { timeout: 30_000 });
  await expect(editor.previewError).toHaveCount(0);
  await expect(editor.monaco.locator('.plinth-error-line')).toHaveCount(0);
  await shot('preview-03-after-stop');
  expect(consoleErrors).toEqual([]);
});

test('syntax errors show as markers while typing; a failing preview highlights its traceback line', async ({
  page,
  graphList,
  canvas,
  editor,
  shot,
  consoleErrors,
}) => {
  await openEmptyGraph({ graphList, canvas }, 'preview');
  await editor.typeCode(['def process(data, ctx):', '    return data +']);
  // Parsed by Python's ast in the worker: a red squiggle and an error in the overview ruler.
  await expect(editor.monaco.locator('.squiggly-error').first()).toBeVisible({ timeout: 90_000 });
  await shot('preview-04-syntax-marker');

  await editor.typeCode(['def process(data, ctx):', '    total = 1', "    return data['missing'] + total"]);
  await expect(editor.monaco.locator('.squiggly-error')).toHaveCount(0, { timeout: 10_000 });
  // Ctrl+Enter in the editor previews (and does not insert a line).
  await page.keyboard.press('Control+Enter');
  await expect(editor.previewError).toContainText('KeyError', { timeout: 90_000 });
  await expect(editor.previewError).toContainText('at line 3');
  await expect(editor.previewError).toContainText('line 3, in process');
  await expect(editor.monaco.locator('.view-line')).toHaveCount(3);
  const highlighted = editor.monaco.locator('.plinth-error-line');
  await expect(highlighted).toHaveCount(1);
  // The highlight sits on the third line of the code.
  const third = editor.monaco.locator('.view-line').nth(2);
  const [lineBox, highlightBox] = await Promise.all([third.boundingBox(), highlighted.boundingBox()]);
  expect(Math.abs((highlightBox?.y ?? 0) - (lineBox?.y ?? 1e6))).toBeLessThan(3);
  await shot('preview-05-traceback-line');

  // Pinning the preview input keeps it with the node.
  await retype(editor.previewInput, '{"missing": 41}');
  await editor.pinButton.click();
  await editor.previewButton.click();
  await expect(editor.previewOutput).toContainText('42');
  await expect(editor.nodeEditor).toContainText('the sample pinned to this node');
  expect(consoleErrors).toEqual([]);
});

test.describe('without cross-origin isolation', () => {
  test.beforeEach(async ({ page }) => {
    // A proxy that drops COOP/COEP: no SharedArrayBuffer, so no interrupt buffer.
    await page.route('**/*', async (route) => {
      // A keep-alive socket the server just closed can reset one fetch: the proxy retries once, as a browser would.
      const response = await route.fetch().catch(() => route.fetch());
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
  });

  test('Stop still ends a runaway preview, by restarting the Python worker', async ({
    page,
    graphList,
    canvas,
    editor,
    shot,
  }) => {
    // Python loads twice here (Stop restarts the worker): on a busy machine that outlasts the default budget.
    test.setTimeout(180_000);
    await openEmptyGraph({ graphList, canvas }, 'preview');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await retype(editor.timeout, '120000');
    await editor.typeCode(['def process(data, ctx):', '    while True:', '        pass']);
    await expect(editor.pythonStatus).toBeHidden({ timeout: 90_000 });
    await editor.previewButton.click();
    await expect(editor.previewRunning).toBeVisible();
    await page.waitForTimeout(1000);
    await editor.stopButton.click();
    await expect(editor.previewError).toContainText('Stopped', { timeout: 5_000 });
    await expect(editor.previewError).toContainText('restarted');
    await shot('preview-06-stopped-without-isolation');

    // A fresh worker answers the next preview.
    await editor.typeCode(['def process(data, ctx):', "    return {'again': data['value']}"]);
    await editor.previewButton.click();
    await expect(editor.previewOutput).toContainText('"again": 1', { timeout: 90_000 });
  });
});

test('a failed Python download is reported, and the next preview tries again', async ({
  page,
  graphList,
  canvas,
  editor,
}) => {
  let refused = 0;
  await page.context().route('**/pyodide/pyodide.asm.wasm', async (route) => {
    if (refused++ === 0) return route.fulfill({ status: 503, body: 'down for a moment' });
    return route.continue();
  });
  await openEmptyGraph({ graphList, canvas }, 'preview');
  await expect(editor.pythonStatus).toContainText('Python could not load', { timeout: 60_000 });
  await expect(editor.pythonStatus).toContainText('503');

  await editor.previewButton.click();
  await expect(editor.previewOutput).toContainText('"value": 1', { timeout: 90_000 });
  expect(refused).toBe(2);
});
