/**
 * Thrown while planning when an operation uses something the fast path does not handle; the
 * gateway then runs the operation through the general (graphql-tools) engine instead.
 */
export class UnsupportedOperation extends Error {
  override readonly name = 'UnsupportedOperation';
}
