/** The `@link` line a Federation v2 subgraph starts with. */
export const link = (...imports: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports.map((i) => JSON.stringify(i)).join(', ')}])`;
