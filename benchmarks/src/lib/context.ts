import type { RoundPlan } from './rounds';

/** How much of everything a run measures. */
export interface Profile {
  client: RoundPlan;
  webhook: RoundPlan;
  signature: RoundPlan;
  sandbox: RoundPlan;
  /** Connections of the webhook load generator. */
  webhookConnections: number;
  /** Repeated runs of the webhook load for the leak check, and the length of each. */
  leakRuns: number;
  leakSeconds: number;
  /** Events pushed through the memory dedupe store. */
  memoryEvents: number;
}

export const FULL: Profile = {
  client: { warmSeconds: 0.5, roundSeconds: 0.5, rounds: 9 },
  webhook: { warmSeconds: 1, roundSeconds: 0.75, rounds: 9 },
  signature: { warmSeconds: 0.3, roundSeconds: 0.25, rounds: 9 },
  sandbox: { warmSeconds: 0.5, roundSeconds: 0.5, rounds: 9 },
  webhookConnections: 64,
  leakRuns: 6,
  leakSeconds: 1,
  memoryEvents: 1_000_000,
};

export const QUICK: Profile = {
  client: { warmSeconds: 0.05, roundSeconds: 0.1, rounds: 2 },
  webhook: { warmSeconds: 0.1, roundSeconds: 0.2, rounds: 2 },
  signature: { warmSeconds: 0.02, roundSeconds: 0.05, rounds: 2 },
  sandbox: { warmSeconds: 0.05, roundSeconds: 0.2, rounds: 2 },
  webhookConnections: 16,
  leakRuns: 2,
  leakSeconds: 0.2,
  memoryEvents: 50_000,
};

export interface BenchContext {
  quick: boolean;
  /** Extra node flags for server children (`--cpu-prof` profiles them). */
  serverExecArgv: string[];
  profile: Profile;
  log(line: string): void;
}
