import type { Problem } from "./types";

const PROBLEM_JSON = "application/problem+json";

/** A failed API call: the server's RFC 9457 problem, typed from the spec. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
  }

  /** Reads a non-2xx response; a body that is not problem+json becomes a generic problem. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const type = response.headers.get("content-type") ?? "";
    if (type.includes(PROBLEM_JSON) || type.includes("application/json")) {
      const parsed = parseProblem(await response.text().catch(() => ""));
      if (parsed) return new ApiError(parsed);
    }
    return new ApiError(genericProblem(response.status, response.statusText));
  }

  /** Field → first message, from the problem's `errors` list. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, message } of this.problem.errors ?? []) {
      out[field] ??= message;
    }
    return out;
  }
}

/** Parses a problem+json body; null when it is not one. */
export function parseProblem(text: string): Problem | null {
  try {
    const value: unknown = JSON.parse(text);
    if (isProblem(value)) return value;
  } catch {
    // not JSON
  }
  return null;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === "number" && typeof v.title === "string";
}

export function genericProblem(status: number, title: string): Problem {
  return {
    type: "about:blank",
    title: title || "Request failed",
    status,
    detail: status === 0 ? "The server could not be reached." : `The server answered ${status}.`,
  };
}

/** A sentence for a person, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 0:
        return "Can't reach Albumen right now. Check your connection and try again.";
      case 429:
        return "Too many attempts. Please wait a little and try again.";
      case 503:
        return "Albumen is busy or restarting. Try again in a moment.";
      default:
        return capitalise(error.problem.detail || error.problem.title);
    }
  }
  if (error instanceof TypeError) {
    return "Can't reach Albumen right now. Check your connection and try again.";
  }
  return "Something went wrong. Please try again.";
}

/** A server message as a sentence: capital first letter, closing full stop. */
export function capitalise(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "Something went wrong.";
  const sentence = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
