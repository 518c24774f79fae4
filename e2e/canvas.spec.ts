import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN_TOKEN, expect, test } from './fixtures.ts';

type Box = { x: number; y: number; width: number; height: number };

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const router = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'branching-graph.json'), 'utf8'));

test('renaming a branch relabels its edge; removing one asks first and Ctrl+Z brings it back', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const doc = { ...router, name: graphName('branch-rename') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await canvas.node('decide').click();

  // One more letter at the end of "approve": the edge stays, relabelled.
  const first = page.getByLabel('Branch 1');
  await first.click();
  await page.keyboard.press('End');
  await page.keyboard.type('d');
  await expect(first).toHaveValue('approved');
  await expect(canvas.edge('decide', 'approve', 'approved')).toBeVisible();
  await expect(canvas.edge('decide', 'approve', 'approved')).toContainText('approved');
  await canvas.waitSaved();
  const saved = await (await request.get(`/api/v1/graphs/${doc.name}`, { headers: auth })).json();
  expect(saved.document.edges).toContainEqual({
    source: 'decide',
    branch: 'approved',
    target: 'approve',
  });

  // Each keystroke renames; the one that would name it like the other branch is refused with why.
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('review');
  await expect(page.locator('.branch-name .field-error')).toHaveText(
    'There is already a branch "review". Still "revie".',
  );
  await expect(canvas.edge('decide', 'approve', 'revie')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(first).toHaveValue('revie');

  // Removing a branch asks first; cancelling keeps it.
  await page.getByRole('button', { name: 'Remove branch review' }).click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('Its edge goes with it.');
  await page.keyboard.press('Escape');
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();
  await page.getByRole('button', { name: 'Remove branch review' }).click();
  await page.getByRole('button', { name: 'Remove review' }).click();
  await expect(canvas.edge('decide', 'review', 'review')).toHaveCount(0);
  await expect(canvas.node('decide')).not.toContainText('review');

  await page.keyboard.press('ControlOrMeta+Z');
  await expect(canvas.edge('decide', 'review', 'review')).toBeVisible();
  await expect(page.getByLabel('Branch 2')).toHaveValue('review');
});

const greeter = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'greeter-graph.json'), 'utf8'));

/** The canvas's zoom, read from the transform React Flow puts on its viewport. */
async function zoomOf(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const match = /scale\(([\d.]+)\)/.exec(transform);
  if (match?.[1] === undefined) throw new Error(`no scale in ${transform}`);
  return Number(match[1]);
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('a long graph opens at a legible zoom and is read by scrolling; nodes say what they do', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const steps = Array.from({ length: 10 }, (_, i) => ({
    id: `step_${i}`,
    type: 'python',
    position: { x: 300 * (i + 1), y: 0 },
    code:
      i === 0
        ? 'def process(data, ctx):\n    """Add the fee to the amount.\n\n    Fees come from ctx.state."""\n    return data\n'
        : 'def process(data, ctx):\n    return data\n',
    requirements: [],
    timeoutMs: 5000,
    network: false,
  }));
  const ids = ['input', ...steps.map((s) => s.id), 'output'];
  const doc = {
    ...greeter,
    name: graphName('long-graph'),
    nodes: [greeter.nodes[0], ...steps, { ...greeter.nodes[2], position: { x: 3300, y: 0 } }],
    edges: ids.slice(1).map((id, i) => ({ source: ids[i], target: id })),
  };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await expect(canvas.node('step_0')).toBeVisible();

  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.8);
  await expect(canvas.node('step_0')).toContainText('Add the fee to the amount.');
  await expect(canvas.node('step_0')).not.toContainText('Fees come from');
  await expect(canvas.root).not.toContainText('def process(data, ctx)');

  // The wheel scrolls sideways through the graph at the same zoom.
  const before = await canvas.node('step_5').boundingBox();
  const box = await canvas.root.boundingBox();
  if (before === null || box === null) throw new Error('canvas not drawn');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  await page.mouse.wheel(300, 0);
  await expect.poll(async () => (await canvas.node('step_5').boundingBox())?.x).toBeLessThan(before.x - 100);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.8);

  await page.getByTestId('fit-view').click();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.8);
});

test('the palette adds a node at the centre of the view, clear of the node already there', async ({
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName('palette-centre') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await expect(canvas.node('greet')).toBeVisible();

  await canvas.paletteItem('python').click();
  await canvas.paletteItem('python').press('Enter');
  await expect(canvas.node('python_2')).toBeVisible();
  const view = await canvas.root.boundingBox();
  if (view === null) throw new Error('canvas not drawn');
  const boxes: Box[] = [];
  for (const id of ['input', 'greet', 'output', 'python_1', 'python_2']) {
    const b = await canvas.node(id).boundingBox();
    if (b === null) throw new Error(`${id} not drawn`);
    boxes.push(b);
  }
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false);
  // Near the centre of what the canvas shows: within the middle half of it.
  for (const added of boxes.slice(3)) {
    const cx = added.x + added.width / 2;
    const cy = added.y + added.height / 2;
    expect(Math.abs(cx - (view.x + view.width / 2))).toBeLessThan(view.width / 4);
    expect(Math.abs(cy - (view.y + view.height / 2))).toBeLessThan(view.height / 4);
  }
});

test('the graph declares the secrets it uses; the IDE says which exist on the server and never shows a value', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const secret = `E2E_DB_PASSWORD_${Date.now().toString(36).toUpperCase()}`;
  const value = 'value-that-must-not-show-up';
  expect((await request.post('/api/v1/secrets', { headers: auth, data: { name: secret, value } })).status()).toBe(201);
  const doc = { ...greeter, name: graphName('declares-secrets') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  const secrets = page.getByTestId('graph-secrets');
  await expect(secrets).toContainText('No secrets declared.');
  await expect(page.getByTestId('undeclared-secrets')).toContainText(secret);

  const field = secrets.getByLabel('Secret name');
  await field.click();
  await page.keyboard.type(secret);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`secret-${secret}`)).toContainText('set on the server');
  await page.keyboard.type('NOT_ON_SERVER');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('secret-NOT_ON_SERVER')).toContainText('not set on the server');
  await page.keyboard.type('9bad');
  await expect(secrets).toContainText('Use letters, digits and _');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');

  await secrets.getByRole('button', { name: 'Remove secret NOT_ON_SERVER' }).click();
  await expect(page.getByTestId('secret-NOT_ON_SERVER')).toHaveCount(0);
  await canvas.waitSaved();
  const saved = await (await request.get(`/api/v1/graphs/${doc.name}`, { headers: auth })).json();
  expect(saved.document.secrets).toEqual([secret]);
  expect(await page.content()).not.toContain(value);
});

test('the keyboard deletes an edge (Tab to it: a focus ring, Enter, Delete) and draws one (Connect to…)', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName('keyboard-edges') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  const edge = canvas.edge('greet', 'output');
  await expect(edge).toBeVisible();

  // Tab from the canvas until the edge has the focus.
  const box = await canvas.root.boundingBox();
  if (box === null) throw new Error('canvas not drawn');
  await page.mouse.click(box.x + box.width - 40, box.y + 40);
  for (let i = 0; i < 20; i++) {
    if (await edge.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(edge).toBeFocused();
  await expect(edge.locator('.react-flow__edge-path')).toHaveCSS('stroke-width', '3px');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await expect(edge).toHaveCount(0);
  await expect(canvas.nodeProblems('output')).toContainText('reaches the output node');

  // And back, from the node's panel.
  await canvas.node('greet').click();
  const connectTo = page.getByTestId('connect-to');
  await connectTo.getByLabel('Connect greet to').focus();
  await page.keyboard.type('output');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(connectTo).toContainText('Connected greet → output.');
  await expect(edge).toBeVisible();
  await expect(canvas.nodeProblems('output')).toHaveCount(0);
});

test.describe('at 1440×900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });
  test('auto-layout lays a tangled graph out left to right: no node on another or outside the view, no edge behind a node', async ({
    page,
    graphList,
    canvas,
    toolbar,
    request,
    graphName,
  }) => {
    // Everything piled at the origin, with an edge that skips a layer (input → output).
    const doc = {
      ...router,
      name: graphName('tangled'),
      nodes: router.nodes.map((n: object) => ({ ...n, position: { x: 0, y: 0 } })),
      edges: [...router.edges, { source: 'input', target: 'output' }],
    };
    expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
    await graphList.open();
    await graphList.link(doc.name).click();
    await expect(canvas.node('decide')).toBeVisible();
    await toolbar.autoLayout.click();
    await expect(canvas.saveStatus).not.toHaveAttribute('data-status', 'saved');
    await canvas.waitSaved();
    await page.waitForTimeout(400); // the refit animates for 300 ms

    const ids = ['input', 'decide', 'approve', 'review', 'output'];
    const view = await canvas.root.boundingBox();
    if (view === null) throw new Error('canvas not drawn');
    const boxes = new Map<string, Box>();
    for (const id of ids) {
      const b = await canvas.node(id).boundingBox();
      if (b === null) throw new Error(`${id} not drawn`);
      boxes.set(id, b);
      expect(b.x, `${id} inside the canvas`).toBeGreaterThanOrEqual(view.x);
      expect(b.x + b.width, `${id} not under the side panel`).toBeLessThanOrEqual(view.x + view.width);
      expect(b.y).toBeGreaterThanOrEqual(view.y);
      expect(b.y + b.height).toBeLessThanOrEqual(view.y + view.height);
    }
    const all = [...boxes.entries()];
    for (const [i, [a, boxA]] of all.entries())
      for (const [b, boxB] of all.slice(i + 1)) expect(overlap(boxA, boxB), `${a} and ${b}`).toBe(false);
    expect((boxes.get('input')?.x ?? 0) < (boxes.get('decide')?.x ?? 0)).toBe(true);
    expect((boxes.get('decide')?.x ?? 0) < (boxes.get('approve')?.x ?? 0)).toBe(true);

    // Points along every edge, in page coordinates: none inside a node it does not connect.
    for (const edge of [...doc.edges]) {
      const id = `${edge.source}->${edge.target}${'branch' in edge ? `#${edge.branch}` : ''}`;
      const points = await page
        .getByTestId(`rf__edge-${id}`)
        .locator('path.react-flow__edge-path')
        .evaluate((el) => {
          const path = el as SVGPathElement;
          const matrix = path.getScreenCTM();
          const length = path.getTotalLength();
          const out: { x: number; y: number }[] = [];
          for (let i = 1; i < 40; i++) {
            const p = path.getPointAtLength((length * i) / 40);
            out.push(matrix ? { x: p.x * matrix.a + matrix.e, y: p.y * matrix.d + matrix.f } : { x: p.x, y: p.y });
          }
          return out;
        });
      for (const [nodeId, b] of boxes) {
        if (nodeId === edge.source || nodeId === edge.target) continue;
        const inside = points.filter(
          (p) => p.x > b.x + 2 && p.x < b.x + b.width - 2 && p.y > b.y + 2 && p.y < b.y + b.height - 2,
        );
        expect(inside, `edge ${id} passes behind ${nodeId}`).toEqual([]);
      }
    }
  });
});

test('opening a graph wider than the view shows where it starts, the input whole, at a legible zoom; so does Fit view', async ({
  page,
  graphList,
  canvas,
  graphName,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await graphList.open();
  await graphList.create(graphName('wide-sample'), 'Payment scoring');
  await expect(canvas.node('features')).toBeVisible();

  const inputWhollyInView = async () => {
    const view = await canvas.root.boundingBox();
    const input = await canvas.node('input').boundingBox();
    if (view === null || input === null) return false;
    return input.x >= view.x && input.x + input.width <= view.x + view.width;
  };
  await expect.poll(inputWhollyInView).toBe(true);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.8);

  // Scroll away to the end of the graph, then ask for the fit again.
  const view = await canvas.root.boundingBox();
  if (view === null) throw new Error('canvas not drawn');
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  await page.mouse.wheel(1500, 0);
  await expect.poll(inputWhollyInView).toBe(false);
  await page.getByTestId('fit-view').click();
  await expect.poll(inputWhollyInView).toBe(true);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.8);

  // The canvas controls' own fit button frames it the same way.
  await page.mouse.move(view.x + view.width / 2, view.y + view.height / 2);
  await page.mouse.wheel(1500, 0);
  await expect.poll(inputWhollyInView).toBe(false);
  await page.getByTestId('rf__controls').getByRole('button', { name: 'Fit view' }).click();
  await expect.poll(inputWhollyInView).toBe(true);
});
