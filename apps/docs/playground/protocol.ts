/** Messages between the playground page and its Web Worker. */
import type { PlaygroundResult } from './job';
import type { PlaygroundSettings } from './settings';

/** Page → worker: run these settings (`id` is echoed in every reply). */
export interface RunRequest {
  id: number;
  settings: PlaygroundSettings;
}

/** Worker → page. */
export type WorkerReply =
  | { id: number; type: 'progress'; stage: string; done: number }
  | { id: number; type: 'result'; result: PlaygroundResult }
  | { id: number; type: 'error'; message: string };
