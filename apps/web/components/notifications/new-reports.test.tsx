import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { saveSession } from '@/lib/api';
import { NewReports } from './new-reports';

vi.mock('next/link', () => ({
  default: ({ href, children, onClick }: { href: string; children: React.ReactNode; onClick?: () => void }) => (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        onClick?.();
      }}
    >
      {children}
    </a>
  ),
}));

const items = [
  { id: 'n1', kind: 'analysis_ready', meetingId: 'm1', payload: { title: 'Budget sync', communicationScore: 72, practiceModules: 2 }, readAt: null, createdAt: '2026-11-25T10:00:00Z' },
  { id: 'n2', kind: 'analysis_ready', meetingId: 'm2', payload: { title: 'Old one', communicationScore: 60 }, readAt: '2026-11-24T10:00:00Z', createdAt: '2026-11-24T09:00:00Z' },
];

afterEach(() => vi.unstubAllGlobals());

describe('NewReports', () => {
  test('lists unread reports with title and score; opening one marks it read', async () => {
    saveSession({ accessToken: 'token', expiresIn: 900 });
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        calls.push(`${init.method ?? 'GET'} ${url}`);
        if (url === '/api/v1/notifications') return new Response(JSON.stringify({ items }), { status: 200, headers: { 'content-type': 'application/json' } });
        return new Response(null, { status: 204 });
      }),
    );
    render(
      <QueryClientProvider client={new QueryClient()}>
        <NewReports />
      </QueryClientProvider>,
    );
    const link = await screen.findByRole('link', { name: 'Your report for “Budget sync” is ready: 72/100' });
    expect(link.getAttribute('href')).toBe('/meeting?id=m1');
    expect(screen.queryByText(/Old one/)).toBeNull();
    expect(screen.getByText(/2 practice modules/)).toBeTruthy();
    fireEvent.click(link);
    await waitFor(() => expect(calls).toContain('POST /api/v1/notifications/n1/read'));
  });

  test('nothing unread: nothing shown', async () => {
    saveSession({ accessToken: 'token', expiresIn: 900 });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ items: [items[1]] }), { status: 200, headers: { 'content-type': 'application/json' } })));
    const { container } = render(
      <QueryClientProvider client={new QueryClient()}>
        <NewReports />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalled());
    expect(container.innerHTML).toBe('');
  });
});
