import type { AppConfig } from '@rapport/config';
import { type CalendarProvider, type CalendarProviderName, GoogleCalendarProvider, MicrosoftCalendarProvider } from '@rapport/calendar';

/**
 * The vendor adapters, configured from the validated config (base URLs point at the local
 * fakes in tests and benchmarks). Shared by the API (connect/callback, webhooks) and the
 * scheduler (sync, channels).
 */
export class CalendarProviders {
  private readonly google: GoogleCalendarProvider;
  private readonly microsoft: MicrosoftCalendarProvider;

  constructor(private readonly config: AppConfig) {
    const oauth = config.GOOGLE_OAUTH_BASE_URL.replace(/\/$/, '');
    this.google = new GoogleCalendarProvider({
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
      redirectUri: `${config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/calendars/google/callback`,
      apiRootUrl: config.GOOGLE_API_BASE_URL,
      ...(oauth ? { authUrl: `${oauth}/o/oauth2/v2/auth`, tokenUrl: `${oauth}/token`, revokeUrl: `${oauth}/revoke` } : {}),
    });
    this.microsoft = new MicrosoftCalendarProvider({
      clientId: config.MS_CLIENT_ID,
      clientSecret: config.MS_CLIENT_SECRET,
      redirectUri: `${config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/calendars/microsoft/callback`,
      tenant: config.MS_TENANT,
      authorityBaseUrl: config.LOGIN_BASE_URL,
      graphBaseUrl: config.GRAPH_BASE_URL,
    });
  }

  get(name: CalendarProviderName): CalendarProvider {
    return name === 'google' ? this.google : this.microsoft;
  }

  /** Where the vendor POSTs notifications for this provider (Graph lifecycle events go to the same URL). */
  webhookUrl(name: CalendarProviderName): string {
    const base = (this.config.WEBHOOK_BASE_URL || this.config.PUBLIC_URL).replace(/\/$/, '');
    return `${base}/api/v1/webhooks/${name === 'google' ? 'google-calendar' : 'microsoft-graph'}`;
  }
}
