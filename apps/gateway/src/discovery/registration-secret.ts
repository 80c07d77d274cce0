import { timingSafeEqual, createHash } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { AuthenticationError, REGISTRATION_SECRET_HEADER } from '@portal/platform';

/** Registry calls must carry the shared registration secret; compared in constant time. */
export function checkRegistrationSecret(metadata: Metadata | undefined, secret: string): void {
  const given = metadata?.get(REGISTRATION_SECRET_HEADER)[0];
  if (typeof given !== 'string' || !given) throw new AuthenticationError('Missing registration secret');
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  if (!timingSafeEqual(a, b)) throw new AuthenticationError('Invalid registration secret');
}
