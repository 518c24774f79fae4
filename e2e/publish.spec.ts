import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const greeter = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'greeter-graph.json'), 'utf8'));
const withCode = (name: string, code: string) => ({
  ...greeter,
  name,
  nodes: greeter.nodes.map((n: { id: string }) => (n.id === 'greet' ? { ...n, code } : n)),
});

test('publishing runs the example first: a failure is refused with its trace unless confirmed; a release note is kept; an unchanged draft is not copied', async ({
  page,
  graphList,
  canvas,
  publishPanel,
  request,
  graphName,
}) => {
  const doc = withCode(graphName('guarded'), "def process(data, ctx):\n    return {'x': data['missing']}\n");
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  const versions = async () =>
    (await (await request.get(`/api/v1/graphs/${doc.name}/versions`, { headers: auth })).json()) as unknown[];
  await graphList.open();
  await graphList.link(doc.name).click();

  await publishPanel.publishWith('First try');
  await expect(publishPanel.refusedMessage).toHaveText("Node greet failed on the input's example: KeyError: 'missing'");
  await expect(publishPanel.refused.locator('pre.traceback')).toContainText("data['missing']");
  await expect(canvas.nodeStatus('greet')).toContainText('error');
  await publishPanel.refused.getByRole('button', { name: 'Cancel' }).click();
  expect(await versions()).toEqual([]);

  await publishPanel.publishWith();
  await expect(publishPanel.releaseNote).toHaveCount(0);
  await publishPanel.publishAnyway.click();
  await expect(publishPanel.notice).toContainText('Published v1');
  await expect(page.getByTestId('version-note-1')).toHaveText('First try');

  await publishPanel.publishWith();
  await expect(publishPanel.notice).toContainText('Nothing changed since v1');
  expect(await versions()).toHaveLength(1);
});

test('a node whose import is not installed cannot be published: the refusal names node and module', async ({
  graphList,
  publishPanel,
  request,
  graphName,
}) => {
  const doc = withCode(
    graphName('missing-module'),
    'import plinth_not_installed\n\ndef process(data, ctx):\n    return data\n',
  );
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();

  await publishPanel.publishWith();
  await expect(publishPanel.refusedMessage).toContainText(
    'Node greet imports plinth_not_installed, which is not installed on the server',
  );
  await expect(publishPanel.publishAnyway).toHaveCount(0);
  await publishPanel.refused.getByRole('button', { name: 'Close', exact: true }).click();
  const listed = await request.get(`/api/v1/graphs/${doc.name}/versions`, { headers: auth });
  expect(await listed.json()).toEqual([]);
});

test('an output that no path reaches is a problem on the output node, and the graph is not published', async ({
  graphList,
  canvas,
  publishPanel,
  request,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName('unreached') };
  // The server refuses such a document: draw it by deleting the edge, as a person would.
  expect(
    (await request.post('/api/v1/graphs', { headers: auth, data: greeter && { ...greeter, name: doc.name } })).status(),
  ).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await canvas.edge('greet', 'output').click({ force: true });
  await canvas.page.keyboard.press('Delete');
  await expect(canvas.nodeProblems('output')).toContainText('no path from "input" reaches the output node');

  await publishPanel.publish.click();
  await publishPanel.checkAndPublish.click();
  await expect(publishPanel.notice).toContainText('Fix the graph');
  await expect(publishPanel.notice).toContainText('reaches the output node');
  const listed = await request.get(`/api/v1/graphs/${doc.name}/versions`, { headers: auth });
  expect(await listed.json()).toEqual([]);
});
