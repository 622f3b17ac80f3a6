'use client';
import { AppShell } from '@/components/app-shell';
import { CalendarConnections, CoverageRulesCard } from '@/components/calendar/calendar-setup';
import { UpcomingMeetings } from '@/components/calendar/upcoming';
import { Alert } from '@/components/ui/alert';
import { useQueryParam } from '@/lib/hooks';

/** Where the calendar OAuth callback lands (`?connected=google&id=…`). */
export default function CalendarSettingsPage() {
  const connected = useQueryParam('connected');
  return (
    <AppShell title="Calendars">
      <div className="grid gap-6">
        {connected && <Alert>Your {connected === 'google' ? 'Google' : 'Microsoft'} calendar is connected. Its meetings appear below once synced.</Alert>}
        <CalendarConnections />
        <CoverageRulesCard />
        <UpcomingMeetings />
      </div>
    </AppShell>
  );
}
