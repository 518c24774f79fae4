import { expect, test } from './fixtures.ts';

test('a node with several upstream nodes says how its data is gathered, as the drawing decides it', async ({
  page,
  graphList,
  toolbar,
  canvas,
  shot,
  graphName,
}) => {
  // The sample graph: `respond` follows `approve` and `review`, which the `decide` branch routes apart.
  await graphList.open();
  await graphList.link('payment-scoring').click();
  await expect(canvas.join('respond')).toHaveText('one of: approve, review');
  await expect(canvas.join('respond')).toHaveAttribute(
    'title',
    'data is the output of whichever of approve, review ran: branch nodes route them apart, ' +
      'so at most one of them runs (as after an if/else).',
  );
  // A node with one upstream node gets that node's value: nothing to say.
  await expect(canvas.join('approve')).toHaveCount(0);
  await expect(canvas.join('output')).toHaveCount(0);
  await shot('join-alternatives');
  await toolbar.back.click();

  // On a copy: wire `score` (which runs whatever `decide` chooses) into `respond` as well.
  await graphList.create(graphName('joins'), 'Payment scoring');
  await expect(canvas.join('respond')).toHaveText('one of: approve, review');
  // The sample is wider than the view at a legible zoom: zoom out to see both ends of the new edge.
  await canvas.zoomOut.click();
  await canvas.zoomOut.click();
  await canvas.connect('score', 'respond');
  await expect(canvas.join('respond')).toHaveText('{approve, review, score} by id');
  await expect(canvas.join('respond')).toHaveAttribute('title', /^data is an object keyed by node id/);
  await shot('join-keyed');

  // Undo takes the edge back, and with it the keyed join.
  await canvas.root.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  await expect(canvas.join('respond')).toHaveText('one of: approve, review');
});
