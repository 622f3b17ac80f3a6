import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

/**
 * Test-side browser helpers: a Chromium launched the way the bot launches it (autoplay without
 * a gesture, no other special flag) and small "drive it like a bot" helpers that use only the
 * real Meet selectors and texts — never the simulator's random class names.
 */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** `//button[.//span[text()="…"]]`, the join-button matcher bots use. */
export function buttonWithText(text: string): string {
  return `xpath///button[.//span[text()=${JSON.stringify(text)}]]`;
}

export async function waitForText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((t: string) => document.body?.innerText.includes(t) ?? false, { timeout, polling: 50 }, text);
}

export async function hasText(page: Page, text: string): Promise<boolean> {
  return page.evaluate((t: string) => document.body.innerText.includes(t), text);
}

export async function clickButtonWithText(page: Page, text: string, timeout = 10_000): Promise<void> {
  const el = await page.waitForSelector(buttonWithText(text), { visible: true, timeout });
  if (!el) throw new Error(`no button "${text}"`);
  await el.click();
}

export async function mustFind(page: Page, selector: string, timeout = 10_000): Promise<ElementHandle<Element>> {
  const el = await page.waitForSelector(selector, { timeout });
  if (!el) throw new Error(`no element ${selector}`);
  return el;
}

/** Pre-join the way a bot does: dismiss the device prompt if shown, name, mic/cam off, join. */
export async function askToJoin(page: Page, name: string, opts: { expectButton: 'Ask to join' | 'Join now' }): Promise<void> {
  await mustFind(page, 'input[type="text"][aria-label="Your name"]');
  const prompt = await page.$(buttonWithText('Continue without microphone and camera'));
  if (prompt) await prompt.click();
  for (const label of ['Turn off microphone', 'Turn off camera']) {
    const toggle = await page.$(`[aria-label="${label}"]`);
    if (toggle) await toggle.click();
  }
  await page.type('input[type="text"][aria-label="Your name"]', name);
  await clickButtonWithText(page, opts.expectButton);
}
