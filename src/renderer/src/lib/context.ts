import { getContext } from 'svelte';
import type { LabClient } from '../../../shared/client';

const CLIENT_KEY = Symbol('lab-client');

/** The context map to mount the app with: every component reaches the one client through getClient(). */
export function clientContext(client: LabClient): Map<symbol, unknown> {
  return new Map([[CLIENT_KEY, client]]);
}

export function getClient(): LabClient {
  const client = getContext<LabClient | undefined>(CLIENT_KEY);
  if (!client) throw new Error('No LabClient in context: mount the app with clientContext().');
  return client;
}
