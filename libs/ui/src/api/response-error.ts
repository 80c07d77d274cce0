/** Backstage's error body: `{ error: { name, message }, request, response }`. */
export interface BackstageErrorBody {
  error: { name: string; message: string };
  request?: { method: string; url: string };
  response?: { statusCode: number };
}

function isBackstageErrorBody(value: unknown): value is BackstageErrorBody {
  const error = (value as { error?: { name?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.name === 'string' && typeof error.message === 'string';
}

/** A failed HTTP call: the status, and Backstage's error name and message when the body had them. */
export class ResponseError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorName: string,
    readonly body?: BackstageErrorBody,
  ) {
    super(message);
    this.name = 'ResponseError';
  }

  static async fromResponse(res: Response): Promise<ResponseError> {
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch {
      // Not JSON (a proxy's HTML page, an empty body): the status says enough.
    }
    if (isBackstageErrorBody(parsed)) {
      return new ResponseError(parsed.error.message, res.status, parsed.error.name, parsed);
    }
    const text = res.statusText || 'Request failed';
    return new ResponseError(`${text} (HTTP ${res.status})`, res.status, 'Error');
  }
}
