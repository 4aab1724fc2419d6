import { parse } from 'graphql';
import { readClauses, directiveNamesFor } from '../src/authz/read-directives.ts';
const doc = parse(`type Vault @requiresScopes(scopes: [["vault:read"]]) { code: String! }`);
const def: any = doc.definitions[0];
console.log(JSON.stringify(readClauses(def.directives, directiveNamesFor(doc, false), 'Vault').found.map(f => f.clause)));
