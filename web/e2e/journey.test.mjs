// The whole product, as a person uses it, against the real server binary.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  axeViolations,
  launchBrowser,
  screenshotPath,
  startServer,
  tempDir,
  unzip,
} from './helpers.mjs';

const PASSWORD = 'correct horse battery staple';
const PROMPT = 'a lighthouse at dusk, oil painting';
const stamp = Date.now().toString(36);
const alice = `alice-${stamp}@example.com`;
const bob = `bob-${stamp}@example.com`;

let server;
let chrome;
let page;
const ids = { favourite: '', other: '' };

/** Full-page screenshot from the top, so the sticky header sits where it belongs. */
async function snap(name, fullPage = true) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(250); // let hover/press transitions settle
  await page.screenshot({ path: screenshotPath(name), fullPage });
}

async function expectAccessible(name) {
  const violations = await axeViolations(page);
  assert.deepEqual(
    violations,
    [],
    `axe found serious/critical issues on ${name}:\n${violations.join('\n')}`,
  );
}

async function waitForPath(path) {
  await page.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
}

async function imagesLoaded(selector, count) {
  await page.waitForFunction(
    ({ selector, count }) => {
      const imgs = [...document.querySelectorAll(selector)];
      return imgs.length === count && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    { selector, count },
    { timeout: 30_000 },
  );
}

/** The images of the newest run on Generate (the feed also lists earlier runs). */
async function newestRunLoaded(count) {
  await page.waitForFunction(
    (count) => {
      const run = document.querySelector('[data-testid="run"]');
      const imgs = run ? [...run.querySelectorAll('[data-testid="result-image"] img')] : [];
      return imgs.length === count && imgs.every((i) => i.complete && i.naturalWidth > 0);
    },
    count,
    { timeout: 30_000 },
  );
}

/** The run card whose prompt is `prompt`. */
function runCard(prompt) {
  return page.getByTestId('run').filter({ has: page.getByText(prompt, { exact: true }) });
}

const scrollY = () => page.evaluate(() => window.scrollY);

/** The link of the gallery tile showing image `id`, and the tile itself. */
const tileLink = (id) => page.locator(`a[data-testid="gallery-item"][href="/gallery/${id}"]`);
const tileOf = (id) => page.locator('li', { has: tileLink(id) });

async function galleryHas(count) {
  await page.waitForFunction(
    (count) => document.querySelectorAll('[data-testid="gallery-item"]').length === count,
    count,
  );
}

/** The toasts. */
const notifications = () => page.getByRole('region', { name: 'Notifications' });

/** Ids the server lists for `query` ('' for the gallery, '?trashed=true' for the trash), sorted. */
async function listed(query) {
  const page1 = await page.evaluate(
    async (query) => (await fetch(`/api/images${query}`)).json(),
    query,
  );
  return page1.items.map((i) => i.id).sort();
}

async function signUp(email) {
  await page.goto(`${server.baseURL}/sign-up`);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await waitForPath('/generate');
}

async function signOut() {
  await page.getByRole('button', { name: /account menu/i }).click();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await waitForPath('/');
  await page.getByRole('banner').getByRole('link', { name: 'Get started' }).waitFor();
}

describe('PromptCanvas Pro in a real browser', { concurrency: false }, () => {
  before(async () => {
    server = await startServer({ ADMIN_EMAILS: alice });
    chrome = await launchBrowser();
    const context = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await chrome?.close();
    await server?.stop();
  });

  test('home page explains the product and is accessible', async () => {
    await page.goto(server.baseURL);
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /Describe it/);
    await snap('home.png');
    await expectAccessible('Home');
  });

  test('a protected page sends a visitor to sign-in', async () => {
    await page.goto(`${server.baseURL}/generate`);
    await waitForPath('/sign-in');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/generate');
    await expectAccessible('Sign in');
  });

  test('sign-up validates inline, then creates the account', async () => {
    await page.goto(`${server.baseURL}/sign-up`);
    await page.getByLabel('Email', { exact: true }).fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 8 characters.').waitFor();
    await snap('sign-up.png', false);
    await expectAccessible('Sign up (with errors)');
    await signUp(alice);
  });

  test('generates two images and shows them with the engine badge', async () => {
    await page.getByLabel('Prompt', { exact: true }).fill(PROMPT);
    await page.getByRole('radio', { name: '2 images' }).check({ force: true });
    await expectAccessible('Generate');
    await page.getByRole('button', { name: 'Generate 2 images' }).click();
    await imagesLoaded('[data-testid="result-image"] img', 2);
    const badges = await page
      .locator('[data-testid="result-image"]')
      .getByText(/Offline preview engine|FLUX/)
      .count();
    assert.equal(badges, 2);
    await snap('generate.png');
    await expectAccessible('Generate (with results)');
  });

  test('both images appear in the gallery without a reload', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Gallery' })
      .click();
    await waitForPath('/gallery');
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    const hrefs = await page
      .getByTestId('gallery-item')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    [ids.favourite, ids.other] = hrefs.map((h) => h.split('/').pop());
    assert.ok(ids.favourite && ids.other && ids.favourite !== ids.other);
    const alt = await page.getByTestId('gallery-item').first().locator('img').getAttribute('alt');
    assert.equal(alt, PROMPT);
    await snap('gallery.png');
    await expectAccessible('Gallery');
  });

  test('favourites one image', async () => {
    const card = page.locator('li', { has: page.locator(`a[href="/gallery/${ids.favourite}"]`) });
    const heart = card.getByRole('button', { name: 'Favourite' });
    assert.equal(await heart.getAttribute('aria-pressed'), 'false');
    await heart.click();
    await card.locator('button[aria-pressed="true"]').waitFor();
  });

  test('search finds it, and favourites-only narrows to it', async () => {
    await page.getByLabel('Search your images by prompt').fill('lighthouse');
    await page.waitForURL((url) => url.searchParams.get('q') === 'lighthouse');
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    await page.getByRole('button', { name: 'Favourites only' }).click();
    await page.waitForURL((url) => url.searchParams.get('favorites') === '1');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="gallery-item"]').length === 1,
    );
    assert.equal(
      await page.getByTestId('gallery-item').getAttribute('href'),
      `/gallery/${ids.favourite}?q=lighthouse&favorites=1`,
    );

    await page.getByLabel('Search your images by prompt').fill('zebra crossing');
    await page.getByText('No images match').waitFor();
    await expectAccessible('Gallery (no match)');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
  });

  test('selects two images with a checkbox and a shift-click, and favourites both from the bar', async () => {
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    const checkbox = (id) => tileOf(id).getByRole('checkbox', { name: `Select image: ${PROMPT}` });
    // The first tile, newest, is the favourite: the range runs from it to the other.
    await tileOf(ids.favourite).hover();
    await checkbox(ids.favourite).click();
    await bar.getByText('1 selected').waitFor();
    await checkbox(ids.other).click({ modifiers: ['Shift'] });
    await bar.getByText('2 selected').waitFor();
    assert.ok(await checkbox(ids.favourite).isChecked());
    assert.ok(await checkbox(ids.other).isChecked());

    // One of them is not a favourite yet, so the bar favourites.
    await bar.getByRole('button', { name: 'Favourite', exact: true }).click();
    await notifications().getByText('Added 2 images to your favourites.').waitFor();
    await tileOf(ids.other)
      .locator('button[aria-label="Favourite"][aria-pressed="true"]')
      .waitFor();
    await bar.getByRole('button', { name: 'Unfavourite' }).waitFor();
    assert.deepEqual(await listed('?favorite=true'), [ids.favourite, ids.other].sort());
    await expectAccessible('Gallery (selection bar)');

    // On a 375 px phone the bar fits, and at the end of the page it covers no image.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `the gallery is ${overflow}px wider than the viewport`);
    const last = await page.locator('ul[aria-label="Your images"] > li').last().boundingBox();
    const toolbar = await bar.boundingBox();
    assert.ok(
      toolbar.y >= last.y + last.height,
      `the bar (top ${toolbar.y}) covers the last image (bottom ${last.y + last.height})`,
    );
    assert.ok(toolbar.x >= 0 && toolbar.x + toolbar.width <= 375, 'the bar sticks out');
    await page.screenshot({ path: screenshotPath('gallery-selection-mobile.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    await bar.getByRole('button', { name: 'Clear' }).click();
    await bar.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('checkbox', { checked: true }).count(), 0);
  });

  test('X selects the focused image, the bar unfavourites it, and Esc clears', async () => {
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    await tileLink(ids.other).focus();
    await page.keyboard.press('x');
    await bar.getByText('1 selected').waitFor();
    await bar.getByRole('button', { name: 'Unfavourite' }).click();
    await notifications().getByText('Removed 1 image from your favourites.').waitFor();
    await tileOf(ids.other)
      .locator('button[aria-label="Favourite"][aria-pressed="false"]')
      .waitFor();
    assert.deepEqual(await listed('?favorite=true'), [ids.favourite]);
    await page.keyboard.press('Escape');
    await bar.waitFor({ state: 'detached' });
  });

  test('two selected images download as a ZIP that opens offline, with their pictures and prompts', async () => {
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    await tileOf(ids.favourite).hover();
    await tileOf(ids.favourite).getByRole('checkbox').click();
    await tileOf(ids.other).getByRole('checkbox').click();
    await bar.getByText('2 selected').waitFor();

    const downloading = page.waitForEvent('download', { timeout: 120_000 });
    await bar.getByRole('button', { name: 'Download as ZIP' }).click();
    const dialog = page.getByRole('dialog', { name: 'Download as ZIP' });
    await dialog.waitFor();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^promptcanvas-export-.*\.zip$/);
    await dialog.getByText(/^Your ZIP is ready \(2 images, [\d.]+ [KM]?B\)$/).waitFor();
    const made = (await page.evaluate(async () => (await fetch('/api/exports')).json())).items[0];
    assert.equal(made.image_count, 2);
    assert.equal(
      await dialog.getByRole('link', { name: 'Download again' }).getAttribute('href'),
      made.url,
    );
    await expectAccessible('Download as ZIP (ready)');
    await snap('export-ready.png', false);

    const dir = tempDir('promptcanvas-zip-');
    try {
      const zip = join(dir, 'export.zip');
      await download.saveAs(zip);
      const out = join(dir, 'unzipped');
      unzip(zip, out);

      const recipes = JSON.parse(readFileSync(join(out, 'recipes.json'), 'utf8'));
      assert.equal(recipes.format, 'promptcanvas.recipes/1');
      assert.equal(recipes.images.length, 2);
      assert.deepEqual(recipes.images.map((r) => r.id).sort(), [ids.favourite, ids.other].sort());
      for (const recipe of recipes.images) {
        assert.equal(recipe.prompt, PROMPT);
        // Each original, byte for byte, where the recipe says it is.
        const file = join(out, recipe.file);
        assert.ok(existsSync(file), `${recipe.file} is not in the ZIP`);
        const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
        assert.equal(sha256, recipe.sha256, `${recipe.file} differs from its recipe's hash`);
      }
      assert.equal(readdirSync(join(out, 'images')).length, 2);

      // The contact sheet, from disk, in a browser that may not reach any network.
      const offline = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const reached = [];
      const local = (url) => /^(file|data|blob):/.test(url);
      offline.on('request', (request) => {
        if (!local(request.url())) reached.push(request.url());
      });
      await offline.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        reached.push(url);
        return route.abort();
      });
      try {
        const sheet = await offline.newPage();
        await sheet.goto(pathToFileURL(join(out, 'index.html')).href);
        await sheet.waitForFunction(
          () => {
            const imgs = [...document.querySelectorAll('img')];
            return imgs.length >= 2 && imgs.every((i) => i.complete);
          },
          undefined,
          { timeout: 15_000 },
        );
        const widths = await sheet
          .locator('img')
          .evaluateAll((imgs) => imgs.map((i) => i.naturalWidth));
        assert.ok(
          widths.every((w) => w > 0),
          `a picture on the contact sheet did not load: ${widths}`,
        );
        const text = await sheet.locator('body').innerText();
        assert.ok(text.includes(PROMPT), 'the contact sheet does not show the prompts');
        await sheet.screenshot({
          path: screenshotPath('export-contact-sheet.png'),
          fullPage: true,
        });
        assert.deepEqual(reached, [], `the contact sheet reached the network: ${reached}`);
      } finally {
        await offline.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await bar.getByRole('button', { name: 'Clear' }).click();
    await bar.waitFor({ state: 'detached' });

    // The profile lists it, to download again until its link expires.
    await page.goto(`${server.baseURL}/profile`);
    const data = page.getByRole('region', { name: 'Your data' });
    await data
      .getByRole('list', { name: 'Your recent ZIPs' })
      .getByText('ZIP of 2 images')
      .waitFor();
    assert.equal(
      await data.getByRole('link', { name: 'Download' }).first().getAttribute('href'),
      made.url,
    );
    await expectAccessible('Profile (your data)');
    await page.goto(`${server.baseURL}/gallery`);
  });

  test('the detail view deep-links, shows every setting, traps focus and closes on Esc', async () => {
    await page.goto(`${server.baseURL}/gallery/${ids.favourite}`);
    const dialog = page.getByRole('dialog', { name: 'Image details' });
    await dialog.waitFor();
    await imagesLoaded('[role="dialog"] img', 1);
    assert.equal(await dialog.getByTestId('detail-prompt').innerText(), PROMPT);
    for (const label of ['Model', 'Size', 'Steps', 'Seed', 'Created']) {
      await dialog.getByText(label, { exact: true }).waitFor();
    }
    await snap('gallery-detail.png', false);
    await expectAccessible('Image detail');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    assert.ok(
      await page.evaluate(() =>
        document.querySelector('[role="dialog"]').contains(document.activeElement),
      ),
    );
    await page.keyboard.press('Escape');
    await waitForPath('/gallery');
    await dialog.waitFor({ state: 'detached' });
  });

  test('"use these settings" refills the Generate form', async () => {
    await page.getByTestId('gallery-item').first().click();
    await page.getByRole('link', { name: 'Use these settings' }).click();
    await waitForPath('/generate');
    assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), PROMPT);
    assert.match(await page.getByLabel('Seed', { exact: true }).inputValue(), /^\d+$/);
  });

  test('a favourite goes to the trash only after a yes', async () => {
    await page.goto(`${server.baseURL}/gallery`);
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    // Delete on a focused tile moves it to the trash; a favourite asks first.
    await tileLink(ids.favourite).focus();
    await page.keyboard.press('Delete');
    const question = page.getByRole('alertdialog', { name: 'Move a favourite to the trash?' });
    await question.getByText('This image is a favourite. Move it to the trash anyway?').waitFor();
    await expectAccessible('Gallery (favourite question)');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    await galleryHas(2);
    assert.deepEqual(await listed(''), [ids.favourite, ids.other].sort());
    assert.deepEqual(await listed('?trashed=true'), []);
  });

  test('moving an image to the trash is undone from the toast', async () => {
    await page.goto(`${server.baseURL}/gallery/${ids.other}`);
    const dialog = page.getByRole('dialog', { name: 'Image details' });
    await dialog.getByRole('button', { name: 'Move to trash' }).click();
    await waitForPath('/gallery');
    await galleryHas(1);
    const toast = notifications().getByTestId('toast').filter({ hasText: 'Moved to the trash.' });
    await toast.waitFor();
    assert.deepEqual(await listed('?trashed=true'), [ids.other]);
    // The pointer on the toast holds it while the page is checked.
    await toast.hover();
    await expectAccessible('Gallery (undo toast)');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await galleryHas(2);
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    assert.deepEqual(await listed(''), [ids.favourite, ids.other].sort());
    assert.deepEqual(await listed('?trashed=true'), []);
  });

  test('the trash lists it, fits a phone, and Restore puts it back in the gallery', async () => {
    await tileOf(ids.other).hover();
    await tileOf(ids.other).getByRole('button', { name: 'Move to trash' }).click();
    await galleryHas(1);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Trash' })
      .click();
    await waitForPath('/trash');
    const trash = page.getByRole('list', { name: 'Images in the trash' });
    await imagesLoaded('[data-trash-item] img', 1);
    assert.equal(await trash.getByRole('listitem').count(), 1);
    await trash.getByText(PROMPT, { exact: true }).waitFor();
    await trash.getByText(/^Deleted for good in (29|30) days$/).waitFor();
    await snap('trash.png');
    await expectAccessible('Trash');

    // On a 375 px phone: reached through the menu, and nothing sticks out.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${server.baseURL}/gallery`);
    await page.getByRole('button', { name: 'Open menu' }).click();
    await page
      .getByRole('navigation', { name: 'Mobile' })
      .getByRole('link', { name: 'Trash' })
      .click();
    await waitForPath('/trash');
    await imagesLoaded('[data-trash-item] img', 1);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `the trash is ${overflow}px wider than the viewport`);
    await snap('trash-mobile.png');
    await expectAccessible('Trash (mobile)');
    await page.setViewportSize({ width: 1280, height: 900 });

    await trash.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('Trash is empty').waitFor();
    await notifications().getByText('Restored to the gallery.').waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Gallery' })
      .click();
    await waitForPath('/gallery');
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    assert.deepEqual(await listed(''), [ids.favourite, ids.other].sort());
  });

  test('emptying the trash deletes what it holds for good, after a yes', async () => {
    await tileLink(ids.other).focus();
    await page.keyboard.press('Delete');
    await galleryHas(1);
    await notifications().getByText('Moved to the trash.').waitFor();

    // The profile counts the trash, and leads to it.
    await page.goto(`${server.baseURL}/profile`);
    await page.getByRole('link', { name: /^In trash: 1 image · \d/ }).click();
    await waitForPath('/trash');
    await imagesLoaded('[data-trash-item] img', 1);
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const question = page.getByRole('alertdialog', { name: 'Empty the trash?' });
    await question
      .getByText('The 1 image in the trash will be deleted for good. This can’t be undone.')
      .waitFor();
    await expectAccessible('Trash (empty it?)');
    await question.getByRole('button', { name: 'Empty trash' }).click();
    await notifications().getByText('Deleted 1 image.').waitFor();
    await question.waitFor({ state: 'detached' });
    await page.getByText('Trash is empty').waitFor();
    const days = await page.evaluate(
      async () => (await (await fetch('/api/config')).json()).limits.trash_retention_days,
    );
    await page.getByText(`Deleted images stay here for ${days} days.`).waitFor();
    await expectAccessible('Trash (empty)');

    assert.deepEqual(await listed('?trashed=true'), []);
    assert.deepEqual(await listed(''), [ids.favourite]);
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/images/${id}`)).status,
      ids.other,
    );
    assert.equal(status, 404);
    const usage = await page.evaluate(async () => (await (await fetch('/api/me')).json()).usage);
    assert.equal(usage.trash_images, 0);
    assert.equal(usage.trash_bytes, 0);
  });

  test('profile shows usage against the quota', async () => {
    await page.goto(`${server.baseURL}/profile`);
    await page.getByRole('progressbar', { name: 'Monthly quota used' }).waitFor();
    await page.getByText(alice).first().waitFor();
    await snap('profile.png');
    await expectAccessible('Profile');
  });

  test('an error thrown in the page is reported once, with no email in it', async () => {
    const reports = [];
    const record = (request) => {
      if (request.url().endsWith('/api/client-errors')) reports.push(request.postDataJSON());
    };
    page.on('request', record);
    const accepted = page.waitForResponse((answer) => answer.url().endsWith('/api/client-errors'));
    // The same fault twice, as a render loop or a retried handler would throw it.
    await page.evaluate((email) => {
      for (let i = 0; i < 2; i++) {
        setTimeout(() => {
          throw new Error(`journey check: could not load ${email}`);
        }, 0);
      }
    }, alice);
    assert.equal((await accepted).status(), 202);
    await page.waitForTimeout(500);
    page.off('request', record);
    assert.equal(reports.length, 1, JSON.stringify(reports));
    const [report] = reports;
    assert.equal(report.route, '/profile');
    assert.match(report.message, /journey check: could not load \[email\]/);
    assert.ok(!JSON.stringify(report).includes(alice), JSON.stringify(report));
  });

  test('the Admin page shows an operator the figures, that error included', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Admin' }).click();
    await waitForPath('/admin');
    await page.getByRole('heading', { name: 'Last 30 days' }).waitFor();
    const clientErrors = page.locator('dt', { hasText: 'Client errors' }).locator('xpath=..');
    assert.equal(await clientErrors.locator('dd').innerText(), '1');
    await page
      .getByRole('img', { name: /generation/i })
      .first()
      .waitFor();
    await snap('admin.png');
    await expectAccessible('Admin');
  });

  test('signing out protects the gallery again', async () => {
    await signOut();
    await page.goto(`${server.baseURL}/gallery`);
    await waitForPath('/sign-in');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/gallery');
  });

  test("a second user cannot see the first user's images", async () => {
    await signUp(bob);
    await page.goto(`${server.baseURL}/gallery`);
    await page.getByText('Your gallery is empty').waitFor();
    await expectAccessible('Gallery (empty)');
    await page.goto(`${server.baseURL}/gallery/${ids.favourite}`);
    await page.getByText('This image doesn’t exist').waitFor();
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/images/${id}`)).status,
      ids.favourite,
    );
    assert.equal(status, 404);
    await page.keyboard.press('Escape');
    await signOut();
  });

  test('signing in returns the person to where they were going', async () => {
    await page.goto(`${server.baseURL}/gallery`);
    await waitForPath('/sign-in');
    await page.getByLabel('Email', { exact: true }).fill(alice);
    await page.getByLabel('Password', { exact: true }).fill('wrong password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForPath('/gallery');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="gallery-item"]').length === 1,
    );
  });

  test('dark mode follows the system and stays accessible', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.baseURL}/generate`);
    await page.getByLabel('Prompt', { exact: true }).fill('aurora over a frozen lake');
    await page
      .getByRole('button', { name: /^Generate/ })
      .first()
      .click();
    await newestRunLoaded(1);
    await snap('generate-dark.png');
    await expectAccessible('Generate (dark)');
    await page.goto(`${server.baseURL}/gallery`);
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    await snap('gallery-dark.png');
    await expectAccessible('Gallery (dark)');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('unknown routes get a friendly page', async () => {
    await page.goto(`${server.baseURL}/no/such/page`);
    await page.getByText('This page wandered off the canvas').waitFor();
    await expectAccessible('Not found');
  });

  test('the layout works at 375 px with a mobile menu', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(server.baseURL);
    await page.getByRole('button', { name: 'Open menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Mobile' });
    await nav.getByRole('link', { name: 'Gallery' }).click();
    await waitForPath('/gallery');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    await snap('gallery-mobile.png');
    await page.goto(server.baseURL);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await snap('home-mobile.png');
    await expectAccessible('Home (mobile)');
  });

  test('two runs in flight both land, even after a visit to the gallery meanwhile', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.baseURL}/generate`);
    const prompts = ['a paper boat on a pond', 'a paper kite over a beach'];
    await page.getByRole('radio', { name: '2 images' }).check({ force: true });
    const generate = page.getByRole('button', { name: 'Generate 2 images' });
    await page.getByLabel('Prompt', { exact: true }).fill(prompts[0]);
    await generate.click();
    // Generate stays usable while the first run is in flight.
    await page.getByLabel('Prompt', { exact: true }).fill(prompts[1]);
    await generate.click();
    await runCard(prompts[1]).waitFor();

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Gallery' }).click();
    await waitForPath('/gallery');
    await nav.getByRole('link', { name: 'Generate' }).click();
    await waitForPath('/generate');
    for (const prompt of prompts) {
      const card = runCard(prompt);
      await card.waitFor();
      await page.waitForFunction(
        (el) => {
          const imgs = [...el.querySelectorAll('[data-testid="result-image"] img')];
          return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
        },
        await card.elementHandle(),
        { timeout: 30_000 },
      );
    }
    await expectAccessible('Generate (several runs)');
  });

  test('the image detail steps through the gallery, and closing keeps the scroll position', async () => {
    // A small window, so the gallery scrolls.
    await page.setViewportSize({ width: 700, height: 500 });
    await page.goto(`${server.baseURL}/gallery`);
    await imagesLoaded('[data-testid="gallery-item"] img', 6);
    const ids = (
      await page
        .getByTestId('gallery-item')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    ).map((h) => h.split('/').pop());
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.getByTestId('gallery-item').nth(2).click();
    const dialog = page.getByRole('dialog', { name: 'Image details' });
    await dialog.waitFor();
    const y = await scrollY();
    assert.ok(y > 100, `the gallery should be scrolled down (scrollY ${y})`);
    /** The detail shows image `id` (its URL and its picture). */
    const showing = async (id) => {
      await waitForPath(`/gallery/${id}`);
      await page.waitForFunction(
        (id) => document.querySelector('[role="dialog"] img')?.getAttribute('src')?.includes(id),
        id,
      );
    };
    await showing(ids[2]);

    await page.keyboard.press('ArrowRight');
    await showing(ids[3]);
    await dialog.getByRole('button', { name: 'Next image' }).click();
    await showing(ids[4]);
    await imagesLoaded('[role="dialog"] img', 1);
    await dialog.getByRole('button', { name: 'Previous image' }).click();
    await showing(ids[3]);
    await page.keyboard.press('ArrowLeft');
    await showing(ids[2]);
    await expectAccessible('Image detail (stepping)');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await waitForPath('/gallery');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await scrollY(), y);

    // Back does not reopen the image: it stays on the gallery, where it was.
    await page.goBack();
    await waitForPath('/gallery');
    await page.waitForTimeout(300);
    assert.equal(await dialog.count(), 0);
    assert.equal(await scrollY(), y);

    // A visit elsewhere and back returns to the same place in the gallery.
    // The sticky header's link: clicking it does not scroll the page first.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Generate' })
      .click();
    await waitForPath('/generate');
    await page.goBack();
    await waitForPath('/gallery');
    await page.waitForFunction((y) => window.scrollY === y, y, { timeout: 5000 });
  });

  const trip = { id: '', images: [] };
  /** The tile links of the grid in order, as image ids. */
  const gridIds = async () =>
    (
      await page
        .getByTestId('gallery-item')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')))
    ).map((h) => h.split('?')[0].split('/').pop());
  const collectionTile = (id) =>
    page.locator(`a[data-testid="gallery-item"][href="/collections/${trip.id}/${id}"]`);

  /** Nothing wider than a 375 px phone, and axe is happy. */
  async function fitsAPhone(name) {
    await page.setViewportSize({ width: 375, height: 812 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `${name} is ${overflow}px wider than a 375 px phone`);
    await expectAccessible(`${name} (375 px)`);
  }

  test('three selected images go into a new collection, made from the picker', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.baseURL}/gallery`);
    await imagesLoaded('[data-testid="gallery-item"] img', 6);
    trip.images = (await gridIds()).slice(0, 3);
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    await tileOf(trip.images[0]).hover();
    await tileOf(trip.images[0]).getByRole('checkbox').click();
    await tileOf(trip.images[2])
      .getByRole('checkbox')
      .click({ modifiers: ['Shift'] });
    await bar.getByText('3 selected').waitFor();

    await bar.getByRole('button', { name: 'Add to collection' }).click();
    const picker = page.getByRole('dialog', { name: 'Add 3 images to a collection' });
    await picker.getByText('No collections yet. Type a name to make one.').waitFor();
    await expectAccessible('Add to collection picker');
    await picker.getByLabel('Find a collection, or name a new one').fill('Paper things');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    const toast = notifications()
      .getByTestId('toast')
      .filter({ hasText: 'Added 3 images to Paper things.' });
    await toast.waitFor();

    const collections = await page.evaluate(async () => (await fetch('/api/collections')).json());
    assert.equal(collections.items.length, 1);
    assert.equal(collections.items[0].name, 'Paper things');
    assert.equal(collections.items[0].image_count, 3);
    trip.id = collections.items[0].id;
    const held = await page.evaluate(
      async (id) => (await (await fetch(`/api/images?collection=${id}`)).json()).items,
      trip.id,
    );
    assert.deepEqual(held.map((i) => i.id).sort(), [...trip.images].sort());

    // The image detail names the collection, as a link to it.
    await page.keyboard.press('Escape');
    await page.goto(`${server.baseURL}/gallery/${trip.images[1]}`);
    const detail = page.getByRole('dialog', { name: 'Image details' });
    await detail
      .getByRole('list', { name: 'Collections holding this image' })
      .getByRole('link', { name: 'Paper things' })
      .waitFor();
    await page.keyboard.press('Escape');
    await waitForPath('/gallery');
  });

  test('the Collections page shows it with its cover and count, and opens it', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Collections' })
      .click();
    await waitForPath('/collections');
    const card = page.getByTestId('collection-card');
    await imagesLoaded('[data-testid="collection-card"] img', 1);
    assert.equal(await card.count(), 1);
    await card.getByText('Paper things').waitFor();
    await card.getByText('3 images').waitFor();
    await snap('collections.png');
    await expectAccessible('Collections');
    await fitsAPhone('Collections');
    await snap('collections-mobile.png');
    await page.setViewportSize({ width: 1280, height: 900 });

    await card.click();
    await waitForPath(`/collections/${trip.id}`);
    await page.getByRole('heading', { level: 1, name: 'Paper things' }).waitFor();
    await imagesLoaded('[data-testid="gallery-item"] img', 3);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collection-count"]')?.textContent === '3 images',
    );
    assert.deepEqual((await gridIds()).sort(), [...trip.images].sort());
    await snap('collection.png');
    await expectAccessible('Collection');
    await fitsAPhone('Collection');
    await snap('collection-mobile.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('two images of the collection are compared side by side', async () => {
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    const [first, second] = await gridIds();
    await collectionTile(first).focus();
    await page.keyboard.press('x');
    // The arrow keys move along the grid; X selects there too.
    await page.keyboard.press('ArrowRight');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('href')),
      `/collections/${trip.id}/${second}`,
    );
    await page.keyboard.press('x');
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Compare' }).click();
    await waitForPath('/compare');
    assert.equal(new URL(page.url()).searchParams.get('ids'), `${first},${second}`);
    await imagesLoaded('[data-testid="compare-figure"] img', 2);
    // One height for both.
    const heights = await page
      .locator('[data-testid="compare-figure"] img')
      .evaluateAll((imgs) => imgs.map((i) => Math.round(i.getBoundingClientRect().height)));
    assert.ok(Math.abs(heights[0] - heights[1]) <= 1, `heights differ: ${heights}`);
    const table = page.getByRole('table', { name: 'Settings of the compared images' });
    await table.getByRole('rowheader', { name: /^Seed/ }).getByText('Differs').waitFor();
    await snap('compare.png');
    await expectAccessible('Compare');

    await fitsAPhone('Compare');
    assert.equal(await page.getByTestId('compare-figure').count(), 1);
    await page.getByText('Image 1 of 2').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.getByText('Image 2 of 2').waitFor();
    await snap('compare-mobile.png');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goBack();
    await waitForPath(`/collections/${trip.id}`);
  });

  test('in the collection, an image goes to the trash, comes back with Undo, and goes again', async () => {
    await imagesLoaded('[data-testid="gallery-item"] img', 3);
    const [gone] = await gridIds();
    trip.trashed = gone;
    await collectionTile(gone).focus();
    await page.keyboard.press('Delete');
    const toast = notifications().getByTestId('toast').filter({ hasText: 'Moved to the trash.' });
    await toast.waitFor();
    await galleryHas(2);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collection-count"]')?.textContent === '2 images',
    );
    await toast.getByRole('button', { name: 'Undo' }).click();
    await galleryHas(3);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collection-count"]')?.textContent === '3 images',
    );

    await collectionTile(gone).focus();
    await page.keyboard.press('Delete');
    await galleryHas(2);
    // And one more, from the selection bar: it will be deleted for good when the trash is emptied.
    const [, last] = await gridIds();
    trip.deleted = last;
    const bar = page.getByRole('toolbar', { name: 'Selected images' });
    await collectionTile(last).focus();
    await page.keyboard.press('x');
    await bar.getByRole('button', { name: 'Move to trash' }).click();
    await galleryHas(1);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collection-count"]')?.textContent === '1 image',
    );
    assert.deepEqual(await listed('?trashed=true'), [trip.trashed, trip.deleted].sort());
  });

  test('restored from the Trash page, it is back in the collection; emptying the trash counts', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Trash' })
      .click();
    await waitForPath('/trash');
    await imagesLoaded('[data-trash-item] img', 2);
    await page
      .locator(`[data-trash-item="${trip.trashed}"]`)
      .getByRole('button', { name: 'Restore' })
      .click();
    await notifications().getByText('Restored to the gallery.').waitFor();
    await page.getByRole('button', { name: 'Empty trash' }).click();
    const question = page.getByRole('alertdialog', { name: 'Empty the trash?' });
    await question.getByRole('button', { name: 'Empty trash' }).click();
    await notifications().getByText('Deleted 1 image.').waitFor();
    await page.getByText('Trash is empty').waitFor();

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Collections' })
      .click();
    await page.getByTestId('collection-card').getByText('2 images').waitFor();
    await page.getByTestId('collection-card').click();
    await imagesLoaded('[data-testid="gallery-item"] img', 2);
    // The header may show the count it had cached until its refetch answers.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="collection-count"]')?.textContent === '2 images',
    );
    const stays = trip.images.filter((id) => id !== trip.deleted).sort();
    assert.deepEqual((await gridIds()).sort(), stays);
    const status = await page.evaluate(
      async (id) => (await fetch(`/api/images/${id}`)).status,
      trip.deleted,
    );
    assert.equal(status, 404);
  });

  test('an unknown collection gets a proper not-found page', async () => {
    await page.goto(`${server.baseURL}/collections/01NOSUCHCOLLECTION000000000`);
    await page.getByText('This collection doesn’t exist').waitFor();
    await expectAccessible('Collection (not found)');
  });

  test('an API key made on the profile works from a script until it is revoked', async () => {
    await page.goto(`${server.baseURL}/profile`);
    const keys = page.getByRole('region', { name: 'API keys' });
    await keys.getByLabel('Name', { exact: true }).fill('journey script');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const panel = keys.getByRole('region', { name: 'Your new key “journey script”' });
    const secret = await panel.getByLabel('Secret key').inputValue();
    assert.match(secret, /^pcp_/);
    await expectAccessible('Profile (new API key)');
    await snap('profile-api-key.png');

    // From outside the browser: no session cookie, only the key.
    const asScript = () =>
      fetch(`${server.baseURL}/api/images`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal((await asScript()).status, 200);

    await panel.getByRole('button', { name: 'Done' }).click();
    await panel.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(secret), 'the secret is still on the page');

    await keys.getByRole('button', { name: 'Revoke journey script' }).click();
    await page
      .getByRole('alertdialog', { name: 'Revoke “journey script”?' })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await keys
      .getByRole('button', { name: 'Revoke journey script' })
      .waitFor({ state: 'detached' });
    assert.equal((await asScript()).status, 401);
  });

  test('an image shared with its prompt has a public page with a preview, until sharing stops', async () => {
    const image = (await page.evaluate(async () => (await fetch('/api/images?limit=1')).json()))
      .items[0];
    await page.goto(`${server.baseURL}/gallery/${image.id}`);
    await page
      .getByRole('dialog', { name: 'Image details' })
      .getByRole('button', { name: 'Share' })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Share this image' });
    const showPrompt = dialog.getByRole('switch', { name: 'Show the prompt' });
    await showPrompt.click();
    assert.equal(await showPrompt.getAttribute('aria-checked'), 'true');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const field = dialog.getByLabel('Link', { exact: true });
    await field.waitFor();
    const link = await field.inputValue();
    assert.ok(link.startsWith(`${server.baseURL}/s/`), link);
    const open = dialog.getByRole('link', { name: /^Open/ });
    assert.equal(await open.getAttribute('href'), link);
    assert.equal(await open.getAttribute('target'), '_blank');
    assert.equal(await open.getAttribute('rel'), 'noopener noreferrer');
    await expectAccessible('Share dialog');
    await snap('share-dialog.png', false);
    // The grid beneath marks the image as shared.
    await tileLink(image.id).getByText('Shared', { exact: true }).waitFor();

    // Someone else, signed out: a browser context of their own, with no cookies.
    const visitor = await chrome.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const other = await visitor.newPage();
      const response = await other.goto(link);
      assert.equal(response.status(), 200);
      const meta = (property) =>
        other.locator(`meta[property="${property}"]`).getAttribute('content');
      const preview = await meta('og:image');
      assert.match(preview, /^https?:\/\/[^/]+\//, `og:image is not absolute: ${preview}`);
      const fetched = await fetch(preview, { redirect: 'follow' });
      assert.equal(fetched.status, 200, `og:image answered ${fetched.status}`);
      assert.match(fetched.headers.get('content-type') ?? '', /^image\//);
      assert.ok((await fetched.arrayBuffer()).byteLength > 0);
      await other.waitForFunction(
        () => {
          const img = document.querySelector('main img');
          return img !== null && img.complete && img.naturalWidth > 0;
        },
        undefined,
        { timeout: 15_000 },
      );
      assert.equal(await meta('og:description'), image.prompt);
      await other.screenshot({ path: screenshotPath('shared-page.png') });
    } finally {
      await visitor.close();
    }

    // The profile lists it, to copy, open or stop.
    await page.goto(`${server.baseURL}/profile`);
    const shared = page.getByRole('region', { name: 'Shared links' });
    await shared.getByText(link, { exact: true }).waitFor();
    await expectAccessible('Profile (shared links)');
    await snap('profile-shared-links.png');

    await page.goto(`${server.baseURL}/gallery/${image.id}`);
    await page
      .getByRole('dialog', { name: 'Image details' })
      .getByRole('button', { name: 'Share' })
      .click();
    assert.equal(await field.inputValue(), link);
    await dialog.getByRole('button', { name: 'Stop sharing' }).click();
    await page
      .getByRole('alertdialog', { name: 'Stop sharing this image?' })
      .getByRole('button', { name: 'Stop sharing' })
      .click();
    await dialog.getByRole('button', { name: 'Create link' }).waitFor();
    assert.equal((await fetch(link)).status, 404);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');
    await waitForPath('/gallery');
    await tileLink(image.id).getByText('Shared', { exact: true }).waitFor({ state: 'detached' });
  });

  test('live mode drafts while typing; a kept draft enters the gallery with its time and cost, and the meter moves', async () => {
    await page.goto(`${server.baseURL}/generate`);
    const meter = page.getByRole('banner').getByTestId('usage-meter');
    const imagesThisMonth = async () =>
      Number((await meter.innerText()).split('/')[0].replace(/\D/g, ''));
    const before = await imagesThisMonth();
    const live = page.getByRole('switch', { name: 'Live' });
    await live.click();
    assert.equal(await live.getAttribute('aria-checked'), 'true');
    await page.getByLabel('Prompt', { exact: true }).fill('');
    await page
      .getByLabel('Prompt', { exact: true })
      .pressSequentially('a red fox in the snow', { delay: 60 });
    await page.waitForFunction(() => {
      const imgs = [...document.querySelectorAll('[data-testid="draft"] img')];
      return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
    });
    const drafts = await page.getByTestId('draft').count();
    assert.ok(drafts >= 1 && drafts <= 12, `${drafts} drafts`);
    assert.match(
      await page.getByTestId('draft').first().getByTestId('time-and-cost').innerText(),
      /free/,
    );
    await expectAccessible('Generate, live');
    await snap('generate-live.png');

    await page
      .getByRole('button', { name: /^Keep draft/ })
      .first()
      .click();
    await notifications().getByText('Draft kept in your gallery').waitFor();
    await page.waitForFunction(
      async (before) =>
        (await (await fetch('/api/me')).json()).usage.generations_this_month === before + 1,
      before,
    );
    await page.waitForFunction((before) => {
      const text = document.querySelector('header [data-testid="usage-meter"]')?.textContent ?? '';
      return Number(text.split('/')[0].replace(/\D/g, '')) === before + 1;
    }, before);
    await live.click();
    assert.equal(await live.getAttribute('aria-checked'), 'false');

    const newest = (await page.evaluate(async () => (await fetch('/api/images?limit=1')).json()))
      .items[0];
    assert.equal(newest.prompt.startsWith('a red fox'), true, newest.prompt);
    assert.equal(newest.cost_usd, 0);
    assert.equal(typeof newest.timings.total_ms, 'number');
    await page.goto(`${server.baseURL}/gallery/${newest.id}`);
    await page.getByRole('dialog').getByTestId('time-and-cost').waitFor();
    assert.match(await page.getByRole('dialog').getByTestId('time-and-cost').innerText(), /free/);
    await page.keyboard.press('Escape');
  });
});
