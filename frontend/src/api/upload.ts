// The bulk upload, over XMLHttpRequest because fetch reports no upload progress. Same auth
// rules as the client: a bearer token from the session, one silent refresh and retry after a 401.
import { ApiError, genericProblem, parseProblem } from "./errors";
import { UPLOAD_PATH, type UploadCreated } from "./types";

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadAuth {
  bearerToken: () => Promise<string | null>;
  renewAfter401: (rejected: string) => Promise<string | null>;
}

export interface UploadRequest {
  albumId: string;
  files: readonly File[];
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  baseUrl?: string;
}

type XhrFactory = () => XMLHttpRequest;

/** The URL of the upload route, from the spec's path template. */
export function uploadUrl(albumId: string, baseUrl = ""): string {
  return baseUrl + UPLOAD_PATH.replace("{id}", encodeURIComponent(albumId));
}

/** Sends the files as one multipart request (`file` parts); resolves with the 201 body. */
export async function uploadImages(
  request: UploadRequest,
  auth: UploadAuth,
  makeXhr: XhrFactory = () => new XMLHttpRequest(),
): Promise<UploadCreated> {
  const token = await auth.bearerToken();
  const first = await send(request, token, makeXhr);
  if (first.status === 401 && token) {
    const renewed = await auth.renewAfter401(token);
    if (renewed) return settle(await send(request, renewed, makeXhr));
  }
  return settle(first);
}

interface RawAnswer {
  status: number;
  statusText: string;
  contentType: string;
  body: string;
}

function settle(answer: RawAnswer): UploadCreated {
  if (answer.status >= 200 && answer.status < 300) {
    return JSON.parse(answer.body) as UploadCreated;
  }
  const problem =
    parseProblem(answer.body) ??
    genericProblem(answer.status, answer.status === 0 ? "Network error" : answer.statusText);
  throw new ApiError(problem);
}

function send(request: UploadRequest, token: string | null, makeXhr: XhrFactory): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const file of request.files) body.append("file", file, file.name);

    const xhr = makeXhr();
    xhr.open("POST", uploadUrl(request.albumId, request.baseUrl));
    xhr.setRequestHeader("Accept", "application/json, application/problem+json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);

    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) request.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      resolve({
        status: xhr.status,
        statusText: xhr.statusText,
        contentType: xhr.getResponseHeader("Content-Type") ?? "",
        body: typeof xhr.responseText === "string" ? xhr.responseText : "",
      });
    };
    xhr.onerror = () => {
      resolve({ status: 0, statusText: "", contentType: "", body: "" });
    };
    xhr.onabort = () => {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    if (request.signal) {
      if (request.signal.aborted) {
        reject(new DOMException("The upload was cancelled.", "AbortError"));
        return;
      }
      request.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(body);
  });
}
