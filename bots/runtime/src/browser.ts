import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * Chromium flags: light (no GPU, no background networking or component updates, audio only)
 * and none that platforms flag (field notes B.1: no --disable-web-security, no
 * --ignore-certificate-errors, no enable-automation switch). The UI language is pinned to en-US
 * so the text matchers hold.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-gpu',
  '--autoplay-policy=no-user-gesture-required',
  '--lang=en-US',
  '--accept-lang=en-US',
  // Audio-only and lighter. None of these is visible to a web page: they only decide how many
  // helper processes Chromium runs (no zygotes, GPU/network/audio services inside the browser
  // process, no spare renderer, no preloaded omnibox WebUI renderers: new headless is the full
  // browser and would keep ~50 MB renderers for UI it never shows) and what it keeps in caches.
  // Chromium honours only the last --disable-features, so there is exactly one.
  '--no-zygote',
  '--in-process-gpu',
  '--disable-software-rasterizer',
  '--disable-dev-shm-usage',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--enable-features=NetworkServiceInProcess2,NetworkServiceInProcess',
  '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,CalculateNativeWinOcclusion,HardwareMediaKeyHandling,GlobalMediaControls,DialMediaRouteProvider,SpareRendererForSitePerProcess,IsolateOrigins,site-per-process,AudioServiceOutOfProcess,BackForwardCache,WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  '--renderer-process-limit=1',
  // Renderer inside the browser process (as serverless Chromium builds run it): ~35 MB less per
  // bot. A renderer crash then takes the browser down, which the watchdog reports as
  // fatal/bot_errored — the same outcome as a crashed meeting page in multi-process mode.
  '--single-process',
  '--disable-site-isolation-trials',
  '--disk-cache-size=16777216',
  '--window-size=1280,720',
];

/** Puppeteer adds these by default; both must go (muted audio would record silence). */
export const IGNORED_DEFAULT_ARGS: readonly string[] = ['--enable-automation', '--mute-audio'];

export interface LaunchedBrowser {
  browser: Browser;
  page: Page;
  pid: number;
}

export async function launchBrowser(opts: { executablePath: string; env: Record<string, string>; userDataDir: string }): Promise<LaunchedBrowser> {
  const browser = await puppeteer.launch({
    executablePath: opts.executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ignoreDefaultArgs: [...IGNORED_DEFAULT_ARGS],
    env: { ...process.env, ...opts.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US' },
    userDataDir: opts.userDataDir,
    defaultViewport: { width: 1280, height: 720 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const pid = browser.process()?.pid;
  if (!pid) {
    await browser.close();
    throw new Error('Chromium started without a process id');
  }
  const pages = await browser.pages();
  const page = pages[0] ?? (await browser.newPage());
  // Headless Chromium says "HeadlessChrome" in its user agent; present the ordinary one.
  const ua = (await browser.userAgent()).replace('HeadlessChrome', 'Chrome');
  await page.setUserAgent({ userAgent: ua });
  // Functions we evaluate in the page are serialised from our sources; when those run through an
  // esbuild-based loader (tsx) they reference its `__name` helper, so give the page a no-op one.
  await page.evaluateOnNewDocument(
    "Object.defineProperty(globalThis, '__name', { value: (f) => f, enumerable: false, configurable: true, writable: true });",
  );
  await page.setExtraHTTPHeaders({ 'Accept-Language': 'en-US,en;q=0.9' });
  return { browser, page, pid };
}
