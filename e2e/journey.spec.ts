import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

test('the whole journey: sign in, draw, code, preview, test, publish, call the API', async ({
  page,
  graphList,
  canvas,
  editor,
  runPanel,
  publishPanel,
  shot,
  consoleErrors,
  request,
  graphName,
}) => {
  const GRAPH = graphName('greeter');
  // Open with the token: it is kept for the session and removed from the address bar.
  await graphList.open();
  await expect(page).not.toHaveURL(/token=/);
  await shot('01-graph-list');

  // Create a graph from scratch: an input wired to an output.
  await graphList.create(GRAPH);
  await expect(canvas.node('input')).toBeVisible();
  await expect(canvas.node('output')).toBeVisible();
  await canvas.waitSaved();

  // Replace the direct wire with a Python node dragged from the palette.
  await canvas.edge('input', 'output').click({ force: true });
  await page.keyboard.press('Delete');
  await expect(canvas.edge('input', 'output')).toHaveCount(0);
  const box = await canvas.root.boundingBox();
  if (box === null) throw new Error('canvas not visible');
  await canvas.dragFromPalette('python', box.width / 2, box.height * 0.75);
  await expect(canvas.node('python_1')).toBeVisible();
  await canvas.connect('input', 'python_1');
  await canvas.connect('python_1', 'output');
  await expect(canvas.edge('input', 'python_1')).toBeVisible();
  await expect(canvas.edge('python_1', 'output')).toBeVisible();
  await shot('02-graph-drawn');

  // The input node's example becomes the default test input.
  await canvas.node('input').click();
  await retype(editor.inputExample, '{"name": "Ada"}');

  // Write the Python node's code in Monaco.
  await canvas.node('python_1').click();
  await editor.typeCode([
    'def process(data, ctx):',
    "    print('greeting', data['name'])",
    "    return {'greeting': 'Hello, ' + data['name']}",
  ]);
  await shot('03-code');

  // Preview the node with Pyodide, with an input typed for it.
  await retype(editor.previewInput, '{"name": "Grace"}');
  await editor.previewButton.click();
  await expect(editor.previewOutput).toContainText('Hello, Grace', { timeout: 90_000 });
  await shot('04-preview');

  // Test the whole graph in the browser, then on the server.
  await runPanel.tab.click();
  await expect(runPanel.input).toHaveValue(/"Ada"/);
  await runPanel.runInBrowser.click();
  await expect(runPanel.output).toContainText('"greeting": "Hello, Ada"', { timeout: 60_000 });
  await expect(canvas.nodeStatus('python_1')).toContainText('ok');
  await expect(runPanel.result('python_1')).toContainText('greeting Ada');
  await shot('05-run-browser');

  await runPanel.runOnServer.click();
  await expect(runPanel.output).toContainText('"greeting": "Hello, Ada"', { timeout: 60_000 });
  await expect(runPanel.summary).toContainText('(server sandbox');
  await shot('06-run-server');

  // Publish: it becomes v1 and live.
  await publishPanel.publishWith();
  await expect(publishPanel.notice).toContainText('Published v1');
  await expect(publishPanel.version(1)).toContainText('live');
  await shot('07-published');

  // Create a key from the snippet panel and call the API with exactly what it shows.
  await publishPanel.callTab.click();
  await publishPanel.createKey.click();
  const key = (await publishPanel.apiKey.textContent())?.trim() ?? '';
  expect(key.length).toBeGreaterThan(10);
  await expect(publishPanel.curl).toContainText(key);
  await expect(publishPanel.curl).toContainText(`/api/v1/graphs/${GRAPH}/invoke`);
  await shot('08-how-to-call');

  const response = await request.post(`/api/v1/graphs/${GRAPH}/invoke`, {
    headers: { Authorization: `Bearer ${key}` },
    data: { name: 'Linus' },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['plinth-version']).toBe('1');
  expect(await response.json()).toEqual({ greeting: 'Hello, Linus' });

  // The admin token is not an API key for someone else's eyes: it stays out of the page.
  expect(await page.content()).not.toContain(ADMIN_TOKEN);
  expect(consoleErrors).toEqual([]);
});
