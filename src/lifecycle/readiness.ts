/** Where the instance is in its life: it vends only while `ready`. */
export type ReadinessState = 'starting' | 'ready' | 'draining';

/**
 * The readiness state machine: starting → ready → draining, never backwards. Readiness
 * probes and the vending routes read it; the entry point moves it.
 */
export interface Readiness {
  readonly state: ReadinessState;
  markReady(): void;
  beginDraining(): void;
}

export function createReadiness(): Readiness {
  let state: ReadinessState = 'starting';
  return {
    get state() {
      return state;
    },
    markReady() {
      if (state === 'starting') state = 'ready';
    },
    beginDraining() {
      state = 'draining';
    },
  };
}
