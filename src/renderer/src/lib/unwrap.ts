import type { Envelope } from '../../../shared/envelope';
import { LabError } from '../../../shared/errors';

/** Turns a transport envelope back into a value, or throws the error it carried. */
export function unwrap<T>(envelope: unknown): T {
  const e = envelope as Envelope<T> | null;
  if (e && e.ok === true) return e.value;
  if (e && e.ok === false) throw new LabError(e.error);
  throw new LabError({ name: 'ProtocolError', code: 'Internal', message: 'Malformed reply from the lab' });
}
