import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN_TOKEN, Canvas, Editor, GraphListPage, expect, test } from './fixtures.ts';

const CLIENT_DIST = path.join(import.meta.dirname, '..', 'client', 'dist');

/**
 * The figures issue 3 asks for, measured in the real browser against the real
 * server; each is printed and attached to the report.
 */
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

function bigGraph(name: string, count: number) {
  const nodes: unknown[] = [
    { id: 'input', type: 'input', position: { x: 0, y: 0 }, schema: { type: 'object' }, example: {} },
  ];
  const edges: unknown[] = [];
  const columns = 14;
  for (let i = 0; i < count - 2; i++) {
    const id = `n_${i}`;
    nodes.push({
      id,
      type: 'python',
      position: { x: 250 + (i % columns) * 220, y: Math.floor(i / columns) * 120 },
      code: 'def process(data, ctx):\n    return data\n',
      requirements: [],
      timeoutMs: 5000,
      network: false,
    });
    edges.push({ source: i < columns ? 'input' : `n_${i - columns}`, target: id });
  }
  nodes.push({ id: 'output', type: 'output', position: { x: 250 + columns * 220, y: 0 } });
  edges.push({ source: `n_${count - 3}`, target: 'output' });
  return { format: 'plinth.graph/v1', name, description: `${count} nodes`, nodes, edges };
}

// The budget; overridable for a machine known to be slower than a laptop.
const BUDGET_MS = Number(process.env.PLINTH_E2E_TTI_BUDGET_MS ?? 1500);

/**
 * Record, in the page's own clock (ms since navigation start), the first animation
 * frame in which `selector` is laid out and visible, and every long task (>50 ms).
 */
async function watchFirstPaintOf(page: Page, selector: string): Promise<void> {
  await page.addInitScript((sel) => {
    const w = window as unknown as { __shownAt?: number; __longTasks: [number, number][] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
    const check = () => {
      const el = document.querySelector(sel);
      const hidden =
        el === null || el.getBoundingClientRect().width === 0 || getComputedStyle(el).visibility === 'hidden';
      if (hidden) requestAnimationFrame(check);
      else w.__shownAt = performance.now();
    };
    requestAnimationFrame(check);
  }, selector);
}

/**
 * The JavaScript the page fetched before `__shownAt` (the first paint of what we waited for):
 * bytes over the wire as served (brotli), the build's gzip copies of the same files, and raw.
 */
async function jsBeforePaint(page: Page): Promise<{ files: number; wire: number; gzip: number; raw: number }> {
  const entries = await page.evaluate(() => {
    const shownAt = (window as unknown as { __shownAt: number }).__shownAt;
    return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => e.startTime < shownAt && /\.m?js(\?|$)/.test(e.name))
      .map((e) => ({ url: e.name, wire: e.encodedBodySize }));
  });
  let gzip = 0;
  let raw = 0;
  for (const { url } of entries) {
    const file = path.join(CLIENT_DIST, new URL(url).pathname);
    raw += existsSync(file) ? statSync(file).size : 0;
    gzip += existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : existsSync(file) ? statSync(file).size : 0;
  }
  return { files: entries.length, wire: entries.reduce((sum, e) => sum + e.wire, 0), gzip, raw };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** When the screen was shown, and when the main thread was next free of long tasks after it. */
async function readTimes(page: Page): Promise<{ shown: number; interactive: number }> {
  await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined);
  return page.evaluate(() => {
    const w = window as unknown as { __shownAt: number; __longTasks: [number, number][] };
    const after = w.__longTasks.filter(([start, duration]) => start + duration > w.__shownAt);
    const interactive = Math.max(w.__shownAt, ...after.map(([start, duration]) => start + duration));
    return { shown: Math.round(w.__shownAt), interactive: Math.round(interactive) };
  });
}

test('cold start: the first screen is interactive within 1.5 s, a graph opened by URL soon after', async ({
  browser,
}, testInfo) => {
  // A new context has an empty cache: a cold load.
  const context = await browser.newContext();
  const page = await context.newPage();
  await watchFirstPaintOf(page, '[data-testid="graph-row-payment-scoring"]');
  await page.goto(`/?token=${ADMIN_TOKEN}`);
  const list = await readTimes(page);
  const listJs = await jsBeforePaint(page);
  const graphList = new GraphListPage(page);
  await graphList.newGraph.click();
  await expect(graphList.newGraphDialog.root).toBeVisible();
  await context.close();

  const canvasContext = await browser.newContext();
  const canvasPage = await canvasContext.newPage();
  await watchFirstPaintOf(canvasPage, '.react-flow__node[data-id="input"]');
  await canvasPage.goto(`/?token=${ADMIN_TOKEN}#/graphs/payment-scoring`);
  const canvasTimes = await readTimes(canvasPage);
  const canvasJs = await jsBeforePaint(canvasPage);
  await new Canvas(canvasPage).node('input').click();
  await expect(new Editor(canvasPage).panel).toBeVisible();
  await canvasContext.close();

  const js = (j: typeof listJs) =>
    `${j.files} files, ${kb(j.gzip)} gzipped (${kb(j.wire)} brotli over the wire, ${kb(j.raw)} raw)`;
  const report =
    `cold load (ms from navigation start): graph list shown ${list.shown}, interactive ${list.interactive}; ` +
    `graph canvas shown ${canvasTimes.shown}, interactive ${canvasTimes.interactive}\n` +
    `JS before first paint: graph list ${js(listJs)}; graph canvas ${js(canvasJs)}`;
  console.log(report);
  await testInfo.attach('cold-start', { body: report });
  // The first screen (the graph list) is the budget; opening straight onto a
  // graph loads the editor's code as well, and is held to a regression bound.
  expect(list.interactive).toBeLessThan(BUDGET_MS);
  expect(canvasTimes.interactive).toBeLessThan(2 * BUDGET_MS);
});

/**
 * Click Preview (a real click) and time, in the page's clock, from the click to the moment the
 * Preview button is back (the Stop button shown meanwhile is gone): the whole preview as seen.
 */
async function timePreview(page: Page, editor: Editor): Promise<{ started: number; ms: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __previewStart?: number; __previewDone?: number };
    w.__previewStart = undefined;
    w.__previewDone = undefined;
    document.addEventListener('click', () => (w.__previewStart = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      const idle =
        document.querySelector('[data-testid="stop-button"]') === null &&
        document.querySelector('[data-testid="preview-button"]') !== null;
      if (w.__previewStart !== undefined && idle) {
        w.__previewDone = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await editor.previewButton.click();
  await page.waitForFunction(
    () => (window as unknown as { __previewDone?: number }).__previewDone !== undefined,
    null,
    {
      timeout: 120_000,
    },
  );
  await expect(editor.previewOutput).toBeVisible();
  return page.evaluate(() => {
    const w = window as unknown as { __previewStart: number; __previewDone: number };
    return { started: w.__previewStart, ms: w.__previewDone - w.__previewStart };
  });
}

test('first Pyodide preview: cold (a fresh browser) and warm', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await watchFirstPaintOf(page, '.react-flow__node[data-id="features"]');
  await page.goto(`/?token=${ADMIN_TOKEN}#/graphs/payment-scoring`);
  const { shown } = await readTimes(page);
  const editor = new Editor(page);
  // A person opens a node and previews it as soon as its editor is there.
  await new Canvas(page).node('features').click();
  await expect(editor.previewButton).toBeVisible();
  const cold = await timePreview(page, editor);
  const warm = [];
  for (let i = 0; i < 5; i++) warm.push((await timePreview(page, editor)).ms);
  await context.close();
  const median = [...warm].sort((a, b) => a - b)[Math.floor(warm.length / 2)] ?? 0;
  const report =
    `preview (ms): cold first preview ${Math.round(cold.ms)} from the click, ${Math.round(cold.started - shown)} ms ` +
    `after the canvas was shown (${Math.round(cold.started + cold.ms)} from navigation start); warm median ${Math.round(median)} of ${warm.length}`;
  console.log(report);
  await testInfo.attach('preview', { body: report });
});

test('a 200-node graph drags and pans without visible lag', async ({
  page,
  graphList,
  canvas,
  request,
  graphName,
}, testInfo) => {
  const name = graphName('two-hundred');
  test.setTimeout(180_000);
  const created = await request.post('/api/v1/graphs', { headers: auth, data: bigGraph(name, 200) });
  expect(created.status()).toBe(201);
  await graphList.open();
  await page.goto(`/#/graphs/${name}`);
  await expect(canvas.node('n_100')).toBeVisible();
  await expect(canvas.nodes).toHaveCount(200);

  // Count animation frames and their gaps while a node is dragged across the canvas.
  const measure = async (action: () => Promise<void>) => {
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = [];
      w.__stop = false;
      const tick = (t: number) => {
        w.__frames.push(t);
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await action();
    return page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      const f = w.__frames;
      const gaps = f.slice(1).map((t, i) => t - (f[i] as number));
      const seconds = ((f[f.length - 1] ?? 0) - (f[0] ?? 0)) / 1000;
      const sorted = [...gaps].sort((a, b) => a - b);
      return {
        fps: Math.round(gaps.length / seconds),
        median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
        p95: Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
        worst: Math.round(sorted[sorted.length - 1] ?? 0),
        frames: gaps.length,
      };
    });
  };

  // The graph is larger than the view at a legible zoom, which opens on its start: drag a node there.
  const box = await canvas.node('n_0').boundingBox();
  if (box === null) throw new Error('node not visible');
  const drag = await measure(async () => {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 60; i++) await page.mouse.move(box.x + box.width / 2 + i * 4, box.y + box.height / 2 + i * 2);
    await page.mouse.up();
  });
  // The dragged node followed the pointer.
  const moved = await canvas.node('n_0').boundingBox();
  expect(moved?.x).toBeGreaterThan(box.x + 200);
  const pane = await canvas.root.boundingBox();
  if (pane === null) throw new Error('canvas not visible');
  const pan = await measure(async () => {
    // Pan with the wheel (the canvas scrolls; at this zoom there is no empty canvas left to drag).
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    for (let i = 1; i <= 60; i++) await page.mouse.wheel(12, 6);
  });
  const report = `200 nodes: drag ${drag.fps} fps (median frame ${drag.median} ms, p95 ${drag.p95} ms, worst ${drag.worst} ms, ${drag.frames} frames); pan ${pan.fps} fps (median ${pan.median} ms, p95 ${pan.p95} ms, worst ${pan.worst} ms)`;
  console.log(report);
  await testInfo.attach('200-node-drag', { body: report });
  // At least 20 frames a second half the time, even on a busy 2-core CI machine.
  expect(drag.median).toBeLessThanOrEqual(50);
  expect(pan.median).toBeLessThanOrEqual(50);
});

test('completion latency: keypress to the suggestion list, p50 over 10 tries', async ({
  page,
  graphList,
  canvas,
  editor,
  graphName,
}, testInfo) => {
  await graphList.open();
  await graphList.create(graphName('completion'), 'Empty');
  await canvas.node('process').click();
  await editor.typeCode(['def process(data, ctx):', '    return data', '']);
  // From the "." keydown to the first frame showing the list with the stub's members.
  await page.evaluate(() => {
    const w = window as unknown as { __suggestMs: number[] };
    w.__suggestMs = [];
    document.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== '.') return;
        const started = performance.now();
        const check = () => {
          const list = document.querySelector('.suggest-widget.visible');
          if (list?.textContent?.includes('run_id')) w.__suggestMs.push(performance.now() - started);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      true,
    );
  });
  const tries = 10;
  for (let i = 1; i <= tries; i++) {
    await page.keyboard.type('    ctx.');
    await page.waitForFunction((n) => (window as unknown as { __suggestMs: number[] }).__suggestMs.length >= n, i, {
      timeout: 60_000,
    });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Delete');
  }
  const times = await page.evaluate(() => (window as unknown as { __suggestMs: number[] }).__suggestMs);
  const [first, ...warm] = times;
  const sorted = [...warm].sort((a, b) => a - b);
  const p50 = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const report = `completion (keypress "." to the suggestion list with ctx's members, Pyright on the server): first ${Math.round(first ?? NaN)} ms, then p50 ${Math.round(p50)} ms over ${warm.length} tries`;
  console.log(report);
  await testInfo.attach('completion-latency', { body: report });
  expect(times).toHaveLength(tries);
});
