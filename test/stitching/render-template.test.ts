import { describe, expect, it } from 'vitest';
import { parseQueryTemplate, parseTemplate } from '../../src/registry/index.js';
import { renderPath, renderQuery } from '../../src/stitching/rest/render-template.js';

describe('@http templates', () => {
  it.each([
    { template: '/orders/{args.id}', scope: { args: { id: '42' }, parent: undefined }, path: '/orders/42' },
    { template: '/users/{parent.id}/orders', scope: { args: {}, parent: { id: 7 } }, path: '/users/7/orders' },
    { template: '/a/{parent.owner.id}', scope: { args: {}, parent: { owner: { id: 'x y' } } }, path: '/a/x%20y' },
    { template: '/files/{args.name}', scope: { args: { name: '../etc/passwd' }, parent: undefined }, path: '/files/..%2Fetc%2Fpasswd' },
    { template: '/tags/{args.ids}', scope: { args: { ids: ['a', 'b'] }, parent: undefined }, path: '/tags/a%2Cb' },
  ])('renders $template as $path', ({ template, scope, path }) => {
    expect(renderPath(parseTemplate(template), scope)).toBe(path);
  });

  it('rejects a path placeholder without a value instead of calling a wrong URL', () => {
    expect(() => renderPath(parseTemplate('/orders/{args.id}'), { args: {}, parent: undefined })).toThrow(/Missing value for \{args\.id\}/);
  });

  it.each([
    { template: 'limit={args.first}&tag={args.tag}', args: { first: 5 }, query: 'limit=5' },
    { template: 'limit={args.first}&tag={args.tag}', args: { first: 5, tag: 'a&b=c' }, query: 'limit=5&tag=a%26b%3Dc' },
    { template: 'ids={args.ids}&fixed=1', args: { ids: [1, 2, 3] }, query: 'ids=1%2C2%2C3&fixed=1' },
    { template: 'q={args.q}', args: { q: null }, query: '' },
  ])('renders query $template with $args as "$query"', ({ template, args, query }) => {
    expect(renderQuery(parseQueryTemplate(template), { args, parent: undefined }).toString()).toBe(query);
  });

  it.each(['/a/{args}', '/a/{other.x}', '/a/{args.x', '/a/{args.x-y}'])('refuses the malformed template %s', (template) => {
    expect(() => parseTemplate(template)).toThrow();
  });
});
