'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AppShell } from '@/components/app-shell';
import { CalendarConnections, CoverageRulesCard } from '@/components/calendar/calendar-setup';
import { ConsentNoticeCard, useSavePreferences } from '@/components/settings/preferences-forms';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

export default function OnboardingPage() {
  const router = useRouter();
  const save = useSavePreferences();
  return (
    <AppShell title="Set-up">
      <div className="grid gap-6">
        <Card className="p-5 text-sm">
          <p className="font-medium">Three steps and the bot is ready</p>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-muted-foreground">
            <li>Connect your calendar (or invite the bot to a single meeting with its link).</li>
            <li>Choose which meetings it joins.</li>
            <li>Check the consent notice it posts before recording.</li>
          </ol>
        </Card>
        <CalendarConnections />
        <CoverageRulesCard />
        <ConsentNoticeCard />
        <div className="flex flex-wrap gap-3">
          <Button
            onClick={() => {
              save.mutate({ onboarded: true }, { onSuccess: () => router.push('/meetings') });
            }}
            disabled={save.isPending}
          >
            Done — go to my meetings
          </Button>
          <Button variant="ghost" asChild>
            <Link href="/meetings">Skip for now</Link>
          </Button>
        </div>
      </div>
    </AppShell>
  );
}
