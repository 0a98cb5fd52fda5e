// Fan-out of ServerEvents (run progress, run finished, logs) to every binding: WebSocket clients, the Electron
// renderer, the CLI's progress bar. A listener that throws is dropped from this delivery, not from the hub.

import type { ServerEvent } from '../api/contract.js';

export type EventListener = (ev: ServerEvent) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  subscribe(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(ev: ServerEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(ev);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
