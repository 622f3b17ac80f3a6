/** The calendar REST API (apps/api/src/calendars): connections, coverage rules, upcoming events. */
export interface CalendarConnection {
  id: string;
  provider: 'google' | 'microsoft';
  calendarId: string;
  status: 'connected' | 'disconnected';
  statusReason: string | null;
  lastSyncAt: string | null;
  lastSyncError: string | null;
  connectedAt: string;
}

export type CoverageMode = 'all_with_link' | 'organized_by_me' | 'with_external' | 'internal_only';

export interface CoverageRules {
  mode?: CoverageMode;
  internalDomains?: string[];
  skipTitlePatterns?: string[];
  seriesOverrides?: Record<string, boolean>;
}

export interface CalendarSettings {
  rules: CoverageRules | null;
  teamDefaults: { teamId: string; rules: CoverageRules } | null;
  effective: { mode: CoverageMode; internalDomains: string[]; skipTitlePatterns: string[]; seriesOverrides: Record<string, boolean> };
}

export interface CalendarEvent {
  id: string;
  provider: string;
  title: string;
  startsAt: string;
  endsAt: string;
  platform: string | null;
  meetingUrl: string | null;
  covered: boolean;
  coverageReason: string;
  override: 'on' | 'off' | null;
  botPlanned: boolean;
  botStatus: string | null;
}

export const MODES: Array<{ value: CoverageMode; label: string; hint: string }> = [
  { value: 'all_with_link', label: 'Every meeting with a link', hint: 'The bot joins all your calendar meetings that have a Meet, Zoom or Teams link.' },
  { value: 'organized_by_me', label: 'Meetings I organise', hint: 'Only meetings you created.' },
  { value: 'with_external', label: 'Meetings with outside guests', hint: 'Only meetings with someone outside your organisation (sales, customer calls).' },
  { value: 'internal_only', label: 'Internal meetings only', hint: 'Only meetings where everyone is from your organisation.' },
];

const REASONS: Record<string, string> = {
  has_meeting_link: 'Matches your coverage rules',
  declined: 'You declined this meeting',
  title_skipped: 'Its title matches one of your skip patterns',
  event_override_on: 'You turned the bot on for this meeting',
  event_override_off: 'You turned the bot off for this meeting',
  platform_not_supported: 'The bot cannot join this platform yet',
  no_meeting_link: 'No meeting link in the invitation',
  not_organizer: 'You did not organise it',
  no_external_attendees: 'No outside guests',
  has_external_attendees: 'It has outside guests',
};

export const explainCoverage = (reason: string): string => REASONS[reason] ?? reason.replace(/_/g, ' ');
