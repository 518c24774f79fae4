import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { ADMIN_TOKEN, expect, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const greeter = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'greeter-graph.json'), 'utf8'));
const pagePort = Number(process.env.PLINTH_E2E_PAGE_PORT);

// A blank page on another origin than the IDE's; the e2e server allows 127.0.0.1:<pagePort> (playwright.config.ts).
let pages: Server;
test.beforeAll(async () => {
  pages = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => pages.listen(pagePort, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise<void>((resolve) => pages.close(() => resolve())));

test('the JavaScript snippet, copied as shown, works from a page on an allowed origin and not from another', async ({
  page,
  graphList,
  publishPanel,
  request,
  graphName,
}) => {
  const doc = { ...greeter, name: graphName('called-from-afar') };
  expect((await request.post('/api/v1/graphs', { headers: auth, data: doc })).status()).toBe(201);
  expect((await request.post(`/api/v1/graphs/${doc.name}/versions`, { headers: auth })).status()).toBe(201);
  await graphList.open();
  await graphList.link(doc.name).click();
  await publishPanel.callTab.click();
  // Before a key exists, the curl snippet reads it from the environment, in double quotes so it expands.
  await expect(publishPanel.curl).toContainText('-H "Authorization: Bearer $PLINTH_API_KEY"');
  await publishPanel.createKey.click();
  await expect(publishPanel.apiKey).toBeVisible();
  const snippet = (await page.getByTestId('snippet-fetch').textContent()) ?? '';
  expect(snippet).toContain((await publishPanel.apiKey.textContent())?.trim());

  /** Open a blank page on `origin` and run the snippet there, collecting what it logs. */
  const runFrom = async (origin: string) => {
    await page.goto(`${origin}/blank`);
    return page.evaluate(
      `(async () => {
        const logged = [];
        const console = { log: (...args) => logged.push(args) };
        try {
          ${snippet}
        } catch (error) {
          return { error: String(error) };
        }
        return { logged };
      })()`,
    );
  };
  expect(await runFrom(`http://127.0.0.1:${pagePort}`)).toEqual({
    logged: [['1', { greeting: 'Hello, Ada', version: 1 }]],
  });
  // The same page under another name is another origin, not in the allow-list.
  const refused = (await runFrom(`http://localhost:${pagePort}`)) as { error?: string };
  expect(refused.error).toContain('Failed to fetch');
});
