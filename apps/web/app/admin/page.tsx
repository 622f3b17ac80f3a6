'use client';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '@/lib/api';
import { useMe } from '@/lib/hooks';
import { AppShell, EmptyState, ErrorState } from '@/components/app-shell';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

interface Team {
  id: string;
  name: string;
  createdAt: string;
}
interface Member {
  userId: string;
  email: string;
  displayName: string | null;
  role: 'lead' | 'member';
}

const errText = (e: unknown) => (e instanceof ApiError ? e.message : e ? 'Something went wrong' : null);

function TeamCard({ team }: { team: Team }) {
  const qc = useQueryClient();
  const members = useQuery({ queryKey: ['members', team.id], queryFn: () => api<Member[]>(`/api/v1/teams/${team.id}/members`) });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'member' | 'lead'>('member');
  const add = useMutation({
    mutationFn: () => api(`/api/v1/teams/${team.id}/members`, { method: 'POST', body: { email, role } }),
    onSuccess: () => {
      setEmail('');
      return qc.invalidateQueries({ queryKey: ['members', team.id] });
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api(`/api/v1/teams/${team.id}/members/${userId}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['members', team.id] }),
  });
  const setGlobalRole = useMutation({
    mutationFn: (v: { userId: string; role: string }) => api(`/api/v1/users/${v.userId}/role`, { method: 'PATCH', body: { role: v.role } }),
  });
  const del = useMutation({
    mutationFn: () => api(`/api/v1/teams/${team.id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['teams'] }),
  });
  return (
    <Card>
      <CardHeader>
        <div className="flex items-center justify-between gap-2">
          <CardTitle as="h3">{team.name}</CardTitle>
          <Button size="sm" variant="ghost" onClick={() => del.mutate()} disabled={del.isPending} aria-label={`Delete team ${team.name}`}>Delete team</Button>
        </div>
      </CardHeader>
      <CardContent className="grid gap-3">
        {members.isError ? (
          <ErrorState error={members.error} />
        ) : (
          <ul className="grid gap-1 text-sm">
            {(members.data ?? []).map((m) => (
              <li key={m.userId} className="flex items-center justify-between gap-2 border-b py-1.5 last:border-0">
                <span className="min-w-0 truncate">
                  {m.displayName ?? m.email} {m.displayName && <span className="text-muted-foreground">{m.email}</span>}{' '}
                  <Badge variant={m.role === 'lead' ? 'default' : 'secondary'}>{m.role}</Badge>
                </span>
                <span className="flex items-center gap-1">
                  <Label htmlFor={`global-${team.id}-${m.userId}`} className="sr-only">Global role of {m.email}</Label>
                  <select
                    id={`global-${team.id}-${m.userId}`}
                    className="h-8 rounded-md border bg-card px-1 text-xs"
                    defaultValue=""
                    onChange={(e) => e.target.value && setGlobalRole.mutate({ userId: m.userId, role: e.target.value })}
                  >
                    <option value="" disabled>Set global role…</option>
                    <option value="individual">individual</option>
                    <option value="team_lead">team_lead</option>
                    <option value="admin">admin</option>
                  </select>
                  <Button size="sm" variant="ghost" onClick={() => remove.mutate(m.userId)} aria-label={`Remove ${m.email} from ${team.name}`}>Remove</Button>
                </span>
              </li>
            ))}
            {members.data?.length === 0 && <li className="text-muted-foreground">No members yet.</li>}
          </ul>
        )}
        <form
          className="grid gap-2 sm:grid-cols-[1fr_8rem_auto] sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <div className="grid gap-1.5">
            <Label htmlFor={`add-${team.id}`}>Add by email</Label>
            <Input id={`add-${team.id}`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="person@example.com" />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={`role-${team.id}`}>Role</Label>
            <select id={`role-${team.id}`} className="h-9 rounded-md border bg-card px-2 text-sm" value={role} onChange={(e) => setRole(e.target.value as 'member' | 'lead')}>
              <option value="member">Member</option>
              <option value="lead">Lead</option>
            </select>
          </div>
          <Button type="submit" disabled={!email || add.isPending}>Add</Button>
        </form>
        {errText(add.error ?? remove.error ?? del.error ?? setGlobalRole.error) && <p role="alert" className="text-sm text-destructive">{errText(add.error ?? remove.error ?? del.error ?? setGlobalRole.error)}</p>}
        {setGlobalRole.isSuccess && <p role="status" className="text-sm text-success">Role updated</p>}
      </CardContent>
    </Card>
  );
}

export default function AdminPage() {
  const me = useMe();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: ['teams'], enabled: me.data?.role === 'admin', queryFn: () => api<Team[]>('/api/v1/teams') });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<Team>('/api/v1/teams', { method: 'POST', body: { name } }),
    onSuccess: () => {
      setName('');
      return qc.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const queues = useMutation({
    mutationFn: () => api('/api/v1/admin/queues/session', { method: 'POST' }),
    onSuccess: () => window.open('/admin/queues', '_blank', 'noopener'),
  });
  return (
    <AppShell
      title="Admin"
      actions={
        me.data?.role === 'admin' && (
          <Button variant="outline" size="sm" disabled={queues.isPending} onClick={() => queues.mutate()}>
            Queue dashboard
          </Button>
        )
      }
    >
      {me.data && me.data.role !== 'admin' ? (
        <EmptyState title="Admins only">Ask an admin if you need to manage teams.</EmptyState>
      ) : (
        <div className="grid gap-6">
          <p className="-mt-3 text-sm text-muted-foreground">Admins manage teams and roles (adding someone as a team lead also gives them the team_lead role). They cannot read anyone’s meetings, transcripts or recordings.</p>
          <Card>
            <CardHeader><CardTitle>New team</CardTitle></CardHeader>
            <CardContent>
              <form
                className="flex gap-2 sm:max-w-md"
                onSubmit={(e) => {
                  e.preventDefault();
                  create.mutate();
                }}
              >
                <Label htmlFor="team-name" className="sr-only">Team name</Label>
                <Input id="team-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Team name" />
                <Button type="submit" disabled={!name.trim() || create.isPending}>Create</Button>
              </form>
              {errText(create.error) && <p role="alert" className="mt-2 text-sm text-destructive">{errText(create.error)}</p>}
            </CardContent>
          </Card>
          {teams.isError ? <ErrorState error={teams.error} /> : (teams.data ?? []).map((t) => <TeamCard key={t.id} team={t} />)}
          {teams.data?.length === 0 && <EmptyState title="No teams yet" />}
        </div>
      )}
    </AppShell>
  );
}
