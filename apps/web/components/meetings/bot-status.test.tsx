import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { BotStatus } from './bot-status';

const renderBot = (status: string, explanation: string) =>
  render(
    <QueryClientProvider client={new QueryClient()}>
      <BotStatus bot={{ id: 'b1', status, subCode: null, explanation, updatedAt: '2026-11-25T10:00:00Z' }} />
    </QueryClientProvider>,
  );

describe('BotStatus', () => {
  test('an ended bot shows its label and the plain-words reason, and opens no live stream', () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    renderBot('fatal', 'The host denied entry.');
    const badge = screen.getByTestId('bot-status');
    expect(badge.textContent).toBe('Could not join');
    expect(badge.getAttribute('data-status')).toBe('fatal');
    expect(screen.getByText('The host denied entry.')).toBeTruthy();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test('a finished bot reads Done', () => {
    vi.stubGlobal('fetch', vi.fn());
    renderBot('done', 'Finished; the report follows.');
    expect(screen.getByTestId('bot-status').textContent).toBe('Done');
  });
});
