'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, isSignedIn, publicApi, saveSession } from '@/lib/api';
import { useQueryParam } from '@/lib/hooks';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';

/** The refresh token is not in the body: the API set it as an HttpOnly cookie. */
interface AccessToken {
  accessToken: string;
  expiresIn: number;
}

export function AuthForm({ mode }: { mode: 'signin' | 'signup' }) {
  const router = useRouter();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = useQueryParam('expired');
  const signedOut = useQueryParam('signedout');
  const next = useQueryParam('next');

  useEffect(() => {
    if (isSignedIn() && mode === 'signin' && expired !== '1') router.replace('/meetings');
  }, [router, mode, expired]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signup') await publicApi('/api/v1/auth/register', { email, password });
      saveSession(await publicApi<AccessToken>('/api/v1/auth/login', { email, password }));
      const target = next && next.startsWith('/') && !next.startsWith('//') ? next : mode === 'signup' ? '/onboarding' : '/meetings';
      router.replace(target);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server; try again');
      setBusy(false);
    }
  };

  const title = mode === 'signin' ? 'Sign in' : 'Create your account';
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <p className="text-lg font-bold text-primary">Rapport</p>
          <CardTitle as="h2">
            <span role="heading" aria-level={1}>{title}</span>
          </CardTitle>
          <CardDescription>{mode === 'signin' ? 'Your meetings, reports and practice.' : 'Honest, evidence-backed feedback on how you communicate.'}</CardDescription>
        </CardHeader>
        <CardContent>
          <form className="grid gap-4" onSubmit={(e) => void submit(e)} noValidate>
            {expired === '1' && <Alert>Your session expired. Sign in again to continue.</Alert>}
            {signedOut === '1' && <Alert>You are signed out.</Alert>}
            {error && <Alert variant="destructive">{error}</Alert>}
            <div className="grid gap-2">
              <Label htmlFor="email">Email</Label>
              <Input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor="password">Password</Label>
              <Input
                id="password"
                type="password"
                autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
                required
                minLength={mode === 'signup' ? 10 : undefined}
                aria-describedby={mode === 'signup' ? 'password-hint' : undefined}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              {mode === 'signup' && (
                <p id="password-hint" className="text-xs text-muted-foreground">
                  At least 10 characters.
                </p>
              )}
            </div>
            <Button type="submit" disabled={busy}>
              {busy ? 'Please wait…' : mode === 'signin' ? 'Sign in' : 'Sign up'}
            </Button>
            <p className="text-center text-sm text-muted-foreground">
              {mode === 'signin' ? (
                <>
                  New here? <Link className="font-medium text-primary underline-offset-4 hover:underline" href="/signup">Create an account</Link>
                </>
              ) : (
                <>
                  Have an account? <Link className="font-medium text-primary underline-offset-4 hover:underline" href="/signin">Sign in</Link>
                </>
              )}
            </p>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}
