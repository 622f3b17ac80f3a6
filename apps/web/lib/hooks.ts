'use client';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { gql } from './api';
import { ME, type Me } from './queries';

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: async () => (await gql<{ me: Me }>(ME)).me });
}

export function isLead(me: Me | undefined): boolean {
  return !!me?.teams.some((t) => t.role === 'lead');
}

/** A query-string value, read after mount (the export has no server to read it). */
export function useQueryParam(name: string): string | null | undefined {
  const [value, setValue] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    setValue(new URLSearchParams(window.location.search).get(name));
  }, [name]);
  return value;
}

/**
 * A form field that shows the server's value until the user edits it. Data arriving (or being
 * refetched) while someone types never overwrites what they typed; `reset` follows the server
 * again (after a save).
 */
export function useDraft<T>(server: T | undefined, fallback: T): [value: T, set: (v: T) => void, reset: () => void] {
  const [draft, setDraft] = useState<{ v: T } | null>(null);
  return [draft ? draft.v : server === undefined ? fallback : server, (v: T) => setDraft({ v }), () => setDraft(null)];
}
