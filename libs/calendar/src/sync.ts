import { CalendarError } from './errors';
import type { CalendarConnectionContext, CalendarProvider, ListEventsOptions, SyncResult, SyncWindow } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The sync window every provider uses: 1 day back, 28 days ahead (Recall/Attendee's window). */
export function defaultSyncWindow(now: Date = new Date(), daysBack = 1, daysAhead = 28): SyncWindow {
  return { timeMin: new Date(now.getTime() - daysBack * DAY_MS), timeMax: new Date(now.getTime() + daysAhead * DAY_MS) };
}

/**
 * Incremental sync with the stored cursor; when the provider refuses it (Google 410
 * fullSyncRequired, Graph 410/syncStateNotFound) runs a full window sync instead and flags
 * `resetLocalState` so the caller replaces what it stored for the window.
 */
export async function syncCalendar(
  provider: CalendarProvider,
  ctx: CalendarConnectionContext,
  options: ListEventsOptions = {},
): Promise<SyncResult> {
  if (!options.cursor) return { ...(await provider.listEvents(ctx, { ...options, cursor: null })), resetLocalState: true };
  try {
    return await provider.listEvents(ctx, options);
  } catch (err) {
    if (!(err instanceof CalendarError) || err.code !== 'sync_cursor_invalid') throw err;
    const full = await provider.listEvents(ctx, { ...options, cursor: null });
    return { ...full, resetLocalState: true };
  }
}
