import { parse, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { passesStatic, type Grants, type StaticClause } from '../../src/authz/clauses.js';
import { failingPolicyClause } from '../../src/authz/evaluate-policies.js';
import { normalizePolicies, type PolicyMap } from '../../src/authz/policies.js';
import { directiveNamesFor, readClauses } from '../../src/authz/read-directives.js';
import type { Requirement } from '../../src/authz/requirements.js';
import { ANONYMOUS_VIEWER, type Viewer } from '../../src/shared/viewer.js';
import { createLogger } from '../../src/telemetry/index.js';

const grants = (roles: string[], scopes: string[], authenticated = true): Grants => ({ authenticated, roles: new Set(roles), scopes: new Set(scopes) });

describe('static clauses', () => {
  const table: Array<[string, StaticClause, Grants, boolean]> = [
    ['@authenticated, signed in', { kind: 'authenticated' }, grants([], []), true],
    ['@authenticated, anonymous', { kind: 'authenticated' }, grants([], [], false), false],
    ['one role of several', { kind: 'roles', anyOf: ['admin', 'support'] }, grants(['support'], []), true],
    ['no role of several', { kind: 'roles', anyOf: ['admin', 'support'] }, grants(['customer'], []), false],
    ['scopes a AND b, has both', { kind: 'scopes', anyOf: [['a', 'b']] }, grants([], ['b', 'a', 'c']), true],
    ['scopes a AND b, has a only', { kind: 'scopes', anyOf: [['a', 'b']] }, grants([], ['a']), false],
    ['scopes (a AND b) OR c, has c', { kind: 'scopes', anyOf: [['a', 'b'], ['c']] }, grants([], ['c']), true],
    ['scopes (a AND b) OR c, has a and c-ish', { kind: 'scopes', anyOf: [['a', 'b'], ['c']] }, grants([], ['a', 'cc']), false],
    ['a role is not a scope', { kind: 'scopes', anyOf: [['admin']] }, grants(['admin'], []), false],
  ];
  it.each(table)('%s', (_name, clause, viewer, expected) => {
    expect(passesStatic(clause, viewer)).toBe(expected);
  });
});

describe('policy clauses: OR of ANDs of named policies', () => {
  const sleep = () => new Promise((resolve) => setTimeout(resolve, 1));
  const policies = normalizePolicies({
    yes: () => true,
    no: () => false,
    asyncYes: async () => (await sleep(), true),
    asyncNo: async () => (await sleep(), false),
    throws: () => {
      throw new Error('bug');
    },
    rejects: async () => Promise.reject(new Error('bug')),
    truthy: () => 'yes' as unknown as boolean,
    readsParent: { parentFields: ['owner'], check: ({ viewer, parent }) => parent['owner'] === viewer.subject },
  } satisfies PolicyMap, 'test');
  const logger = createLogger({ level: 'silent' });
  const requirement = (...groups: string[][][]): Requirement => ({
    coordinate: 'T.f', typeName: 'T', fieldName: 'f', root: false, staticClauses: [], parentFields: [],
    policyClauses: groups.map((anyOf) => ({ kind: 'policies', anyOf })),
  });
  const viewer: Viewer = { ...ANONYMOUS_VIEWER, authenticated: true, subject: '7' };
  const run = (r: Requirement, source: unknown = {}) => failingPolicyClause(r, policies, { viewer, args: {}, source, context: { viewer, request: new Request('http://x/') } }, logger);

  const table: Array<[string, Requirement, boolean]> = [
    ['one policy that allows', requirement([['yes']]), true],
    ['one policy that denies', requirement([['no']]), false],
    ['AND: yes and no', requirement([['yes', 'no']]), false],
    ['OR: no or yes', requirement([['no'], ['yes']]), true],
    ['async AND async', requirement([['asyncYes', 'asyncYes']]), true],
    ['async OR: asyncNo or asyncYes', requirement([['asyncNo'], ['asyncYes']]), true],
    ['two clauses (repeated @policy): both must pass', requirement([['yes']], [['asyncNo']]), false],
    ['a throwing policy denies', requirement([['throws'], ['no']]), false],
    ['a rejecting policy denies', requirement([['rejects']]), false],
    ['only true allows (not a truthy value)', requirement([['truthy']]), false],
    ['an unknown policy denies', requirement([['missing']]), false],
  ];
  it.each(table)('%s', async (_name, r, allowed) => {
    expect((await run(r)) === undefined).toBe(allowed);
  });

  it('stays synchronous while every policy is', () => {
    expect(run(requirement([['no'], ['yes']]))).toBeUndefined();
    expect(run(requirement([['asyncYes']]))).toBeInstanceOf(Promise);
  });

  it('gives a policy its declared parent fields from the reserved aliases only', async () => {
    const r = requirement([['readsParent']]);
    expect(await run(r, { owner: '7' })).toBeDefined();
    expect(await run(r, { owner: '1', _junction_authz_owner: '7' })).toBeUndefined();
  });
});

describe('reading directives', () => {
  const read = (directives: string, federation = false, link = '') => {
    const document = parse(`${link}\ntype T ${directives} { f: Int }`);
    const type = document.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === 'ObjectTypeDefinition')!;
    const { found, problems } = readClauses(type.directives, directiveNamesFor(document, federation), 'T');
    return { clauses: found.map((f) => f.clause), problems: problems.map((p) => p.message) };
  };

  it.each([
    ['@authenticated', { kind: 'authenticated' }],
    ['@hasRole(roles: ["admin", "ops"])', { kind: 'roles', anyOf: ['admin', 'ops'] }],
    ['@hasRole(roles: "admin")', { kind: 'roles', anyOf: ['admin'] }],
    ['@requiresScopes(scopes: [["a", "b"], ["c"]])', { kind: 'scopes', anyOf: [['a', 'b'], ['c']] }],
    ['@policy(name: "owner")', { kind: 'policies', anyOf: [['owner']] }],
  ])('%s', (text, clause) => {
    expect(read(text)).toEqual({ clauses: [clause], problems: [] });
  });

  it("reads Apollo's directives in a federation subgraph under the names its @link gives them", () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: [{ name: "@authenticated", as: "@signedIn" }, "@policy"])';
    expect(read('@signedIn @federation__requiresScopes(scopes: [["s"]]) @policy(policies: [["a", "b"], ["c"]])', true, link).clauses).toEqual([
      { kind: 'authenticated' },
      { kind: 'scopes', anyOf: [['s']] },
      { kind: 'policies', anyOf: [['a', 'b'], ['c']] },
    ]);
    // A subgraph that does not import them has none of ours either (its @authenticated is its own business).
    expect(read('@authenticated', true, 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])').clauses).toEqual([]);
  });

  it.each([
    ['@hasRole(roles: [])', 'roles is empty, so nobody could pass'],
    ['@requiresScopes(scopes: [])', 'scopes is empty, so nobody could pass'],
    ['@requiresScopes(scopes: [[]])', 'scopes has an empty list, which everyone would pass: remove the directive instead'],
    ['@requiresScopes(scopes: "a")', 'scopes must be a list of lists of strings, e.g. [["a", "b"], ["c"]] (a and b, or c), got "a"'],
    ['@policy(name: "has space")', 'policy name "has space" is not a policy name'],
  ])('refuses %s', (text, message) => {
    const { clauses, problems } = read(text);
    expect(clauses).toEqual([]);
    expect(problems).toEqual([`${text.slice(0, text.indexOf('('))} on T: ${message}`]);
  });
});
