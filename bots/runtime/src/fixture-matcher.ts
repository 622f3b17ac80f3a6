import { selectAll } from 'css-select';
import { parseDocument } from 'htmlparser2';
import { textContent } from 'domutils';
import type { AnyNode, Element } from 'domhandler';
import { textMatches, normalizeUiText, type Selector } from './selectors';

/**
 * Matches selector alternatives against saved HTML (no browser), so each platform's selectors
 * can be pinned by unit tests against the fixtures the simulator saves. Visibility is not
 * modelled: fixtures hold only what the page shows in that state.
 */
export class HtmlFixture {
  private readonly doc;

  constructor(html: string) {
    this.doc = parseDocument(html);
  }

  /** Index of the first alternative that matches, or -1. */
  match(selector: Selector): number {
    for (let i = 0; i < selector.length; i++) {
      const alt = selector[i];
      let nodes: Element[];
      try {
        nodes = selectAll<AnyNode, Element>(alt.css, this.doc);
      } catch {
        continue;
      }
      for (const el of nodes) {
        if (!alt.text) return i;
        const candidates = [el.attribs['aria-label'] ?? '', textContent(el), el.attribs['placeholder'] ?? ''];
        if (candidates.some((c) => textMatches(c, alt))) return i;
      }
    }
    return -1;
  }

  matches(selector: Selector): boolean {
    return this.match(selector) >= 0;
  }

  /** All elements matched by one CSS selector. */
  all(css: string): Element[] {
    return selectAll<AnyNode, Element>(css, this.doc);
  }

  /** True when one of `texts` appears in the document text outside `excludeCss`. */
  hasText(texts: readonly string[], excludeCss: readonly string[] = []): string | null {
    const excluded = new Set<Element>(excludeCss.length ? this.all(excludeCss.join(',')) : []);
    const skip = new Set<Element>(this.all('script,style,noscript,[hidden],[aria-hidden="true"]'));
    const parts: string[] = [];
    const walk = (node: { children?: unknown[]; type?: string; data?: string; parent?: unknown }): void => {
      if ((node as Element).type === 'tag' || (node as Element).type === 'script' || (node as Element).type === 'style') {
        if (excluded.has(node as Element) || skip.has(node as Element)) return;
      }
      if (node.type === 'text' && typeof node.data === 'string') parts.push(node.data);
      for (const child of (node.children ?? []) as Array<typeof node>) walk(child);
    };
    walk(this.doc as never);
    const haystack = normalizeUiText(parts.join(' '));
    for (const t of texts) if (haystack.includes(normalizeUiText(t))) return t;
    return null;
  }
}
