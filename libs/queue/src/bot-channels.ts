/**
 * Redis pub/sub channels of the bot control plane. They are doorbells only: the `bots` row is
 * the truth, and every listener also finds the same work by polling (dispatch tick, heartbeat).
 */
export const botChannels = (redisPrefix: string) => ({
  /** A bot was created (payload: bot id); the scheduler dispatches it without waiting for its tick. */
  created: `${redisPrefix}:bots:created`,
  /** The owner asked a live bot to leave (payload: bot id); the runner holding it signals the child. */
  leave: `${redisPrefix}:bots:leave`,
});
