/**
 * The demo's named policies (`authz.policies` in demo.config.yaml), used by `@policy(name: ...)` in
 * the demo registry's SDL. Each is a plain TypeScript function of the viewer, the field's arguments
 * and (for those that declare `parentFields`) the object the field belongs to.
 */
import { definePolicies, definePolicy } from '../src/authz/index.js';
import type { Viewer } from '../src/shared/viewer.js';

const isAdmin = (viewer: Viewer) => viewer.roles.includes('admin');
/** Client-credentials tokens act for a client, not a user: they have no subject and own no user's data. */
const isUser = (viewer: Viewer, userId: unknown) => viewer.subject !== undefined && viewer.subject === userId;

export default definePolicies({
  /** The user is the viewer, or the viewer is an admin. Reads the User's id (User.email, User.orders). */
  selfOrAdmin: definePolicy({
    parentFields: ['id'],
    check: ({ viewer, parent }) => isAdmin(viewer) || isUser(viewer, parent.id),
  }),
  /** The `userId` argument names the viewer, or the viewer is an admin (Query.orders). */
  userArgIsSelfOrAdmin: ({ viewer, args }) => isAdmin(viewer) || isUser(viewer, args['userId']),
  /** The order is placed for the viewer, or by an admin (Mutation.placeOrder). */
  orderForSelfOrAdmin: ({ viewer, args }) => isAdmin(viewer) || isUser(viewer, (args['input'] as { userId?: unknown } | undefined)?.userId),
});
