import type { ElementHandle, Page } from 'puppeteer-core';

/**
 * One way to find an element: a CSS selector, optionally narrowed by text. Platforms change
 * their DOM often, so every element the bots use is a list of alternatives tried in order
 * (field notes B: arrays of alternatives + text matchers, pinned by fixture tests).
 */
export interface SelectorAlternative {
  css: string;
  /**
   * When set, the element's aria-label, its text or its `value`/`placeholder` must contain one of
   * these, case-insensitively, with apostrophe and quote look-alikes folded ({@link UI_TEXT_FOLDS}).
   */
  text?: readonly string[];
  /** Match the text exactly (after trimming) instead of as a substring. */
  exact?: boolean;
}
export type Selector = readonly SelectorAlternative[];

/**
 * Characters platforms (and translators) use where an apostrophe is meant: ’ ‘ ‛ ‚ ′ ʼ ʻ ´ ` ＇.
 * Meet writes "You’ve been removed" in one build and "You've been removed" in another, so every
 * text matcher folds them to "'". Same for typographic double quotes. Kept as strings: page
 * functions are serialised by Puppeteer and get them as arguments.
 */
export const UI_TEXT_FOLDS = {
  apostrophes: '\u2018\u2019\u201a\u201b\u2032\u02bc\u02bb\u00b4\u0060\uff07',
  quotes: '\u201c\u201d\u201e\u201f\u2033\uff02',
} as const;
export type UiTextFolds = typeof UI_TEXT_FOLDS;

const APOSTROPHES = new RegExp(`[${UI_TEXT_FOLDS.apostrophes}]`, 'g');
const QUOTES = new RegExp(`[${UI_TEXT_FOLDS.quotes}]`, 'g');

/**
 * Normalises text the same way in Node, in the page and in fixture tests (page functions repeat
 * these four steps: they cannot import).
 */
export function normalizeUiText(text: string): string {
  return text
    .replace(APOSTROPHES, "'")
    .replace(QUOTES, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function textMatches(candidate: string, alternative: SelectorAlternative): boolean {
  if (!alternative.text) return true;
  const got = normalizeUiText(candidate);
  return alternative.text.some((t) => {
    const want = normalizeUiText(t);
    return alternative.exact ? got === want : got.includes(want);
  });
}

/**
 * Runs inside the page: returns the first visible element matching one of the alternatives.
 * Kept self-contained because Puppeteer serialises it into the page.
 */
function pageFindFirst(alternatives: Selector, requireVisible: boolean, folds: UiTextFolds): Element | null {
  const apostrophes = new RegExp(`[${folds.apostrophes}]`, 'g');
  const quotes = new RegExp(`[${folds.quotes}]`, 'g');
  const norm = (t: string) => t.replace(apostrophes, "'").replace(quotes, '"').replace(/\s+/g, ' ').trim().toLowerCase();
  const visible = (el: Element) => {
    const r = (el as HTMLElement).getBoundingClientRect?.();
    const style = window.getComputedStyle(el);
    return !!r && r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  for (const alt of alternatives) {
    let nodes: Element[];
    try {
      nodes = Array.from(document.querySelectorAll(alt.css));
    } catch {
      continue;
    }
    for (const el of nodes) {
      if (requireVisible && !visible(el)) continue;
      if (!alt.text) return el;
      const candidates = [
        el.getAttribute('aria-label') ?? '',
        (el as HTMLElement).innerText ?? el.textContent ?? '',
        el.getAttribute('placeholder') ?? '',
      ];
      const ok = alt.text.some((t) => {
        const want = norm(t);
        return candidates.some((c) => (alt.exact ? norm(c) === want : norm(c).includes(want)));
      });
      if (ok) return el;
    }
  }
  return null;
}

export async function findFirst(page: Page, selector: Selector, requireVisible = true): Promise<ElementHandle<Element> | null> {
  const handle = await page.evaluateHandle(pageFindFirst, selector, requireVisible, UI_TEXT_FOLDS);
  const el = handle.asElement() as ElementHandle<Element> | null;
  if (!el) await handle.dispose();
  return el;
}

export async function exists(page: Page, selector: Selector, requireVisible = true): Promise<boolean> {
  const el = await findFirst(page, selector, requireVisible);
  if (el) await el.dispose();
  return el !== null;
}

/** Clicks the first match; false when nothing matched. */
export async function clickFirst(page: Page, selector: Selector): Promise<boolean> {
  const el = await findFirst(page, selector);
  if (!el) return false;
  try {
    await el.click();
    return true;
  } finally {
    await el.dispose();
  }
}

/**
 * The first of `texts` shown on the page outside the `excludeCss` containers (chat, captions:
 * participants can type anything there), or null.
 */
export async function findPageText(page: Page, texts: readonly string[], excludeCss: readonly string[] = []): Promise<string | null> {
  return page.evaluate(
    (wanted: readonly string[], exclude: readonly string[], folds: UiTextFolds) => {
      const apostrophes = new RegExp(`[${folds.apostrophes}]`, 'g');
      const quotes = new RegExp(`[${folds.quotes}]`, 'g');
      const norm = (t: string) => t.replace(apostrophes, "'").replace(quotes, '"').replace(/\s+/g, ' ').trim().toLowerCase();
      const excluded = exclude.length ? exclude.join(',') : null;
      const parts: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const parent = n.parentElement;
        if (!parent) continue;
        if (excluded && parent.closest(excluded)) continue;
        if (parent.closest('script,style,noscript,[hidden],[aria-hidden="true"]')) continue;
        parts.push(n.textContent ?? '');
      }
      const haystack = norm(parts.join(' '));
      for (const t of wanted) if (haystack.includes(norm(t))) return t;
      return null;
    },
    texts,
    excludeCss,
    UI_TEXT_FOLDS,
  );
}
