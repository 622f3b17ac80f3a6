import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@rapport/common';

/**
 * Server-rendered parts of the Meet-shaped site. Texts, aria-labels and jsnames follow the real
 * Meet web client (field notes B.1); class names are random per page load, as Meet's obfuscated
 * ones churn, so bots cannot lean on them. The meeting page itself is rendered by the client
 * script (assets/meet.js) because, like Meet, it is one page whose DOM changes from pre-join to
 * lobby to call without navigating.
 */

function cls(): string {
  // Meet-like obfuscated names: 6 letters, mixed case, never stable.
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from(randomBytes(6), (b) => abc[b % abc.length]).join('');
}

const STYLE = `
  html,body{margin:0;height:100%;font-family:"Google Sans",Roboto,Arial,sans-serif;background:#202124;color:#e8eaed}
  button,[role=button]{cursor:pointer;font:inherit}
  .sim-center{display:flex;flex-direction:column;align-items:center;justify-content:center;min-height:100%;gap:16px;text-align:center}
  .sim-light{background:#fff;color:#202124}
`;

function page(title: string, body: string, light = false): string {
  return `<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>${title}</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>` +
    `<body class="${light ? 'sim-light' : ''}"><div id="yDmH0d" class="${cls()}">${body}</div></body></html>`;
}

export function homePage(): string {
  return page(
    'Google Meet',
    `<div class="sim-center ${cls()}"><h1 class="${cls()}">Video calls and meetings for everyone</h1>` +
      `<p class="${cls()}">Rapport meeting simulator. Create meetings with POST /_sim/meetings.</p></div>`,
  );
}

/** Meet's answer to an unknown or expired code. */
export function notFoundPage(): string {
  return page(
    'Meet',
    `<div class="sim-center ${cls()}"><div class="${cls()}" role="heading" aria-level="1">Check your meeting code</div>` +
      `<div class="${cls()}">Make sure you entered the correct meeting code in the URL, for example: ` +
      `https://meet.google.com/<span class="notranslate">xxx-yyyy-zzz</span></div>` +
      `<button class="${cls()}" jsname="lVYxmb"><span class="${cls()}">Return to home screen</span></button></div>`,
  );
}

/**
 * The Google Account sign-in wall. The real site redirects to accounts.google.com; the simulator
 * renders it in place so a bot that (rightly) refuses to leave the platform's hosts still sees it.
 */
export function signInPage(code: string): string {
  return page(
    'Sign in - Google Accounts',
    `<div class="sim-center ${cls()}"><div class="${cls()}">Google</div><h1 class="${cls()}" id="headingText"><span>Sign in</span></h1>` +
      `<div class="${cls()}" id="headingSubtext"><span>to continue to Google Meet</span></div>` +
      `<div class="${cls()}"><input type="email" id="identifierId" name="identifier" aria-label="Email or phone" autocomplete="username"></div>` +
      `<div class="${cls()}">Not your computer? Use a private browsing window to sign in. Use your Google Account.</div>` +
      `<button class="${cls()}" type="button"><span>Next</span></button>` +
      `<input type="hidden" name="continue" value="https://meet.google.com/${code}"></div>`,
    true,
  );
}

/** The meeting page shell; assets/meet.js renders pre-join, lobby, call and end screens into it. */
export function meetingShell(code: string): string {
  const boot = JSON.stringify({ code }).replace(/</g, '\\u003c');
  return page(
    `Meet - ${code}`,
    `<div id="sim-root" class="${cls()}"></div>` +
      `<script id="sim-boot" type="application/json">${boot}</script>` +
      `<script src="/_sim/static/meet.js"></script>`,
  );
}

let cachedScript: string | undefined;
/** The page's client script, shipped as a plain browser file (not compiled by tsc). */
export function clientScript(): string {
  cachedScript ??= readFileSync(join(repoRoot(), 'bots', 'simulator', 'assets', 'meet.js'), 'utf8');
  return cachedScript;
}
