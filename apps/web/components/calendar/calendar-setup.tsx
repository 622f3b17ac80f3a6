'use client';
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '@/lib/api';
import { MODES, type CalendarConnection, type CalendarSettings, type CoverageMode } from '@/lib/calendar';
import { formatDate } from '@/lib/utils';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

const PROVIDERS = [
  { id: 'google', label: 'Google Calendar' },
  { id: 'microsoft', label: 'Microsoft Outlook' },
] as const;

/** Connect calendars; degrades to "not available" when the calendar API or OAuth client is missing. */
export function CalendarConnections() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['calendars'], queryFn: () => api<CalendarConnection[]>('/api/v1/calendars'), retry: false });
  const connect = useMutation({
    mutationFn: (provider: string) => api<{ authorizationUrl: string }>(`/api/v1/calendars/${provider}/connect`, { method: 'POST' }),
    onSuccess: (r) => window.location.assign(r.authorizationUrl),
  });
  const disconnect = useMutation({
    mutationFn: (id: string) => api(`/api/v1/calendars/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['calendars'] }),
  });
  const unavailable = list.error instanceof ApiError && list.error.status === 404;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Calendars</CardTitle>
        <CardDescription>Connect a calendar and the bot joins the meetings your coverage rules choose.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {unavailable ? (
          <p className="text-sm text-muted-foreground">Calendar connections are coming soon on this server.</p>
        ) : (
          <>
            <div className="flex flex-wrap gap-2">
              {PROVIDERS.map((p) => (
                <Button key={p.id} variant="outline" disabled={connect.isPending} onClick={() => connect.mutate(p.id)}>
                  Connect {p.label}
                </Button>
              ))}
            </div>
            {connect.error && (
              <Alert variant="destructive">{connect.error instanceof ApiError ? connect.error.message : 'Could not start the connection'}</Alert>
            )}
            {list.data && list.data.length > 0 && (
              <ul className="grid gap-2 text-sm">
                {list.data.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-2">
                    <span>
                      {c.provider === 'google' ? 'Google' : 'Microsoft'} · {c.calendarId}{' '}
                      <Badge variant={c.status === 'connected' ? 'success' : 'secondary'}>{c.status}</Badge>
                      {c.statusReason && <span className="ml-2 text-muted-foreground">({c.statusReason})</span>}
                      {c.lastSyncAt && <span className="ml-2 text-muted-foreground">synced {formatDate(c.lastSyncAt)}</span>}
                    </span>
                    {c.status === 'connected' && (
                      <Button size="sm" variant="ghost" onClick={() => disconnect.mutate(c.id)}>
                        Disconnect
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}

export function CoverageRulesCard() {
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['calendarSettings'], queryFn: () => api<CalendarSettings>('/api/v1/calendar-settings'), retry: false });
  const [mode, setMode] = useState<CoverageMode>('all_with_link');
  const [skip, setSkip] = useState('');
  useEffect(() => {
    if (settings.data) {
      setMode(settings.data.effective.mode);
      setSkip(settings.data.effective.skipTitlePatterns.join(', '));
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () =>
      api<CalendarSettings>('/api/v1/calendar-settings', {
        method: 'PUT',
        body: { mode, skipTitlePatterns: skip.split(',').map((s) => s.trim()).filter(Boolean) },
      }),
    onSuccess: (data) => qc.setQueryData(['calendarSettings'], data),
  });
  const unavailable = settings.error instanceof ApiError && settings.error.status === 404;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Coverage rules</CardTitle>
        <CardDescription>Which calendar meetings the bot joins. You can still turn it on or off for a single meeting.</CardDescription>
      </CardHeader>
      <CardContent>
        {unavailable ? (
          <p className="text-sm text-muted-foreground">Coverage rules apply once calendars are available on this server.</p>
        ) : (
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <fieldset className="grid gap-2">
              <legend className="mb-1 text-sm font-medium">Send the bot to</legend>
              {MODES.map((m) => (
                <label key={m.value} className="flex cursor-pointer gap-3 rounded-md border p-3 text-sm has-[:checked]:border-primary has-[:checked]:bg-accent">
                  <input type="radio" name="mode" value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} className="mt-0.5 accent-[var(--primary)]" />
                  <span>
                    <span className="font-medium">{m.label}</span>
                    <span className="block text-muted-foreground">{m.hint}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="grid gap-2">
              <Label htmlFor="skip">Skip meetings whose title matches (comma-separated patterns)</Label>
              <Input id="skip" value={skip} onChange={(e) => setSkip(e.target.value)} placeholder="1:1, ^focus, interview" />
            </div>
            <div className="flex items-center gap-3">
              <Button type="submit" disabled={save.isPending}>Save rules</Button>
              {save.isSuccess && <span role="status" className="text-sm text-success">Saved</span>}
              {save.error && <span role="alert" className="text-sm text-destructive">{save.error instanceof ApiError ? save.error.message : 'Could not save'}</span>}
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
