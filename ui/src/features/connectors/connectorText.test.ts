import { describe, expect, it } from "vitest";
import { ApiError } from "../../lib/api/client";
import { notFoundError, validationError } from "../../testing/wireErrors";
import { connectorErrorHeading } from "./connectorText";

describe("connectorErrorHeading", () => {
  it("tells what was not found from the core's `what`, not from the message", () => {
    expect(connectorErrorHeading(notFoundError("Jira project", "SEC"), "jira")).toBe("Project not found");
    expect(connectorErrorHeading(notFoundError("Elastic ServiceNow app", "x"), "servicenow-itsm")).toBe("Elastic app not installed");
    expect(connectorErrorHeading(notFoundError("connector", "SOC in space default"))).toBe("Connector not found");
    // A message that reads like another kind does not fool it.
    expect(connectorErrorHeading(new ApiError("not_found", "Jira project not found: SEC", { what: "case" }))).toBe("Not found");
  });

  it("tells a missing secret from the field", () => {
    expect(connectorErrorHeading(validationError("secret", "is required"))).toBe("Token or password needed");
    expect(connectorErrorHeading(new ApiError("validation", "secret: is required"))).toBe("Not accepted");
  });
});
