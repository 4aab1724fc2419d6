import type { GatewayConfigInput } from '../../src/config/index.js';
import { startGateway, type RunningGateway } from './gateway.js';
import { startMocks, type MockFleet } from './mocks.js';
import { demoRegistryFor, type TempRegistry } from './registry.js';

/** One replica of each demo data service, a registry pointing at them, and a gateway over it. */
export interface DemoStack extends AsyncDisposable {
  mocks: MockFleet;
  registry: TempRegistry;
  gw: RunningGateway;
}

export async function startDemoStack(config: Omit<GatewayConfigInput, 'registry'> = {}): Promise<DemoStack> {
  const mocks = await startMocks({ users: 1, products: 1, reviews: 1, orders: 1 });
  let registry: TempRegistry | undefined;
  let gw: RunningGateway;
  try {
    registry = await demoRegistryFor(mocks);
    gw = await startGateway({ ...config, registry: registry.dir });
  } catch (error) {
    await mocks[Symbol.asyncDispose]();
    await registry?.[Symbol.asyncDispose]();
    throw error;
  }
  return {
    mocks,
    registry,
    gw,
    async [Symbol.asyncDispose]() {
      await gw[Symbol.asyncDispose]();
      await mocks[Symbol.asyncDispose]();
      await registry[Symbol.asyncDispose]();
    },
  };
}
