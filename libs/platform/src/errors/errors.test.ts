import { status } from '@grpc/grpc-js';
import {
  AuthenticationError,
  ConflictError,
  describeError,
  errorMapping,
  errorNameForGrpcCode,
  errorNameForHttpStatus,
  errorResponseBody,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from './errors.js';

describe('error mapping', () => {
  it.each([
    [new InputError('x'), 400, status.INVALID_ARGUMENT],
    [new AuthenticationError('x'), 401, status.UNAUTHENTICATED],
    [new NotAllowedError('x'), 403, status.PERMISSION_DENIED],
    [new NotFoundError('x'), 404, status.NOT_FOUND],
    [new ConflictError('x'), 409, status.ALREADY_EXISTS],
    [new NotImplementedError('x'), 501, status.UNIMPLEMENTED],
    [new ServiceUnavailableError('x'), 503, status.UNAVAILABLE],
  ])('%s → HTTP %i, gRPC %i', (err, http, grpc) => {
    const d = describeError(err);
    expect(d.status).toBe(http);
    expect(d.grpc).toBe(grpc);
    expect(errorNameForHttpStatus(http)).toBe(err.name);
    expect(errorNameForGrpcCode(grpc)).toBe(err.name);
  });

  it('maps every name both ways', () => {
    for (const [name, m] of Object.entries(errorMapping)) {
      expect(errorNameForHttpStatus(m.http)).toBe(name);
      expect(errorNameForGrpcCode(m.grpc)).toBe(name);
    }
    expect(errorNameForGrpcCode(status.FAILED_PRECONDITION)).toBe('ConflictError');
    expect(errorNameForHttpStatus(418)).toBe('Error');
  });

  it("hides what an unexpected error says, and honours other libraries' Backstage names", () => {
    expect(describeError(new Error('password=hunter2 at db.internal'))).toEqual({
      name: 'Error',
      message: 'Internal server error',
      status: 500,
      grpc: status.INTERNAL,
    });
    const foreign = Object.assign(new Error('no such entity'), { name: 'NotFoundError' });
    expect(describeError(foreign).status).toBe(404);
  });

  it("builds Backstage's error body", () => {
    expect(
      errorResponseBody(new NotFoundError('Entity not found'), { method: 'GET', url: '/api/catalog/x' }),
    ).toEqual({
      status: 404,
      body: {
        error: { name: 'NotFoundError', message: 'Entity not found' },
        request: { method: 'GET', url: '/api/catalog/x' },
        response: { statusCode: 404 },
      },
    });
  });
});
