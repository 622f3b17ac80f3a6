import type { PageEvent } from '@rapport/bot-runtime';
import type { OBSERVER_CSS } from './selectors';

type ObserverCss = typeof OBSERVER_CSS;

/**
 * Runs inside the Meet page (serialised by Puppeteer, so it must be self-contained): one
 * MutationObserver that reports participants joining/leaving, speaking start/stop from the
 * tiles' audio-level indicator, finished caption blocks and chat messages, through the function
 * the runtime exposed. Times are the page's Date.now() at the mutation.
 */
export function installMeetObserver(css: ObserverCss, emitName: string, botName: string, stopDebounceMs: number): boolean {
  const w = window as unknown as Record<string, unknown>;
  if (w.__rapportObserver) return false;
  const emit = w[emitName] as (e: PageEvent) => void;
  const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

  const present = new Map<string, number>(); // name -> tiles count
  const speaking = new Map<string, { on: boolean; zeroSince: number | null; timer: number | null }>();
  const seenMessages = new Set<string>();
  const captionBlocks = new Map<Element, { speaker: string; text: string; firstAt: number; timer: number | null; emitted: boolean }>();

  const tileName = (tile: Element) => norm(tile.querySelector(css.tileName)?.textContent);
  const isSelf = (tile: Element) => !!tile.querySelector(css.selfMarker) || tile.matches(css.selfMarker);

  function scanTiles(now: number): void {
    const names = new Map<string, Element>();
    document.querySelectorAll(css.tile).forEach((tile) => {
      if (isSelf(tile)) return;
      const name = tileName(tile);
      if (!name || name === botName) return;
      if (tile.parentElement?.closest(css.tile)) return;
      names.set(name, tile);
    });
    for (const name of names.keys()) {
      if (!present.has(name)) {
        present.set(name, 1);
        emit({ type: 'participant_joined', name, at: now });
      }
    }
    for (const name of [...present.keys()]) {
      if (!names.has(name)) {
        present.delete(name);
        const s = speaking.get(name);
        if (s?.on) {
          s.on = false;
          emit({ type: 'speaking_stopped', name, at: now });
        }
        emit({ type: 'participant_left', name, at: now });
      }
    }
    for (const [name, tile] of names) {
      const levelEl = tile.querySelector(css.audioLevel);
      const level = Number.parseFloat(levelEl?.getAttribute('data-audio-level') ?? '0') || 0;
      let s = speaking.get(name);
      if (!s) speaking.set(name, (s = { on: false, zeroSince: null, timer: null }));
      const state = s;
      if (level > 0) {
        state.zeroSince = null;
        if (state.timer !== null) {
          window.clearTimeout(state.timer);
          state.timer = null;
        }
        if (!state.on) {
          state.on = true;
          emit({ type: 'speaking_started', name, at: now });
        }
      } else if (state.on && state.zeroSince === null) {
        // Indicators flicker between words: a stop counts only if it lasts, and is dated when it began.
        state.zeroSince = now;
        state.timer = window.setTimeout(() => {
          state.timer = null;
          if (state.on && state.zeroSince !== null) {
            state.on = false;
            emit({ type: 'speaking_stopped', name, at: state.zeroSince });
            state.zeroSince = null;
          }
        }, stopDebounceMs);
      }
    }
  }

  function flushCaption(block: Element): void {
    const c = captionBlocks.get(block);
    if (!c || c.emitted || !c.text) return;
    c.emitted = true;
    if (c.timer !== null) window.clearTimeout(c.timer);
    emit({ type: 'caption', speaker: c.speaker, text: c.text, at: c.firstAt });
  }

  function scanCaptions(now: number): void {
    const region = document.querySelector(css.captionsRegion);
    const blocks = region ? Array.from(region.children) : [];
    for (const [block] of captionBlocks) if (!blocks.includes(block)) {
      flushCaption(block);
      captionBlocks.delete(block);
    }
    blocks.forEach((block, i) => {
      const speaker = norm(block.querySelector(css.captionSpeaker)?.textContent);
      const whole = norm((block as HTMLElement).innerText || block.textContent);
      const text = speaker && whole.startsWith(speaker) ? norm(whole.slice(speaker.length)) : whole;
      let c = captionBlocks.get(block);
      if (!c) {
        c = { speaker, text, firstAt: now, timer: null, emitted: false };
        captionBlocks.set(block, c);
      } else if (c.text !== text) {
        c.text = text;
      }
      const entry = c;
      if (i < blocks.length - 1) {
        flushCaption(block);
      } else if (!entry.emitted) {
        if (entry.timer !== null) window.clearTimeout(entry.timer);
        entry.timer = window.setTimeout(() => flushCaption(block), 2000);
      }
    });
  }

  function scanChat(): void {
    document.querySelectorAll(css.chatMessage).forEach((msg) => {
      const id = msg.getAttribute('data-message-id') ?? '';
      if (!id || seenMessages.has(id)) return;
      seenMessages.add(id);
      const holder = msg.closest(`[${css.chatSenderAttr}]`);
      const from = norm(holder?.getAttribute(css.chatSenderAttr));
      const text = norm(msg.querySelector(css.chatText)?.textContent ?? msg.textContent);
      emit({ type: 'chat', from, text, self: from === 'You' || from === botName, at: Date.now() });
    });
  }

  let scheduled = false;
  const scanAll = () => {
    scheduled = false;
    const now = Date.now();
    scanTiles(now);
    scanCaptions(now);
    scanChat();
  };
  const observer = new MutationObserver(() => {
    // Date the change now, scan once per task (mutations arrive in bursts).
    if (scheduled) return;
    scheduled = true;
    const now = Date.now();
    queueMicrotask(() => {
      scheduled = false;
      scanTiles(now);
      scanCaptions(now);
      scanChat();
    });
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-audio-level', 'data-participant-id', 'aria-label'] });
  w.__rapportObserver = observer;
  scanAll();
  return true;
}
