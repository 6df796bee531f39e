import type { ApiError } from "../../lib/api/client";
import { CodedError } from "../../components/CodedError";

/**
 * What went wrong talking to the space's Elasticsearch source, in a few words. The core's
 * message is already a precise sentence (what failed and what to do): it goes under this.
 */
export function sourceErrorHeading(error: ApiError): string {
  switch (error.code) {
    case "unreachable":
      return "Cannot reach the cluster";
    case "tls":
      return "Secure connection failed";
    case "unauthorized":
      return "API key rejected (401)";
    case "forbidden":
      return "Not allowed (403)";
    case "not_found":
      return error.what === "Elasticsearch source" ? "No Elasticsearch source" : "Alerts index not found";
    case "remote":
      return "Elasticsearch reported an error";
    case "keychain_unavailable":
      return "No OS keychain";
    case "keychain_locked":
      return "Keychain locked";
    case "secrets_locked":
      return "Secrets file locked";
    case "wrong_passphrase":
      return "Wrong passphrase";
    case "validation":
      return error.field === "api_key" ? "API key needed" : "Not accepted";
    case "busy":
      return "Casebook is busy";
    default:
      return "Something went wrong";
  }
}

/** A coded heading and the core's message, announced as an alert. */
export function SourceError({ error, className }: { error: ApiError; className?: string }) {
  return <CodedError heading={sourceErrorHeading(error)} message={error.message} className={`source-error ${className ?? ""}`.trim()} />;
}
