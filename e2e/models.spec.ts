import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, expect, retype, test } from './fixtures.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'models', 'iris-e2e');

/** A copy of the fixture package named `name`, with `edit` applied to model.py; its folder. */
function packageFolder(dir: string, name: string, edit: (source: string) => string = (s) => s): string {
  const folder = path.join(dir, name);
  cpSync(FIXTURE, folder, { recursive: true });
  const config = path.join(folder, 'config.yaml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('model_name: iris-e2e', `model_name: ${name}`));
  const model = path.join(folder, 'model', 'model.py');
  writeFileSync(model, edit(readFileSync(model, 'utf8')));
  return folder;
}

/** `tar czf` of a folder's contents, as a person makes one by hand. */
function tarGz(folder: string, file: string): string {
  execFileSync('tar', ['czf', file, '-C', folder, '.']);
  return file;
}

test('deploy a model folder from the IDE, watch it get ready, read its log, predict, deploy v2 and roll back', async ({
  page,
  graphList,
  models,
  shot,
  graphName,
  consoleErrors,
}, testInfo) => {
  const MODEL = graphName('iris-e2e');
  const work = testInfo.outputPath('packages');
  mkdirSync(work, { recursive: true });

  await graphList.open();
  await models.navLink.click();
  await expect(models.root).toBeVisible();

  // A folder picked in the file chooser is packed in the browser and uploaded as v1.
  await models.choose(models.chooseFolder, packageFolder(work, MODEL));
  await expect(models.detail).toContainText(MODEL);
  await expect(models.version(1)).toBeVisible();
  await models.waitReady(1);
  await expect(models.modelStatus(MODEL)).toHaveText('ready');
  await expect(models.version(1)).toContainText('live');
  await expect(models.buildLog).toContainText('ready: load() took');
  await expect(models.loadLog).toContainText('fitted on 150 flowers');
  await expect(models.detail).toContainText('"rows"');
  await shot('models-01-ready');

  // The try-out starts with the example input; then a row typed by hand.
  await models.predict.submit.click();
  await expect(models.predict.result).toContainText('"setosa"');
  await retype(models.predict.input, '{"rows": [[6.7, 3.0, 5.2, 2.3], [5.0, 3.4, 1.5, 0.2]]}');
  await models.predict.submit.click();
  await expect(models.predict.result).toContainText('"virginica",');
  await expect(models.predict.result).toContainText('v1 answered');
  await shot('models-02-predicted');

  // v2, a .tar.gz from the other chooser, answers in capitals and goes live once ready.
  const v2 = packageFolder(path.join(work, 'v2'), MODEL, (s) =>
    s.replace('self._names[int(i)]', 'self._names[int(i)].upper()'),
  );
  await models.choose(models.chooseArchive, tarGz(v2, path.join(work, 'v2.tar.gz')));
  await expect(models.version(2)).toBeVisible();
  await models.waitReady(2);
  await expect(models.version(2)).toContainText('live');
  await models.predict.submit.click();
  await expect(models.predict.result).toContainText('"SETOSA"');

  // Roll back to v1: it answers again.
  await models.version(1).getByRole('button', { name: 'Roll back' }).click();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Make v1 live' }).click();
  await expect(models.version(1)).toContainText('live');
  await expect(models.version(2)).not.toContainText('live');
  await shot('models-03-rolled-back');
  expect(consoleErrors).toEqual([]);
});

test('a wrong package dropped on the upload box lists every problem; a dropped folder whose load() fails shows its traceback', async ({
  graphList,
  models,
  shot,
  graphName,
}, testInfo) => {
  const work = testInfo.outputPath('packages');
  mkdirSync(path.join(work, 'wrong', 'model'), { recursive: true });
  writeFileSync(path.join(work, 'wrong', 'config.yaml'), 'model_name: wrong-one\ncolour: red\n');
  writeFileSync(path.join(work, 'wrong', 'model', 'model.py'), 'class Model:\n    def load(self):\n        pass\n');

  await graphList.open();
  await models.navLink.click();
  await models.dropFromDesktop(tarGz(path.join(work, 'wrong'), path.join(work, 'wrong.tar.gz')));
  await expect(models.uploadProblems).toContainText('wrong.tar.gz was not deployed: 2 problem(s)');
  await expect(models.uploadProblems).toContainText('config.yaml: colour: unknown key "colour"');
  await expect(models.uploadProblems).toContainText('model/model.py');
  await expect(models.uploadProblems.getByRole('listitem')).toHaveCount(2);
  await shot('models-04-problems');

  // A load() that raises: the version fails, with load()'s traceback on the page.
  const MODEL = graphName('broken-load');
  const folder = packageFolder(work, MODEL, (s) =>
    s.replace('        data = load_iris()', '        raise RuntimeError("weights missing")'),
  );
  await models.dropFromDesktop(folder);
  await expect(models.versionStatus(1)).toHaveAttribute('data-status', 'failed', { timeout: 90_000 });
  await expect(models.versionError).toContainText('RuntimeError');
  await expect(models.versionError.locator('pre.traceback')).toContainText('weights missing');
  await expect(models.detail).toContainText('v1 failed to deploy: fix the package and upload it again');
  await shot('models-05-failed');
});

test('a model node on a graph: choose the deployed model, preview it, run the test input, publish pinning its version', async ({
  page,
  request,
  graphList,
  canvas,
  editor,
  modelNode,
  runPanel,
  publishPanel,
  shot,
  graphName,
  consoleErrors,
}, testInfo) => {
  const MODEL = graphName('iris-node');
  const GRAPH = graphName('iris-graph');
  // The upload box is the first test's; here the model goes up as a script would, through the REST API.
  const archive = tarGz(packageFolder(testInfo.outputPath('packages'), MODEL), testInfo.outputPath('iris.tar.gz'));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const deployed = await request.post('/api/v1/models', {
    headers: { ...auth, 'Content-Type': 'application/gzip' },
    data: readFileSync(archive),
  });
  expect(deployed.status()).toBe(201);

  await graphList.open();
  await graphList.create(GRAPH);
  await canvas.waitSaved();
  await canvas.edge('input', 'output').click({ force: true });
  await page.keyboard.press('Delete');
  const box = await canvas.root.boundingBox();
  if (box === null) throw new Error('canvas not visible');
  await canvas.dragFromPalette('model', box.width / 2, box.height * 0.75);
  await expect(canvas.node('model_1')).toBeVisible();
  await canvas.connect('input', 'model_1');
  await canvas.connect('model_1', 'output');
  await expect(canvas.edge('model_1', 'output')).toBeVisible();

  await canvas.node('input').click();
  await retype(editor.inputExample, '{"rows": [[6.7, 3.0, 5.2, 2.3]]}');

  // The panel lists deployed models with their status; the chosen one shows its example input.
  await canvas.node('model_1').click();
  await modelNode.model.selectOption(MODEL);
  await expect(modelNode.status).toHaveText('ready', { timeout: 90_000 });
  await expect(canvas.node('model_1')).toContainText(`${MODEL} (live)`);
  await expect(modelNode.example).toContainText('[[5.1,3.5,1.4,0.2]]');
  // The preview feeds the node what a run would: here the input node's example.
  await expect(modelNode.preview.input).toHaveValue('{"rows":[[6.7,3,5.2,2.3]]}');
  await modelNode.preview.submit.click();
  await expect(modelNode.preview.result).toContainText('{"species":["virginica"]}');
  await modelNode.preview.useExample.click();
  await modelNode.preview.submit.click();
  await expect(modelNode.preview.result).toContainText('{"species":["setosa"]}');
  await shot('models-06-node-preview');

  // The test input goes through the model, in the browser (model nodes on the server) and in the sandbox.
  await runPanel.tab.click();
  await expect(runPanel.input).toHaveValue(/6\.7/);
  await runPanel.runInBrowser.click();
  await expect(runPanel.output).toContainText('"virginica"', { timeout: 90_000 });
  await runPanel.runOnServer.click();
  await expect(runPanel.summary).toContainText('(server sandbox', { timeout: 60_000 });
  await expect(runPanel.output).toContainText('"virginica"');
  await shot('models-07-node-run');

  // Publishing pins the model version that is live; the versions panel says which.
  await publishPanel.publishWith();
  await expect(publishPanel.notice).toContainText('Published v1');
  await publishPanel.versionsTab.click();
  await expect(publishPanel.version(1)).toContainText(`${MODEL} v1`);
  await shot('models-08-pinned');
  expect(consoleErrors).toEqual([]);
});
