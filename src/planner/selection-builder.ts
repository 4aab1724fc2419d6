import { UnsupportedOperation } from './unsupported.js';

/**
 * A selection set being assembled for one subgraph request. Fields are keyed by response key so
 * that the client's fields, entity keys and @requires fields merge into one selection; two different
 * fields under one response key cannot be sent together and make the plan unsupported.
 */
export class SelectionBuilder {
  readonly fields = new Map<string, BuiltField>();
  readonly fragments = new Map<string, SelectionBuilder>();

  /** Adds (or finds) a field; `args` is its printed argument list, '' when none. */
  field(responseKey: string, name: string, args = ''): BuiltField {
    const existing = this.fields.get(responseKey);
    if (existing) {
      if (existing.name !== name || existing.args !== args) {
        throw new UnsupportedOperation(`response key "${responseKey}" is used for two different fields`);
      }
      return existing;
    }
    const field: BuiltField = { name, args, sub: undefined };
    this.fields.set(responseKey, field);
    return field;
  }

  /** The builder of the sub-selection of a composite field. */
  child(responseKey: string, name: string, args = ''): SelectionBuilder {
    const field = this.field(responseKey, name, args);
    return (field.sub ??= new SelectionBuilder());
  }

  /** An inline fragment `... on TypeName`. */
  on(typeName: string): SelectionBuilder {
    let fragment = this.fragments.get(typeName);
    if (!fragment) this.fragments.set(typeName, (fragment = new SelectionBuilder()));
    return fragment;
  }

  isEmpty(): boolean {
    return this.fields.size === 0 && [...this.fragments.values()].every((f) => f.isEmpty());
  }

  print(): string {
    let out = '';
    for (const [key, field] of this.fields) {
      out += `${out ? ' ' : ''}${key === field.name ? key : `${key}:${field.name}`}${field.args}`;
      if (field.sub) out += `{${field.sub.isEmpty() ? '__typename' : field.sub.print()}}`;
    }
    for (const [typeName, fragment] of this.fragments) {
      if (!fragment.isEmpty()) out += `${out ? ' ' : ''}...on ${typeName}{${fragment.print()}}`;
    }
    return out;
  }
}

export interface BuiltField {
  name: string;
  args: string;
  sub: SelectionBuilder | undefined;
}
