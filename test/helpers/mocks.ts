import { startMockServer, type RunningMock } from '../../services-mock/mock-server.js';
import { mockServices } from '../../services-mock/services/index.js';

export type MockFleet = Record<string, RunningMock[]> & AsyncDisposable;

/** Starts real replicas of the demo services on port 0 (in this process). */
export async function startMocks(replicas: Record<string, number>): Promise<MockFleet> {
  const fleet: Record<string, RunningMock[]> = {};
  for (const [name, count] of Object.entries(replicas)) {
    const create = mockServices[name];
    if (!create) throw new Error(`unknown mock service ${name}`);
    fleet[name] = await Promise.all(Array.from({ length: count }, () => startMockServer(name, create())));
  }
  const dispose = async () => {
    await Promise.all(Object.values(fleet).flat().map((m) => m.close()));
  };
  return Object.assign(fleet, { [Symbol.asyncDispose]: dispose }) as MockFleet;
}

/** Sum of requests the replicas of each service received (outside /__mock). */
export function requestCounts(fleet: Record<string, RunningMock[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(fleet).map(([name, replicas]) => [name, replicas.reduce((n, r) => n + r.stats().requests, 0)]));
}

export function resetCounts(fleet: Record<string, RunningMock[]>): void {
  for (const replica of Object.values(fleet).flat()) replica.resetStats();
}
