import { secretsEqual } from '../secrets';

export type GraphSubscriptionAction =
  /** A change: enqueue a (debounced) delta sync of that connection. */
  | 'sync'
  /** `reauthorizationRequired`: PATCH the subscription with a new expiry (also reauthorizes). */
  | 'reauthorize'
  /** `subscriptionRemoved`: create a new subscription, then resync with delta. */
  | 'recreate'
  /** `missed`: notifications were lost; resync with delta. */
  | 'resync';

export interface GraphNotificationAction {
  subscriptionId: string;
  action: GraphSubscriptionAction;
}

export type GraphNotificationOutcome =
  /** The subscription-validation handshake: answer 200 text/plain with the decoded token. */
  | { kind: 'validation'; status: 200; contentType: 'text/plain'; body: string }
  /** Genuine notifications, deduplicated per subscription and action: answer 202 at once, then act. */
  | { kind: 'notifications'; status: 202; actions: GraphNotificationAction[]; rejected: number; unknown: number }
  /** Nothing genuine in the request (forged clientState, malformed): answer `status`, change nothing. */
  | { kind: 'rejected'; status: 400 | 403; reason: 'malformed' | 'client_state_mismatch' };

export interface GraphNotificationRequest {
  /** Parsed query string (Express `req.query`). */
  query: Record<string, unknown>;
  /** Parsed JSON body. */
  body: unknown;
}

const LIFECYCLE: Record<string, GraphSubscriptionAction> = {
  reauthorizationRequired: 'reauthorize',
  subscriptionRemoved: 'recreate',
  missed: 'resync',
};

/**
 * Handles a POST to the Graph notification or lifecycle URL. `lookup` returns the clientState
 * stored for a subscription id (null when unknown). clientState is checked on EVERY item in
 * constant time; items for unknown subscriptions are counted and dropped.
 */
export function handleGraphNotification(
  request: GraphNotificationRequest,
  lookup: (subscriptionId: string) => { clientState: string } | null,
): GraphNotificationOutcome {
  const token = request.query.validationToken;
  if (typeof token === 'string' && token.length > 0) {
    // Express has already URL-decoded the query value, which is what Graph wants echoed.
    return { kind: 'validation', status: 200, contentType: 'text/plain', body: token };
  }
  const value = typeof request.body === 'object' && request.body !== null ? (request.body as { value?: unknown }).value : undefined;
  if (!Array.isArray(value) || value.length === 0) return { kind: 'rejected', status: 400, reason: 'malformed' };

  const actions: GraphNotificationAction[] = [];
  let rejected = 0;
  let unknown = 0;
  for (const raw of value) {
    const item = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const subscriptionId = typeof item.subscriptionId === 'string' ? item.subscriptionId : null;
    if (!subscriptionId) {
      rejected++;
      continue;
    }
    const known = lookup(subscriptionId);
    if (!known) {
      unknown++;
      continue;
    }
    if (!secretsEqual(typeof item.clientState === 'string' ? item.clientState : null, known.clientState)) {
      rejected++;
      continue;
    }
    const lifecycle = typeof item.lifecycleEvent === 'string' ? item.lifecycleEvent : null;
    const action: GraphSubscriptionAction | undefined = lifecycle ? LIFECYCLE[lifecycle] : 'sync';
    if (!action) continue; // a lifecycle event we do not know: acknowledged, nothing to do
    if (!actions.some((a) => a.subscriptionId === subscriptionId && a.action === action)) actions.push({ subscriptionId, action });
  }
  if (actions.length === 0 && rejected > 0) return { kind: 'rejected', status: 403, reason: 'client_state_mismatch' };
  return { kind: 'notifications', status: 202, actions, rejected, unknown };
}
