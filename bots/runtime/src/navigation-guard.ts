import type { HTTPRequest, Page } from 'puppeteer-core';
import { isNavigationAllowed, type PlatformOriginMap } from './platform-origins';

/**
 * Refuses every main-frame navigation (redirects included: each hop is a new intercepted
 * request) outside the platform's hosts and their mapped origins. Sub-resources are let through
 * untouched; only documents decide where the bot is.
 */
export async function installNavigationGuard(
  page: Page,
  platformHosts: readonly string[],
  origins: PlatformOriginMap,
  onBlocked: (url: string) => void,
): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (req: HTTPRequest) => {
    if (req.isInterceptResolutionHandled()) return;
    const mainFrameNavigation = req.isNavigationRequest() && req.frame() === page.mainFrame();
    if (mainFrameNavigation && !isNavigationAllowed(req.url(), platformHosts, origins)) {
      onBlocked(req.url());
      void req.abort('blockedbyclient').catch(() => undefined);
      return;
    }
    void req.continue().catch(() => undefined);
  });
}
