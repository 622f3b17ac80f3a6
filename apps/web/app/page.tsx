'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { isSignedIn } from '@/lib/api';

export default function Home() {
  const router = useRouter();
  useEffect(() => {
    router.replace(isSignedIn() ? '/meetings' : '/signin');
  }, [router]);
  return (
    <main id="main" className="p-8">
      <h1 className="sr-only">Rapport</h1>
      <p className="text-sm text-muted-foreground">Loading…</p>
    </main>
  );
}
