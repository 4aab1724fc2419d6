import { createSchema, createYoga } from 'graphql-yoga';
import type { IResolvers } from '@graphql-tools/utils';
import type { RequestHandler } from '../mock-server.js';

/** A plain GraphQL service on yoga, as a team would run it behind the gateway. */
export function createGraphQLHandler(typeDefs: string, resolvers: IResolvers): RequestHandler {
  const yoga = createYoga({
    schema: createSchema({ typeDefs, resolvers }),
    graphiql: false,
    landingPage: false,
    logging: false,
  });
  return (req, res) => yoga(req, res);
}
