import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * Backstage's error names, and the one mapping between them, HTTP statuses and gRPC status codes.
 * Every REST error body and every gRPC error in the portal goes through this table.
 */
export const errorMapping = {
  InputError: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  AuthenticationError: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  NotAllowedError: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  NotFoundError: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  ConflictError: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  PayloadTooLargeError: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  NotImplementedError: { http: 501, grpc: GrpcStatus.UNIMPLEMENTED },
  ServiceUnavailableError: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  GatewayTimeoutError: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  Error: { http: 500, grpc: GrpcStatus.INTERNAL },
} as const;

export type ErrorName = keyof typeof errorMapping;

/** Base class: an error whose message is safe to show to the caller. */
export class PortalError extends Error {
  constructor(
    readonly errorName: ErrorName,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = errorName;
  }
}

export class InputError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('InputError', message, cause);
  }
}
export class AuthenticationError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('AuthenticationError', message, cause);
  }
}
export class NotAllowedError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('NotAllowedError', message, cause);
  }
}
export class NotFoundError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('NotFoundError', message, cause);
  }
}
export class ConflictError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('ConflictError', message, cause);
  }
}
export class PayloadTooLargeError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('PayloadTooLargeError', message, cause);
  }
}
export class NotImplementedError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('NotImplementedError', message, cause);
  }
}
export class ServiceUnavailableError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('ServiceUnavailableError', message, cause);
  }
}
export class GatewayTimeoutError extends PortalError {
  constructor(message: string, cause?: unknown) {
    super('GatewayTimeoutError', message, cause);
  }
}

const byHttp = new Map<number, ErrorName>(
  Object.entries(errorMapping).map(([name, m]) => [m.http, name as ErrorName]),
);
const byGrpc = new Map<number, ErrorName>(
  Object.entries(errorMapping).map(([name, m]) => [m.grpc, name as ErrorName]),
);
// Other gRPC codes that carry the same meaning as one of ours.
byGrpc.set(GrpcStatus.FAILED_PRECONDITION, 'ConflictError');
byGrpc.set(GrpcStatus.ABORTED, 'ConflictError');
byGrpc.set(GrpcStatus.OUT_OF_RANGE, 'InputError');

export function errorNameForHttpStatus(status: number): ErrorName {
  return byHttp.get(status) ?? 'Error';
}
export function errorNameForGrpcCode(code: number): ErrorName {
  return byGrpc.get(code) ?? 'Error';
}

/** What a caller may see of any thrown value: name and message for ours, a generic one otherwise. */
export function describeError(err: unknown): {
  name: ErrorName;
  message: string;
  status: number;
  grpc: number;
} {
  if (err instanceof PortalError) {
    const m = errorMapping[err.errorName];
    return { name: err.errorName, message: err.message, status: m.http, grpc: m.grpc };
  }
  // Errors from other libraries that follow Backstage's naming (e.g. a NotFoundError of theirs).
  if (err instanceof Error && err.name in errorMapping && err.name !== 'Error') {
    const name = err.name as ErrorName;
    return { name, message: err.message, status: errorMapping[name].http, grpc: errorMapping[name].grpc };
  }
  return { name: 'Error', message: 'Internal server error', status: 500, grpc: errorMapping.Error.grpc };
}

export function errorForName(name: ErrorName, message: string): PortalError {
  return new PortalError(name, message);
}

/** Backstage's REST error body. */
export interface ErrorResponseBody {
  error: { name: string; message: string; code?: string };
  request?: { method: string; url: string };
  response: { statusCode: number };
}

export function errorResponseBody(
  err: unknown,
  request?: { method: string; url: string },
): { status: number; body: ErrorResponseBody } {
  const d = describeError(err);
  return {
    status: d.status,
    body: {
      error: { name: d.name, message: d.message },
      ...(request ? { request: { method: request.method, url: request.url } } : {}),
      response: { statusCode: d.status },
    },
  };
}
