/** An RFC 9457 problem from the API, or a lost connection (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    /** Field → messages, as the API names the fields (dotted for nested ones). */
    readonly fieldErrors: Record<string, string[]> = {},
    /** Seconds to wait before trying again (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(detail ?? title);
    this.name = 'ApiError';
  }

  get isOffline(): boolean {
    return this.status === 0;
  }
}

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
  retry_after?: number;
}

/** Builds the error for a failed answer, whatever its body. */
export async function problemFrom(res: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('json')) body = (await res.json()) as ProblemBody;
  } catch {
    // A body that is not JSON: status and title are enough.
  }
  const header = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(header) && header > 0 ? header : body.retry_after;
  return new ApiError(res.status, body.title ?? res.statusText, body.detail, body.errors ?? {}, retryAfter);
}
