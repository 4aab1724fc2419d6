import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createGateway } from '../../src/index.js';
import { JunctionError } from '../../src/shared/errors.js';
import { createLogger } from '../../src/telemetry/index.js';
import { CLI } from '../helpers/cli.js';
import { DEMO_REGISTRY, tempRegistry, type TempRegistry } from '../helpers/registry.js';

const run = promisify(execFile);
const check = (args: string[]) =>
  run(CLI[0]!, [...CLI.slice(1), 'check', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const POLICIES_TS = `
import { definePolicies, definePolicy } from ${JSON.stringify(new URL('../../src/authz/index.ts', import.meta.url).pathname)};
export default definePolicies({
  self: definePolicy({ parentFields: ['id'], check: ({ viewer, parent }) => viewer.subject === parent.id }),
  open: () => true,
});
`;

async function registryWith(sdl: string): Promise<TempRegistry> {
  const registry = await tempRegistry();
  await registry.write('things/service.yaml', 'name: things\nkind: graphql\nendpoints:\n  - url: http://127.0.0.1:9/graphql\n');
  await registry.write('things/schema.graphql', sdl);
  await registry.write('policies.ts', POLICIES_TS);
  await registry.write('junction.yaml', 'authz:\n  policies: ./policies.ts\n');
  return registry;
}

describe('junction check and authorization', () => {
  it('reports unknown policies, role syntax errors, malformed scopes and misplaced policies, each at file:line:column', async () => {
    await using registry = await registryWith(/* GraphQL */ `
type Thing @policy(name: "self") {
  id: ID!
  name: String @policy(name: "slef")
  code: String @hasRole(roles: ["admin", "bad role", ""])
  owner: String @hasRole(roles: [])
  kind: String @requiresScopes(scopes: ["a", "b"])
  tag: String @requiresScopes(scopes: [["has space"]])
  mine: String @policy(name: "open")
}
type Query { thing: Thing other: String @policy(name: "self") }
`);
    const { code, stderr } = await check(['--registry', registry.dir, '--config', join(registry.dir, 'junction.yaml')]);
    expect(code).toBe(1);
    const file = join(registry.dir, 'things/schema.graphql');
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'error JNC_AUTHZ_INVALID: Invalid authorization directives',
      `  ${file}:2:12: @policy(self) on type Thing: the policy reads parent fields (id), so put it on fields: on a type it also guards the fields returning the type, whose parents are other types`,
      `  ${file}:4:16: @policy: unknown policy "slef" (configured: self, open)`,
      `  ${file}:5:16: @hasRole on Thing.code: role "bad role" is not a role name (letters, digits, _ . : -, starting with a letter or digit)`,
      `  ${file}:5:16: @hasRole on Thing.code: role "" is not a role name (letters, digits, _ . : -, starting with a letter or digit)`,
      `  ${file}:6:17: @hasRole on Thing.owner: roles is empty, so nobody could pass`,
      `  ${file}:7:16: @requiresScopes on Thing.kind: scopes is a flat list: write [["a", "b"]] to require all of them, or [["a"], ["b"]] for any one`,
      `  ${file}:8:15: @requiresScopes on Thing.tag: scope "has space" is not a scope token (no spaces, quotes or backslashes)`,
      `  ${file}:11:41: @policy(self) on Query.other: the policy reads parent fields (id), but root fields (Query.other) have no parent`,
    ]);
  });

  it('reports scopes that are not strings (GraphQL itself refuses the value in the registered SDL)', async () => {
    await using registry = await registryWith('type Query { a: Int @requiresScopes(scopes: [[1, 2]]) }\n');
    const { code, stderr } = await check(['--registry', registry.dir, '--config', join(registry.dir, 'junction.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(registry.dir, 'things/schema.graphql')}: Argument "scopes" has invalid value [[1, 2]].`);
  });

  it('reports a policy reading a parent field the type does not have', async () => {
    await using registry = await registryWith('type Item { sku: ID! name: String @policy(name: "self") }\ntype Query { item: Item }\n');
    const { code, stderr } = await check(['--registry', registry.dir, '--config', join(registry.dir, 'junction.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(registry.dir, 'things/schema.graphql')}:1:35: @policy(self) on Item.name: the policy reads parent field "id", but Item has no such field`);
  });

  it('reports an unknown policy when no policies are configured, and passes the demo with its config', async () => {
    const without = await check(['--registry', DEMO_REGISTRY]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('schemas/users/schema.graphql:7:32: @policy: unknown policy "selfOrAdmin" (no policies are configured: set authz.policies)');
    const demo = await check(['--registry', DEMO_REGISTRY, '--config', new URL('../../services-mock/demo.config.yaml', import.meta.url).pathname]);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('ok  authorization: 5 protected fields');
  });

  it('serve refuses to start with a malformed directive', async () => {
    await using registry = await registryWith('type Query { a: String @hasRole(roles: ["no spaces allowed"]) }\n');
    const error = await createGateway({ config: { registry: registry.dir, server: { port: 0 }, reload: { enabled: false } }, logger: createLogger({ level: 'silent' }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JunctionError);
    expect((error as JunctionError).code).toBe('JNC_AUTHZ_INVALID');
    expect((error as JunctionError).problems[0]!.message).toBe('@hasRole on Query.a: role "no spaces allowed" is not a role name (letters, digits, _ . : -, starting with a letter or digit)');
  });

  it('refuses a policies module that does not load, naming it', async () => {
    const error = await createGateway({
      config: { registry: DEMO_REGISTRY, server: { port: 0 }, reload: { enabled: false }, authz: { policies: '/nonexistent/policies.ts' } },
      logger: createLogger({ level: 'silent' }),
    }).catch((e: unknown) => e);
    expect((error as JunctionError).code).toBe('JNC_AUTHZ_INVALID');
    expect((error as JunctionError).message).toMatch(/^Cannot load the authorization policies module \/nonexistent\/policies\.ts: /);
  });
});
