/** The queues list (`GET /api/v1/queues`), re-read whenever the live stream reports a queue change. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../api/client';
import type { Queue } from '../../api/types';
import { useLive } from '../../live/hooks';

/** Queues with members, callers and KPIs, kept current by the live store (one request per burst). */
export function useQueues() {
  const live = useLive();
  const qc = useQueryClient();
  const queues = useQuery({
    queryKey: ['queues'],
    queryFn: () => api<Queue[]>('GET', '/api/v1/queues'),
  });
  useEffect(() => {
    if (live.queuesVersion > 0) void qc.invalidateQueries({ queryKey: ['queues'] });
  }, [live.queuesVersion, qc]);
  return queues;
}
