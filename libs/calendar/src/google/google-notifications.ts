import { secretsEqual } from '../secrets';
import type { WatchChannel } from '../types';

export type HeaderRecord = Record<string, string | string[] | undefined>;

/** What the webhook controller should do with one Google push notification. */
export type GoogleNotificationVerdict =
  /** Something changed: 200 now, enqueue a (debounced) incremental sync; store `messageNumber`. */
  | { action: 'sync'; status: 200; channelId: string; messageNumber: number; state: 'exists' | 'not_exists' }
  /** Genuine or harmless but nothing to do (handshake, duplicate, unknown or expired channel): 200. */
  | { action: 'ignore'; status: 200; reason: 'sync_handshake' | 'duplicate_or_stale' | 'unknown_channel' | 'channel_expired'; channelId: string | null; messageNumber: number | null }
  /** Forged or malformed: answer with `status`, change nothing. */
  | { action: 'reject'; status: 400 | 403; reason: 'missing_headers' | 'resource_mismatch' | 'token_mismatch' | 'unknown_state' };

export interface KnownGoogleChannel {
  channel: WatchChannel;
  /** Highest X-Goog-Message-Number accepted so far for this channel. */
  lastMessageNumber: number | null;
}

function get(headers: HeaderRecord, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key ? headers[key] : undefined;
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * Verifies a Google Calendar push notification (a bodiless POST with X-Goog-* headers):
 * channel known, resource id matches, X-Goog-Channel-Token equals the channel's secret
 * (constant time), `sync` handshakes ignored, message numbers not above the last one dropped.
 */
export function verifyGoogleNotification(
  headers: HeaderRecord,
  lookup: (channelId: string) => KnownGoogleChannel | null,
  now: Date = new Date(),
): GoogleNotificationVerdict {
  const channelId = get(headers, 'x-goog-channel-id');
  const resourceId = get(headers, 'x-goog-resource-id');
  const state = get(headers, 'x-goog-resource-state');
  const numberHeader = get(headers, 'x-goog-message-number');
  const messageNumber = numberHeader !== null && /^\d+$/.test(numberHeader) ? Number(numberHeader) : null;
  if (!channelId || !resourceId || !state || messageNumber === null) {
    return { action: 'reject', status: 400, reason: 'missing_headers' };
  }
  const known = lookup(channelId);
  // Unknown channels (stopped ones keep sending for a while) get a 200 so Google stops retrying.
  if (!known) return { action: 'ignore', status: 200, reason: 'unknown_channel', channelId, messageNumber };
  if (known.channel.resourceId !== resourceId) return { action: 'reject', status: 403, reason: 'resource_mismatch' };
  if (!secretsEqual(get(headers, 'x-goog-channel-token'), known.channel.secret)) {
    return { action: 'reject', status: 403, reason: 'token_mismatch' };
  }
  if (known.channel.expiresAt.getTime() <= now.getTime()) {
    return { action: 'ignore', status: 200, reason: 'channel_expired', channelId, messageNumber };
  }
  if (known.lastMessageNumber !== null && messageNumber <= known.lastMessageNumber) {
    return { action: 'ignore', status: 200, reason: 'duplicate_or_stale', channelId, messageNumber };
  }
  if (state === 'sync') return { action: 'ignore', status: 200, reason: 'sync_handshake', channelId, messageNumber };
  if (state === 'exists' || state === 'not_exists') return { action: 'sync', status: 200, channelId, messageNumber, state };
  return { action: 'reject', status: 400, reason: 'unknown_state' };
}
