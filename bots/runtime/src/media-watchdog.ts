/**
 * Media liveness, kept apart from silence detection (field notes C.5, Attendee #1003): a quiet
 * meeting still grows the recording and keeps the page answering; a dead browser does not.
 */
export interface WatchdogSample {
  now: number;
  /** Bytes of audio written so far (null before recording starts). */
  bytesWritten: number | null;
  /** Did the page answer a trivial evaluate within its timeout? */
  pageResponsive: boolean;
  browserAlive: boolean;
}

export interface WatchdogConfig {
  /** Recording must grow at least once in this window. */
  stallMs: number;
  /** Consecutive unanswered page checks before the page counts as hung. */
  maxUnresponsive: number;
}

export const DEFAULT_WATCHDOG: WatchdogConfig = { stallMs: 15000, maxUnresponsive: 3 };

export type WatchdogVerdict = { ok: true } | { ok: false; reason: 'browser_exited' | 'page_unresponsive' | 'recording_stalled' };

export class MediaWatchdog {
  private lastBytes: number | null = null;
  private lastGrowthAt: number | null = null;
  private unresponsive = 0;

  constructor(private readonly config: WatchdogConfig = DEFAULT_WATCHDOG) {}

  check(s: WatchdogSample): WatchdogVerdict {
    if (!s.browserAlive) return { ok: false, reason: 'browser_exited' };
    this.unresponsive = s.pageResponsive ? 0 : this.unresponsive + 1;
    if (this.unresponsive >= this.config.maxUnresponsive) return { ok: false, reason: 'page_unresponsive' };
    if (s.bytesWritten !== null) {
      if (this.lastBytes === null || s.bytesWritten > this.lastBytes) {
        this.lastBytes = s.bytesWritten;
        this.lastGrowthAt = s.now;
      } else if (this.lastGrowthAt !== null && s.now - this.lastGrowthAt >= this.config.stallMs) {
        return { ok: false, reason: 'recording_stalled' };
      }
    }
    return { ok: true };
  }
}
