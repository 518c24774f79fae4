import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const greeter = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'greeter-graph.json'), 'utf8'));

test('a test run the server refuses shows its error alone, not the output of the run before it', async ({
  graphList,
  canvas,
  runPanel,
  request,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName('refused-run') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await expect(canvas.node('greet')).toBeVisible();
  await runPanel.tab.click();
  await runPanel.runOnServer.click();
  await expect(runPanel.output).toContainText('Hello, Ada');

  // An input the schema refuses: the error is the whole answer, the old "Hello, Ada" is gone.
  await retype(runPanel.input, '{"nom": "Ada"}');
  await runPanel.runOnServer.click();
  await expect(runPanel.error).toContainText('input.name is required');
  await expect(runPanel.summary).toHaveCount(0);
  await expect(runPanel.output).toHaveCount(0);

  // The same in the browser.
  await runPanel.runOnServer.click();
  await expect(runPanel.error).toBeVisible();
  await runPanel.runInBrowser.click();
  await expect(runPanel.error).toContainText('name is required');
  await expect(runPanel.summary).toHaveCount(0);

  // Fixing the input and running again shows the new output.
  await retype(runPanel.input, '{"name": "Grace"}');
  await runPanel.runOnServer.click();
  await expect(runPanel.output).toContainText('Hello, Grace');
  await expect(runPanel.error).toHaveCount(0);
});
