import { expect, test } from './fixtures.ts';
import { makeDemoWheel, servePackageIndex, tempDir, type PackageIndex } from '../server/test/packageIndex.ts';

// The server installs requirements from this index (PLINTH_PIP_INDEX_URL, set in playwright.config.ts);
// the browser only ever talks to the Plinth server.
let index: PackageIndex;
test.beforeAll(async () => {
  const wheels = tempDir('e2e-wheels');
  makeDemoWheel(wheels);
  makeDemoWheel(wheels, { name: 'plinth-native-pkg', tag: 'cp311-cp311-linux_x86_64' });
  index = await servePackageIndex(wheels, Number(process.env.PLINTH_E2E_PIP_PORT));
});
test.afterAll(() => index.close());

test("a preview loads a node's pure-Python requirement and says which one it cannot load", async ({
  page,
  graphList,
  canvas,
  editor,
  shot,
}) => {
  await graphList.open();
  await graphList.create(`reqs-${Date.now().toString(36)}`, 'Empty');
  await canvas.node('process').click();
  const requirements = page.getByLabel('Requirements (one per line)');
  await requirements.click();
  await page.keyboard.type('plinth-demo-pkg==1.0');
  await page.keyboard.press('Enter');
  await page.keyboard.type('plinth-native-pkg==1.0');
  await editor.typeCode([
    'import plinth_demo_pkg',
    'def process(data, ctx):',
    "    return plinth_demo_pkg.greet('ada')",
  ]);

  await editor.previewButton.click();
  // Pyodide loads, the server's pip builds the venv, the wheel comes from the server.
  await expect(editor.previewOutput).toContainText('hello ada', { timeout: 90_000 });
  const logs = page.getByTestId('preview-logs');
  await expect(logs).toContainText(
    'plinth-native-pkg==1.0 could not be loaded in the browser preview: plinth-native-pkg 1.0 is a compiled package',
  );
  await expect(logs).toContainText('The server run is the reference.');
  await shot('requirements-01-preview');
  expect(index.requests.some((path) => path.startsWith('/simple/plinth-demo-pkg'))).toBe(true);
});
