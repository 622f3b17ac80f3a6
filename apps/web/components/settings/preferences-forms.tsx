'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, gql } from '@/lib/api';
import { useDraft, useMe } from '@/lib/hooks';
import { UPDATE_PREFERENCES, type Me, type Preferences } from '@/lib/queries';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input, Textarea } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';

const MAX_NOTICE = 500;

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (input: Record<string, unknown>) => (await gql<{ updatePreferences: Preferences }>(UPDATE_PREFERENCES, { input })).updatePreferences,
    onSuccess: (preferences) => qc.setQueryData<Me>(['me'], (me) => (me ? { ...me, preferences } : me)),
  });
}

function Saved({ m }: { m: ReturnType<typeof useSavePreferences> }) {
  if (m.isSuccess) return <span role="status" className="text-sm text-success">Saved</span>;
  if (m.error) return <span role="alert" className="text-sm text-destructive">{m.error instanceof ApiError ? m.error.message : 'Could not save'}</span>;
  return null;
}

/** The notice the bot posts in the meeting chat before recording: see it, edit it, or restore the default. */
export function ConsentNoticeCard() {
  const me = useMe();
  const save = useSavePreferences();
  const [text, setText, resetText] = useDraft(me.data?.preferences.consentNotice, '');
  const tooShort = text.trim().length < 20;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Consent notice</CardTitle>
        <CardDescription>The bot posts this in the meeting chat before it records. Anyone who types the opt-out phrase stops the recording, and it is deleted.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ consentNotice: text.trim() }, { onSuccess: resetText });
          }}
        >
          <Label htmlFor="consent-notice">Notice text</Label>
          <Textarea id="consent-notice" rows={4} maxLength={MAX_NOTICE} value={text} disabled={!me.data} onChange={(e) => setText(e.target.value)} aria-describedby="consent-count" aria-invalid={tooShort} />
          <p id="consent-count" className="text-xs text-muted-foreground">
            {text.length}/{MAX_NOTICE} characters{me.data?.preferences.consentNoticeIsDefault ? ' · the default notice' : ''}
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" disabled={save.isPending || tooShort}>Save notice</Button>
            <Button type="button" variant="ghost" disabled={save.isPending || me.data?.preferences.consentNoticeIsDefault} onClick={() => save.mutate({ consentNotice: null }, { onSuccess: resetText })}>
              Restore default
            </Button>
            <Saved m={save} />
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

export function BotAndNotificationsCard() {
  const me = useMe();
  const save = useSavePreferences();
  const [botName, setBotName, resetBotName] = useDraft(me.data?.preferences.botName, '');
  const p = me.data?.preferences;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Bot and notifications</CardTitle>
        <CardDescription>How the bot appears in meetings, and what we tell you about.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <form
          className="grid gap-2 sm:max-w-md"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ botName: botName.trim() }, { onSuccess: resetBotName });
          }}
        >
          <Label htmlFor="bot-name">Bot name</Label>
          <div className="flex gap-2">
            <Input id="bot-name" maxLength={60} value={botName} disabled={!me.data} onChange={(e) => setBotName(e.target.value)} />
            <Button type="submit" disabled={save.isPending || !botName.trim()}>Save</Button>
          </div>
        </form>
        <div className="grid gap-3">
          <label className="flex items-center justify-between gap-4 text-sm">
            <span>
              <span className="font-medium">Report ready</span>
              <span className="block text-muted-foreground">Email me when a meeting’s report is ready (it always shows here too).</span>
            </span>
            <Switch checked={!!p?.notifyReportReady} disabled={!p} onCheckedChange={(v) => save.mutate({ notifyReportReady: v })} aria-label="Email me when a report is ready" />
          </label>
          <label className="flex items-center justify-between gap-4 text-sm">
            <span>
              <span className="font-medium">Weekly digest</span>
              <span className="block text-muted-foreground">An email on Mondays: last week’s meetings, scores and practice.</span>
            </span>
            <Switch checked={!!p?.notifyWeeklyDigest} disabled={!p} onCheckedChange={(v) => save.mutate({ notifyWeeklyDigest: v })} aria-label="Email me a weekly digest" />
          </label>
          {p && !p.emailDelivery && (
            <p className="text-sm text-muted-foreground" data-testid="email-off">
              This server does not send email yet (its admin sets SMTP_URL); your choices apply once it does.
            </p>
          )}
        </div>
        <Saved m={save} />
      </CardContent>
    </Card>
  );
}
