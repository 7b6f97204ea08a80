import {
  brokerSettings,
  consumerSettings,
  databaseSettings,
  loadConfig,
  portSetting,
  serviceSettings,
  serviceTokenSetting,
  type ConfigOf,
} from '@harness/kit';

/** Environment of the notification service (see the README for each variable). */
export const notificationConfigSchema = {
  type: 'object',
  properties: {
    ...serviceSettings('notification'),
    PORT: { ...portSetting, default: 3004 },
    ...serviceTokenSetting(),
    ...databaseSettings({ poolMax: 10, connectTimeoutMs: 5_000 }),
    ...brokerSettings,
    ...consumerSettings,
    // How often the outbox relay looks for NotificationSent events to publish when it found none.
    OUTBOX_POLL_INTERVAL_MS: { type: 'integer', default: 200, minimum: 10 },
  },
  required: ['SERVICE_TOKEN', 'DATABASE_URL', 'BROKER'],
} as const;

export type NotificationConfig = ConfigOf<typeof notificationConfigSchema>;

export function loadNotificationConfig(env: Readonly<Record<string, string | undefined>>): NotificationConfig {
  return loadConfig(notificationConfigSchema, env);
}
