'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Download, Trash2 } from 'lucide-react';
import { api, ApiError, authFetch, clearSession, expectSessionEnd, gql } from '@/lib/api';
import { useDraft, useMe } from '@/lib/hooks';
import { SET_SHARE, type Me, type Membership } from '@/lib/queries';
import { AppShell } from '@/components/app-shell';
import { BotAndNotificationsCard, ConsentNoticeCard } from '@/components/settings/preferences-forms';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';

function AccountCard() {
  const me = useMe();
  const qc = useQueryClient();
  const [name, setName, resetName] = useDraft(me.data ? (me.data.displayName ?? '') : undefined, '');
  const [keep, setKeep, resetKeep] = useDraft(me.data ? me.data.retentionDays === null : undefined, false);
  const [days, setDays, resetDays] = useDraft(me.data ? String(me.data.retentionDays ?? 90) : undefined, '90');
  const save = useMutation({
    mutationFn: () => api('/api/v1/me', { method: 'PATCH', body: { displayName: name.trim(), retentionDays: keep ? 'keep' : Number(days) } }),
    // Follow the server again once it has the saved values.
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['me'] });
      resetName();
      resetKeep();
      resetDays();
    },
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Account and retention</CardTitle>
        <CardDescription>{me.data?.email}</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4 sm:max-w-md"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <div className="grid gap-2">
            <Label htmlFor="display-name">Display name (how you appear in meetings, used to find you among speakers)</Label>
            <Input id="display-name" maxLength={120} value={name} disabled={!me.data} onChange={(e) => setName(e.target.value)} />
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">Keep my meetings</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="retention" checked={!keep} onChange={() => setKeep(false)} /> for
              <Input aria-label="Days to keep meetings" type="number" min={1} max={3650} className="w-24" value={days} disabled={keep} onChange={(e) => setDays(e.target.value)} /> days, then delete them
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="retention" checked={keep} onChange={() => setKeep(true)} /> until I delete them
            </label>
          </fieldset>
          <div className="flex items-center gap-3">
            <Button type="submit" disabled={save.isPending}>Save</Button>
            {save.isSuccess && <span role="status" className="text-sm text-success">Saved</span>}
            {save.error && <span role="alert" className="text-sm text-destructive">{save.error instanceof ApiError ? save.error.message : 'Could not save'}</span>}
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

function SharingCard() {
  const me = useMe();
  const qc = useQueryClient();
  const share = useMutation({
    mutationFn: async (v: { teamId: string; share: boolean }) => (await gql<{ setShareIndividualMetrics: Membership }>(SET_SHARE, { input: v })).setShareIndividualMetrics,
    onSuccess: (m) => qc.setQueryData<Me>(['me'], (old) => (old ? { ...old, teams: old.teams.map((t) => (t.teamId === m.teamId ? m : t)) } : old)),
  });
  const teams = me.data?.teams ?? [];
  if (!teams.length) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sharing with team leads</CardTitle>
        <CardDescription>Leads see team aggregates only. Turn this on to let a team’s leads also see your own scores and metrics (never transcripts or recordings).</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {teams.map((t) => (
          <label key={t.teamId} className="flex items-center justify-between gap-4 text-sm">
            <span>
              <span className="font-medium">{t.teamName}</span> <span className="text-muted-foreground">({t.role})</span>
            </span>
            <Switch checked={t.shareIndividualMetrics} onCheckedChange={(v) => share.mutate({ teamId: t.teamId, share: v })} aria-label={`Share my figures with ${t.teamName} leads`} />
          </label>
        ))}
      </CardContent>
    </Card>
  );
}

function DataCard() {
  const me = useMe();
  const router = useRouter();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState('');
  const [exporting, setExporting] = useState(false);
  const remove = useMutation({
    mutationFn: async () => {
      const undo = expectSessionEnd();
      try {
        await api('/api/v1/me', { method: 'DELETE' });
      } catch (err) {
        undo();
        throw err;
      }
    },
    onSuccess: () => {
      clearSession();
      qc.clear();
      router.replace('/signin?deleted=1');
    },
  });
  const exportData = async () => {
    setExporting(true);
    try {
      const res = await authFetch('/api/v1/me/export');
      const blob = await res.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `rapport-export-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      URL.revokeObjectURL(a.href);
    } finally {
      setExporting(false);
    }
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your data</CardTitle>
        <CardDescription>Download everything we hold about you, or delete it all.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-wrap gap-3">
        <Button variant="outline" onClick={() => void exportData()} disabled={exporting}>
          <Download aria-hidden /> {exporting ? 'Preparing…' : 'Export my data'}
        </Button>
        <Dialog onOpenChange={() => setConfirm('')}>
          <DialogTrigger asChild>
            <Button variant="destructive">
              <Trash2 aria-hidden /> Delete all my data
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Delete your account and all its data?</DialogTitle>
              <DialogDescription>
                Every meeting, recording, transcript, report and practice module is deleted, and your encryption key destroyed so backups cannot be read either. This cannot be undone.
              </DialogDescription>
            </DialogHeader>
            <div className="grid gap-2">
              <Label htmlFor="confirm-email">Type your email, {me.data?.email}, to confirm</Label>
              <Input id="confirm-email" autoComplete="off" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
            </div>
            {remove.error && <p role="alert" className="text-sm text-destructive">{remove.error instanceof ApiError ? remove.error.message : 'Could not delete'}</p>}
            <DialogFooter>
              <Button variant="destructive" disabled={!me.data || confirm.trim().toLowerCase() !== me.data.email || remove.isPending} onClick={() => remove.mutate()}>
                {remove.isPending ? 'Deleting…' : 'Delete everything'}
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      </CardContent>
    </Card>
  );
}

export default function SettingsPage() {
  return (
    <AppShell title="Settings">
      <div className="grid gap-6">
        <AccountCard />
        <BotAndNotificationsCard />
        <ConsentNoticeCard />
        <SharingCard />
        <Card className="p-5 text-sm">
          Calendars and coverage rules: <Link className="text-primary underline" href="/settings/calendars">Calendar settings</Link>
        </Card>
        <DataCard />
      </div>
    </AppShell>
  );
}
