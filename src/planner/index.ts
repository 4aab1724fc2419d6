export { createPlanExecutor, createProjectionSchema, lookupResolver, type PlanExecutorOptions } from './plan-executor.js';
export { createQueryPlanner, type QueryPlanner } from './query-planner.js';
export type { FetchNode, Plan } from './plan-types.js';
export { runPlan, type PlanResult, type SubgraphRequest } from './run-plan.js';
export { readSupergraph, type Subgraph, type SupergraphModel } from './supergraph-model.js';
export { UnsupportedOperation } from './unsupported.js';
export { createFastPath, type FastPath, type FastPathOptions } from './fast-path.js';
export { useQueryPlans, type QueryPlansOptions } from './use-query-plans.js';
