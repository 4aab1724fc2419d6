import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI } from '../helpers/cli.js';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/registry/index.js';
import { JunctionError, type Problem } from '../../src/shared/errors.js';
import { buildGraph } from '../../src/stitching/index.js';
import { createUpstreams } from '../../src/balancing/index.js';
import { DEMO_REGISTRY, tempRegistry } from '../helpers/registry.js';

const run = promisify(execFile);

const USERS_YAML = 'name: users\nkind: graphql\nendpoints:\n  - url: http://127.0.0.1:1/graphql\n';
const USERS_SDL = 'type User @key(selectionSet: "{ id }") { id: ID! name: String! }\ntype Query {\n  usersByIds(ids: [ID!]!): [User]! @merge(keyField: "id")\n}\n';

async function problemsOf(files: Record<string, string | undefined>): Promise<Problem[]> {
  await using registry = await tempRegistry();
  for (const [file, text] of Object.entries(files)) if (text !== undefined) await registry.write(file, text);
  try {
    const services = await loadRegistry(registry.dir);
    await using upstreams = createUpstreams();
    buildGraph({ services, fetcherFor: (s) => upstreams.fetcherFor(s) });
  } catch (error) {
    if (error instanceof JunctionError) return error.problems.map((p) => ({ ...p, file: p.file.replaceAll(registry.dir + '/', '') }));
    throw error;
  }
  return [];
}

describe('registry validation', () => {
  it('accepts the demo registry', async () => {
    await expect(loadRegistry(DEMO_REGISTRY)).resolves.toHaveLength(5);
  });

  it.each([
    {
      name: 'an unknown kind',
      files: { 'users/service.yaml': USERS_YAML.replace('graphql', 'soap'), 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: 2, message: /kind: unknown kind; expected one of: graphql, rest, federation/,
    },
    {
      name: 'a bad endpoint URL',
      files: { 'users/service.yaml': USERS_YAML.replace('http://127.0.0.1:1/graphql', 'not a url'), 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: 4, message: /endpoints\.0\.url: must be an absolute http/,
    },
    {
      name: 'a negative weight',
      files: { 'users/service.yaml': `${USERS_YAML}    weight: -2\n`, 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: 5, message: /endpoints\.0\.weight: must be a positive integer/,
    },
    {
      name: 'an unknown key (typo) in service.yaml',
      files: { 'users/service.yaml': `${USERS_YAML}timeoutMS: 10\n`, 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: 5, message: /Unrecognized key: "timeoutMS"/,
    },
    {
      name: 'YAML syntax errors',
      files: { 'users/service.yaml': 'name: users\nkind: graphql: rest\n', 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: 2, message: /YAML syntax/,
    },
    {
      name: 'a name that differs from its folder',
      files: { 'users/service.yaml': USERS_YAML.replace('name: users', 'name: people'), 'users/schema.graphql': USERS_SDL },
      file: 'users/service.yaml', line: undefined, message: /must match its folder name "users"/,
    },
    {
      name: 'a missing schema.graphql',
      files: { 'users/service.yaml': USERS_YAML },
      file: 'users/schema.graphql', line: undefined, message: /missing/,
    },
    {
      name: 'an SDL syntax error, with its line',
      files: { 'users/service.yaml': USERS_YAML, 'users/schema.graphql': 'type User {\n  id: ID!\n  name String\n}\n' },
      file: 'users/schema.graphql', line: 3, message: /SDL syntax error: Expected ":", found Name "String"/,
    },
    {
      name: 'an unknown type',
      files: { 'users/service.yaml': USERS_YAML, 'users/schema.graphql': 'type Query {\n  me: Account\n}\n' },
      file: 'users/schema.graphql', line: 2, message: /Unknown type "Account"/,
    },
    {
      name: '@key naming a missing field',
      files: { 'users/service.yaml': USERS_YAML, 'users/schema.graphql': USERS_SDL.replace('{ id }', '{ uuid }') },
      file: 'users/schema.graphql', line: 1, message: /@key on User: selectionSet refers to missing field User\.uuid/,
    },
    {
      name: '@merge with a keyField the type lacks',
      files: { 'users/service.yaml': USERS_YAML, 'users/schema.graphql': USERS_SDL.replace('keyField: "id"', 'keyField: "userId"') },
      file: 'users/schema.graphql', line: 3, message: /keyField "userId" is not a field of User/,
    },
    {
      name: '@http in a GraphQL service',
      files: { 'users/service.yaml': USERS_YAML, 'users/schema.graphql': `${USERS_SDL}extend type Query { me: User @http(path: "/me") }\n` },
      file: 'users/schema.graphql', line: 5, message: /@http is only allowed in services of kind "rest"/,
    },
    {
      name: '@http path naming a missing argument',
      files: {
        'orders/service.yaml': 'name: orders\nkind: rest\nendpoints:\n  - url: http://127.0.0.1:1\n',
        'orders/schema.graphql': 'type Order { id: ID! }\ntype Query {\n  order(id: ID!): Order @http(path: "/orders/{args.orderId}")\n}\n',
      },
      file: 'orders/schema.graphql', line: 3, message: /refers to \{args\.orderId\}, but order has no argument "orderId"/,
    },
    {
      name: '@http batch key naming a missing parent field',
      files: {
        'orders/service.yaml': 'name: orders\nkind: rest\nendpoints:\n  - url: http://127.0.0.1:1\n',
        'orders/schema.graphql': 'type Order { id: ID! }\ntype User { id: ID!\n  orders: [Order!]! @http(path: "/orders", batch: "userIds={parent.uid}", matchBy: "userId")\n}\ntype Query { a: Int }\n',
      },
      file: 'orders/schema.graphql', line: 3, message: /refers to \{parent\.uid\}, but User has no field "uid"/,
    },
    {
      name: 'a composition conflict between two services',
      files: {
        'users/service.yaml': USERS_YAML,
        'users/schema.graphql': USERS_SDL,
        'reviews/service.yaml': USERS_YAML.replace('name: users', 'name: reviews'),
        'reviews/schema.graphql': 'type User @key(selectionSet: "{ id }") { id: ID! name: Int }\ntype Query {\n  _users(ids: [ID!]!): [User]! @merge(keyField: "id")\n}\n',
      },
      file: 'reviews/schema.graphql, users/schema.graphql', line: undefined, message: /User\.name.*inconsistent/,
    },
  ])('rejects $name, naming the file and line', async ({ files, file, line, message }) => {
    const problems = await problemsOf(files);
    expect(problems.length).toBeGreaterThan(0);
    const match = problems.find((p) => message.test(p.message));
    expect(match, JSON.stringify(problems)).toBeDefined();
    expect(match!.file).toBe(file);
    expect(match!.line).toBe(line);
  });

  it('reports every broken service of a registry in one run', async () => {
    const problems = await problemsOf({
      'a/service.yaml': USERS_YAML.replace('name: users', 'name: a').replace('graphql', 'soap'),
      'a/schema.graphql': USERS_SDL,
      'b/service.yaml': USERS_YAML.replace('name: users', 'name: b'),
      'b/schema.graphql': 'type Query {',
    });
    expect(problems.map((p) => p.file).sort()).toEqual(['a/service.yaml', 'b/schema.graphql']);
  });
});

describe('junction check', () => {
  it('exits 0 and lists the services of a valid registry', async () => {
    // The demo's config names the policies its @policy directives use (an unknown policy is a check error).
    const config = new URL('../../services-mock/demo.config.yaml', import.meta.url).pathname;
    const { stdout } = await run(CLI[0]!, [...CLI.slice(1), 'check', '--registry', DEMO_REGISTRY, '--config', config]);
    expect(stdout).toContain('ok  orders (rest, 1 endpoint)');
    expect(stdout).toContain('ok  graph: 5 services stitched');
  });

  it('exits 1 and prints file:line for each problem', async () => {
    await using registry = await tempRegistry(DEMO_REGISTRY);
    await registry.write('users/schema.graphql', (await registry.read('users/schema.graphql')).replace('  name: String!', '  name String!'));
    const failure = await run(CLI[0]!, [...CLI.slice(1), 'check', '--registry', registry.dir]).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failure && failure.code).toBe(1);
    expect((failure as { stderr: string }).stderr).toContain(`${join(registry.dir, 'users/schema.graphql')}:5:`);
    expect((failure as { stderr: string }).stderr).toMatch(/JNC_REGISTRY_INVALID/);
  });
});
