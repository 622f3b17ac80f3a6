'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api';

/** GET /api/v1/notifications: one per meeting and kind (`analysis_ready` after each analysis). */
export interface AppNotification {
  id: string;
  kind: string;
  meetingId: string | null;
  payload: { title?: string; communicationScore?: number; practiceModules?: number };
  readAt: string | null;
  createdAt: string;
}

/** My unread "report ready" notifications, newest first; looked at again every minute. */
export function useUnreadReports() {
  const q = useQuery({
    queryKey: ['notifications'],
    queryFn: async () => (await api<{ items: AppNotification[] }>('/api/v1/notifications')).items,
    refetchInterval: 60_000,
  });
  return { ...q, unread: (q.data ?? []).filter((n) => n.kind === 'analysis_ready' && !n.readAt) };
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (ids: string[]) => {
      await Promise.all(ids.map((id) => api(`/api/v1/notifications/${id}/read`, { method: 'POST', body: {} })));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['notifications'] }),
  });
}
