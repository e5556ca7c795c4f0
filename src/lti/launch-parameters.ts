// The body an LTI launch is stored with: its signed parameters as an object. Parameter
// names are data: on a plain object "__proto__" vanished (it set the prototype) and
// "constructor" found Object's own, so constructor=x was stored as [null,"x"].
import { dataObject } from '../canvas/lossless-json';
import type { OAuthParameter } from './oauth1';

/** Every parameter but the signature; a repeated one as the list of its values. */
export function storedLaunchBody(parameters: readonly OAuthParameter[]): Record<string, string | string[]> {
  const body = dataObject() as Record<string, string | string[]>;
  for (const [name, value] of parameters) {
    if (name === 'oauth_signature') continue;
    const known = body[name];
    body[name] = known === undefined ? value : Array.isArray(known) ? [...known, value] : [known, value];
  }
  return body;
}
