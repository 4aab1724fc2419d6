/** The workload of the public federation gateway benchmark: all four subgraphs, nested five deep. */
export const FEDERATION_QUERY = /* GraphQL */ `
  fragment User on User { id username name }
  fragment Review on Review { id body }
  fragment Product on Product { inStock name price shippingEstimate upc weight }
  query TestQuery {
    users { ...User reviews { ...Review product { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } } } }
    topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review product { ...Product } } } } }
  }
`;

/** N+1 workload: 100 entities, each with fields from two other subgraphs. */
export const N_PLUS_ONE_QUERY = /* GraphQL */ `
  query ManyProducts { topProducts(first: 100) { upc name inStock shippingEstimate reviews { id body } } }
`;
