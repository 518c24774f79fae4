import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { ADMIN_TOKEN, Canvas, expect, GraphListPage, SignInPage, test } from './fixtures.ts';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A copy of the greeter fixture under `name`, created through the API. */
async function createGreeter(request: APIRequestContext, name: string): Promise<void> {
  const doc = JSON.parse(readFileSync(new URL('./fixtures/greeter-graph.json', import.meta.url), 'utf8')) as object;
  const res = await request.post('/api/v1/graphs', { headers: auth, data: { ...doc, name } });
  expect(res.status()).toBe(201);
}

test('a new tab on a deep link stays signed in until Sign out, and the sign-in hint names this server', async ({
  context,
  page,
  graphList,
  request,
  graphName,
}) => {
  const name = graphName('deep-link');
  await createGreeter(request, name);
  await graphList.open();

  // A second tab opened straight at the graph (a bookmark, a pasted link) needs no token.
  const second = await context.newPage();
  await second.goto(`/#/graphs/${name}`);
  await expect(new Canvas(second).node('greet')).toBeVisible();
  await expect(new SignInPage(second).root).toHaveCount(0);
  // And so does the first tab after a reload.
  await page.reload();
  await expect(graphList.row(name)).toBeVisible();

  // Sign out forgets the token: in this tab, in the other one, and in any tab opened later.
  await graphList.signOut.click();
  const signIn = new SignInPage(page);
  await expect(signIn.root).toBeVisible();
  await expect(new SignInPage(second).root).toBeVisible();
  const third = await context.newPage();
  await third.goto(`/#/graphs/${name}`);
  const thirdSignIn = new SignInPage(third);
  await expect(thirdSignIn.root).toBeVisible();
  // The hint shows the address of the server this page came from, port and all.
  const origin = new URL(page.url()).origin;
  await expect(thirdSignIn.hintUrl).toHaveText(`${origin}/?token=…`);

  // Signing in again (typing the token) opens the deep link it was asked for.
  await thirdSignIn.token.click();
  await third.keyboard.type(ADMIN_TOKEN);
  await third.keyboard.press('Enter');
  await expect(new Canvas(third).node('greet')).toBeVisible();
  await expect(new GraphListPage(third).root).toHaveCount(0);
});
