'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { BarChart3, CalendarClock, Dumbbell, LogOut, Settings, Shield, Users, Compass } from 'lucide-react';
import { isSignedIn, signOut } from '@/lib/api';
import { isLead, useMe } from '@/lib/hooks';
import { cn } from '@/lib/utils';
import { Button } from './ui/button';
import { Skeleton } from './ui/skeleton';

interface NavItem {
  href: string;
  label: string;
  icon: typeof BarChart3;
  show?: (me: ReturnType<typeof useMe>['data']) => boolean;
}

const NAV: NavItem[] = [
  { href: '/meetings', label: 'Meetings', icon: CalendarClock },
  { href: '/trends', label: 'Trends', icon: BarChart3 },
  { href: '/practice', label: 'Practice', icon: Dumbbell },
  { href: '/team', label: 'Team', icon: Users, show: (me) => isLead(me) },
  { href: '/onboarding', label: 'Set-up', icon: Compass },
  { href: '/settings', label: 'Settings', icon: Settings },
  { href: '/admin', label: 'Admin', icon: Shield, show: (me) => me?.role === 'admin' },
];

/** Signed-in layout: navigation, sign-out, and a redirect to sign-in without a session. */
export function AppShell({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const qc = useQueryClient();
  const [ready, setReady] = useState(false);
  const me = useMe();

  useEffect(() => {
    if (!isSignedIn()) {
      router.replace(`/signin?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
      return;
    }
    setReady(true);
  }, [router]);

  useEffect(() => {
    document.title = `${title} · Rapport`;
  }, [title]);

  const out = async () => {
    await signOut();
    qc.clear();
    router.replace('/signin?signedout=1');
  };

  if (!ready) return null;
  return (
    <div className="min-h-screen md:grid md:grid-cols-[14rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b bg-card md:min-h-screen md:border-b-0 md:border-r">
        <div className="flex items-center justify-between gap-2 px-4 py-3 md:flex-col md:items-stretch md:gap-6 md:py-6">
          <Link href="/meetings" className="text-lg font-bold tracking-tight text-primary">
            Rapport
          </Link>
          <nav aria-label="Main" className="flex gap-1 overflow-x-auto md:flex-col">
            {NAV.filter((n) => !n.show || n.show(me.data)).map((n) => {
              const active = pathname === n.href || (n.href === '/meetings' && pathname === '/meeting');
              return (
                <Link
                  key={n.href}
                  href={n.href}
                  aria-current={active ? 'page' : undefined}
                  className={cn(
                    'flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium text-muted-foreground hover:bg-accent hover:text-accent-foreground',
                    active && 'bg-accent text-accent-foreground',
                  )}
                >
                  <n.icon className="h-4 w-4" aria-hidden />
                  <span className="hidden sm:inline">{n.label}</span>
                  <span className="sr-only sm:hidden">{n.label}</span>
                </Link>
              );
            })}
          </nav>
          <div className="hidden text-xs text-muted-foreground md:block">
            {me.data ? <p className="truncate" title={me.data.email}>{me.data.email}</p> : <Skeleton className="h-4 w-32" />}
          </div>
          <Button variant="ghost" size="sm" onClick={() => void out()} className="md:justify-start">
            <LogOut aria-hidden /> <span className="hidden sm:inline">Sign out</span>
            <span className="sr-only sm:hidden">Sign out</span>
          </Button>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 md:px-8">
        <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {actions}
        </div>
        {children}
      </main>
    </div>
  );
}

export function ErrorState({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return (
    <div role="alert" className="rounded-lg border border-destructive/40 bg-destructive/5 px-4 py-3 text-sm text-destructive">
      {message}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed bg-card px-6 py-10 text-center">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-muted-foreground">{children}</div>}
    </div>
  );
}
