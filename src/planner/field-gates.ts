import type { GraphQLError } from 'graphql';

/**
 * Fields whose values may be fetched only for the objects a per-object check allows, e.g.
 * authorization policies that read the parent. The planner never asks a service for such a field
 * together with its parent: it fetches the parent first (with the fields the check reads), runs the
 * check on every object, and sends only the allowed objects to the field's service, in an entity
 * fetch of the field's own. Denied objects get the check's error in the field's place. A field the
 * planner cannot fetch that way (no entity key, a parent field it cannot get) makes the operation
 * unsupported, so the general engine serves it.
 */
export interface FieldGates {
  /** The gate of `typeName.fieldName`, or undefined. Asked while planning (plans are cached per document). */
  gateFor(typeName: string, fieldName: string): FieldGate | undefined;
}

export interface FieldGate {
  /** Parent fields the check reads (leaf fields), fetched with the parent under `responseKey`. */
  readonly parentFields: ReadonlyArray<{ readonly responseKey: string; readonly fieldName: string }>;
  /**
   * Decides for one object: undefined allows, an error denies (it becomes the field's error).
   * `source` is the merged parent object, holding the parent fields under their response keys.
   */
  check(source: Readonly<Record<string, unknown>>, args: Readonly<Record<string, unknown>>, context: unknown): GraphQLError | undefined | Promise<GraphQLError | undefined>;
}
